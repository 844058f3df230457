#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk {

/// Reads up to `size` bytes into `buffer`, returns how many; 0 means the end.
using ByteReader = std::function<std::size_t(char* buffer, std::size_t size)>;

/// CSV value meaning "set this field to null" in Bulk API batches.
inline constexpr std::string_view kCsvNull = "#N/A";

/// Append one RFC 4180 field: quoted when it holds a comma, quote, CR or LF, or
/// leading/trailing spaces; quotes doubled.
void appendCsvField(std::string& out, std::string_view value);

/// Append a row of fields followed by `\n`.
void appendCsvRow(std::string& out, const std::vector<std::string>& fields);

/**
 * Incremental RFC 4180 reader over any byte source: quoted fields, doubled quotes,
 * CR/LF inside quotes, CRLF or LF row ends, a leading UTF-8 BOM dropped. Memory is
 * bounded by the buffer plus the longest row.
 */
class CsvReader {
 public:
  /// Reads from any byte source, `bufferSize` bytes at a time.
  explicit CsvReader(ByteReader source, std::size_t bufferSize = 1 << 16);
  /// Reads from a stream the caller keeps alive.
  explicit CsvReader(std::istream& in, std::size_t bufferSize = 1 << 16);
  /// Reads from a string the caller keeps alive.
  static CsvReader fromString(std::string_view text);

  /// Parse the next row into `fields`; false at the end of input. Throws ParseError
  /// naming the row for an unterminated quote or text after a closing quote.
  bool next(std::vector<std::string>& fields);

  /// 1-based number of the row last returned by `next` (rows, not lines).
  std::uint64_t rowNumber() const noexcept { return row_; }

  /// The bytes of the row last returned, exactly as in the input including its line end
  /// (a final row without one gets `\n`), so it can be copied into a batch unchanged.
  std::string_view rawRow() const noexcept {
    return rawOwned_ ? std::string_view(raw_) : std::string_view(buffer_).substr(rawPos_, rawLen_);
  }

 private:
  bool fill();
  bool findRowEnd(std::size_t& rowEnd);
  void parseFields(std::size_t begin, std::size_t end, std::vector<std::string>& fields);

  ByteReader source_;
  std::string buffer_;
  std::size_t pos_ = 0;   // first byte not yet returned
  std::size_t end_ = 0;   // end of valid bytes in buffer_
  std::size_t scan_ = 0;  // where the search for the current row's end resumes
  bool inQuote_ = false;  // quote state at scan_
  bool eof_ = false;
  bool started_ = false;
  std::uint64_t row_ = 0;
  // The last row's bytes live in buffer_ (until the next call) unless the input ended
  // without a line end, in which case they are copied into raw_ with `\n` appended.
  std::size_t rawPos_ = 0;
  std::size_t rawLen_ = 0;
  bool rawOwned_ = false;
  std::string raw_;
};

}  // namespace sfdc::bulk
