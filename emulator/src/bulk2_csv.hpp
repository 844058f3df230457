#pragma once

// The CSV of Bulk API 2.0 uploads and results: records found by their terminators outside
// quotes (so the job's lineEnding can be checked), cells split on the job's delimiter, and
// result cells always quoted.

#include <cstddef>
#include <memory>
#include <optional>
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

/// A query job's results, written once as CSV when the job runs; a page is a slice of
/// `rows` after the header, so serving one copies bytes instead of formatting values.
struct CsvResults {
  std::string header;                  ///< the header line, line ending included
  std::string rows;                    ///< every data row, each with its line ending
  std::vector<std::size_t> rowStarts;  ///< where each row starts in `rows`, then the end
  std::size_t rowCount() const { return rowStarts.empty() ? 0 : rowStarts.size() - 1; }
  /// Rows [first, last) as one string.
  std::string_view slice(std::size_t first, std::size_t last) const;
  /// Under the network model: the pages of `gzippedPageRows` rows (the server's page
  /// size), each header and rows as served, gzipped while the job ran.
  std::vector<std::shared_ptr<const std::string>> gzippedPages;
  std::size_t gzippedPageRows = 0;
};

/// `columns` and `rows` (absent values as empty cells), every cell quoted.
CsvResults writeCsvResults(const std::vector<std::string>& columns,
                           const std::vector<std::vector<std::optional<std::string>>>& rows,
                           char delimiter, std::string_view lineEnd);

}  // namespace sfdc::emulator::server
