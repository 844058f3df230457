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
  std::string_view rawRow() const noexcept { return raw_; }

 private:
  bool fill();

  ByteReader source_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
  bool started_ = false;
  std::uint64_t row_ = 0;
  std::string raw_;
};

}  // namespace sfdc::bulk
