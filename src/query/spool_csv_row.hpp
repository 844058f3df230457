#pragma once

// The row format of the query spool files that parallel downloads write (v1 result
// files, 2.0 result pages) and read back with CsvReader.

#include <string>
#include <vector>

namespace sfdc::bulk::detail::query {

/// Appends `row` as one CSV line to `out`. Every field is quoted so that a row of one
/// empty field is `""`, not an empty line.
void appendSpoolCsvRow(std::string& out, const std::vector<std::string>& row);

}  // namespace sfdc::bulk::detail::query
