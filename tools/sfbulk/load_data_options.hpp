#pragma once

// The flags of `sfbulk load` that carry Salesforce Data Loader's mapping and data
// settings over: --mapping, --encoding, --timezone, --day-first, --insert-nulls,
// --column-delimiter and --line-ending, their checks against the other flags, and the
// input source they make.

#include <optional>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>

namespace CLI {
class App;
}

namespace sfbulk {

struct DataOptions {
  std::string mapping;
  std::string encoding = "UTF-8";
  std::string timezone;
  bool dayFirst = false;
  bool insertNulls = false;
  std::string columnDelimiter = "comma";
  std::string lineEnding;  // empty: not given

  /// The input's field delimiter.
  char delimiter() const;
  /// True when the rows sent differ from the input's bytes.
  bool rewritesRows() const;
  /// --line-ending, when given.
  std::optional<sfdc::bulk::LineEnding> lineEndingOption() const;
};

/// Registers the flags on the `load` command.
void addDataOptions(CLI::App& cmd, DataOptions& options);

/// Refuses combinations that cannot work: the settings need CSV input, and a journaled
/// (--journal, --resume) or grouped (--group-by) load reads the input's own bytes.
void checkDataOptions(const DataOptions& options, const std::string& inputKind, bool journaled,
                      bool grouped);

/// The CSV source of `path` (`-`: stdin) with the settings applied. The header is read
/// (and the mapping checked against it) before this returns, so that a bad mapping costs
/// no request.
sfdc::bulk::RecordSource openCsvInput(const std::string& path, const DataOptions& options);

}  // namespace sfbulk
