#pragma once

// CSV rows written as the JSON objects of a JSON batch body, straight from the cells.
//
// A CSV source feeding a JSON job used to turn each row into a nlohmann::json object
// (csvRowToRecord) and have JsonSerializer dump it: a map node and two strings allocated
// per cell, then freed, for every row of the load. This writer produces the very same
// bytes (fields in name order, as the object's map has them; empty cells left out, since
// an empty CSV cell means "leave the field unchanged"; `#N/A` as null; strings escaped as
// JsonSerializer escapes them) from the header, sorted once, and the row's cells.
//
// Only headers whose record would be a flat object qualify: a relationship column
// (`Account.External_Id__c`) is nested by JsonSerializer, a column given twice is merged,
// and a name that is not valid UTF-8 cannot be written; those go the general way.

#include <cstddef>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::load {

class CsvRowJson {
 public:
  /// True when every row of a source with this header can be written by this class.
  static bool handles(const std::vector<std::string>& header);

  /// `header` must satisfy handles().
  explicit CsvRowJson(const std::vector<std::string>& header);

  /// Appends the row's object to `out`. `fields` has one cell per header column. A cell
  /// that is not valid UTF-8 throws InvalidArgument naming record `index` (as
  /// JsonSerializer does), leaving `out` as it was.
  void append(const std::vector<std::string>& fields, std::size_t index, std::string& out) const;

 private:
  struct Column {
    std::size_t cell;  ///< index in the row
    std::string key;   ///< `"Name":`, escaped
  };
  std::vector<std::string> header_;
  std::vector<Column> columns_;  ///< in name order
};

/// Appends `value` as a JSON string, quotes included, escaped as nlohmann::json's dump()
/// escapes it (control characters, quote and backslash; UTF-8 kept as it is). Returns
/// false, with `out` unspecified past its old size, when `value` is not valid UTF-8.
bool appendJsonString(std::string& out, const char* value, std::size_t size);

}  // namespace sfdc::bulk::detail::load
