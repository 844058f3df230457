#pragma once

// Salesforce Data Loader's field mapping files (.sdl), for `sfbulk load --mapping`. The
// file is a Java properties file: one `Source=Destination` pair a line, `#` and `!`
// comment lines, `\` escapes (`\ ` for a space, `\=`, `\uXXXX`) and continued lines.
// A source is a CSV column or a constant in double quotes (`"Canada"=BillingCountry`);
// the destination is one or more Salesforce fields separated by commas
// (`Phone=Phone, MobilePhone`), or nothing (`Fax=`: the column is not sent).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sfbulk {

/// One line of a mapping file.
struct SdlMappingEntry {
  /// The CSV column the value comes from (empty for a constant).
  std::string column;
  /// The value sent for every row, when the source is a constant in quotes.
  std::optional<std::string> constant;
  /// The Salesforce fields the value goes to; empty: the column is not sent.
  std::vector<std::string> fields;
  /// 1-based line of the file the entry starts on, for messages.
  std::size_t line = 0;
};

/// A parsed mapping file: its entries in file order.
struct SdlMapping {
  /// The file's name, for messages.
  std::string name;
  std::vector<SdlMappingEntry> entries;
};

/// Parses the text of a mapping file (UTF-8; a BOM is dropped). Throws
/// sfdc::bulk::InvalidArgument naming `name` and the line for a line without `=`, an
/// empty source, a column mapped twice or a Salesforce field filled twice.
SdlMapping parseSdlMapping(std::string_view text, const std::string& name);

/// Reads and parses the mapping file at `path`; sfdc::bulk::FileError when it cannot be
/// read.
SdlMapping readSdlMapping(const std::string& path);

}  // namespace sfbulk
