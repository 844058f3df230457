#pragma once

// The CSV of Bulk API 2.0 uploads and results: records found by their terminators outside
// quotes (so the job's lineEnding can be checked), cells split on the job's delimiter, and
// result cells always quoted.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfdc::emulator::server {

/// The records of an upload: each as [begin, end) without its terminator.
struct CsvRecords {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  /// Records ended by `\r\n`, and by a bare `\n` (the last record may have neither).
  std::size_t crlfTerminators = 0;
  std::size_t lfTerminators = 0;
};

/// Splits `data` into records; quotes hide delimiters and line breaks.
CsvRecords splitRecords(std::string_view data);

/// The cells of one record, unquoted, split on `delimiter`.
std::vector<std::string> splitCells(std::string_view record, char delimiter);

/// The delimiter character of a `columnDelimiter` name, or 0 when the name is unknown.
char delimiterOf(const std::string& name);

/// Appends `text` double-quoted, inner quotes doubled.
void appendQuoted(std::string& out, std::string_view text);

}  // namespace sfdc::emulator::server
