#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/export.hpp>
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
SFDC_BULK_EXPORT void appendCsvField(std::string& out, std::string_view value);

/// Append a row of fields followed by `\n`.
SFDC_BULK_EXPORT void appendCsvRow(std::string& out, const std::vector<std::string>& fields);

/// A row that is not valid CSV. `what()` reads "CSV row <row>, column <column>: <reason>".
class SFDC_BULK_EXPORT CsvSyntaxError : public ParseError {
 public:
  /// `row` as CsvReader::rowNumber() counts; `column` 1-based.
  CsvSyntaxError(std::uint64_t row, std::size_t column, std::string reason);
  /// 1-based row of the input (the header, when there is one, is row 1).
  std::uint64_t row() const noexcept { return row_; }
  /// 1-based column where the problem is.
  std::size_t column() const noexcept { return column_; }
  /// What is wrong, without the position.
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::uint64_t row_;
  std::size_t column_;
  std::string reason_;
};

/**
 * Incremental RFC 4180 reader over any byte source: quoted fields, doubled quotes,
 * CR and LF inside quotes, rows ended by LF, CRLF or a lone CR (older spreadsheet
 * exports), a leading UTF-8 BOM dropped. Memory is bounded by the buffer plus the
 * longest row.
 *
 * A quote may only open a field, as RFC 4180 and Salesforce require: `12" pipe` is an
 * error (the field must be written `"12"" pipe"`), never the start of a quoted section
 * that would swallow the rows after it.
 *
 * Fields are separated by a comma unless another delimiter is given (Bulk API 2.0 jobs
 * also use backquote, caret, pipe, semicolon and tab).
 */
class SFDC_BULK_EXPORT CsvReader {
 public:
  /// Reads from any byte source, `bufferSize` bytes at a time, fields separated by
  /// `delimiter`. Throws InvalidArgument for a delimiter that is a quote, CR or LF.
  explicit CsvReader(ByteReader source, std::size_t bufferSize = 1 << 16, char delimiter = ',');
  /// Reads from a stream the caller keeps alive.
  explicit CsvReader(std::istream& in, std::size_t bufferSize = 1 << 16, char delimiter = ',');
  /// Reads from a string the caller keeps alive.
  static CsvReader fromString(std::string_view text, char delimiter = ',');

  /// The character between fields.
  char delimiter() const noexcept { return delimiter_; }

  /// Parse the next row into `fields`; false at the end of input.
  ///
  /// Throws CsvSyntaxError for a quote inside an unquoted field, text after a closing
  /// quote, or a quote never closed. The offending row is consumed first: rowNumber() and
  /// rawRow() describe it, and the next call reads the row after it. A quote never
  /// closed runs to the end of the input, so after that error the next call returns
  /// false.
  bool next(std::vector<std::string>& fields);

  /// 1-based number of the row last returned by `next` (rows, not lines).
  std::uint64_t rowNumber() const noexcept { return row_; }

  /// The bytes of the row last returned, exactly as in the input including its line end
  /// (LF or CRLF; a row ended by a lone CR, or a final row without a line end, gets
  /// `\n`), so it can be copied into a batch unchanged.
  std::string_view rawRow() const noexcept {
    return rawOwned_ ? std::string_view(raw_) : std::string_view(buffer_).substr(rawPos_, rawLen_);
  }

 private:
  bool fill();
  bool findRowEnd(std::size_t& rowEnd);
  void quoteAt(std::size_t at) noexcept;
  std::size_t columnAt(std::size_t rowStart, std::size_t at) const noexcept;
  void keepRaw(std::size_t rowStart, std::size_t contentEnd, std::size_t next, bool inBuffer);
  void parseFields(std::size_t begin, std::size_t end, std::vector<std::string>& fields);

  ByteReader source_;
  char delimiter_ = ',';
  std::string buffer_;
  std::size_t pos_ = 0;   // first byte not yet returned
  std::size_t end_ = 0;   // end of valid bytes in buffer_
  std::size_t scan_ = 0;  // where the search for the current row's end resumes
  bool inQuote_ = false;  // quote state at scan_
  // Offsets into buffer_ within the current row (fill() keeps them valid): where the
  // open quote started, just past the last closing quote (a quote there is a doubled
  // one), and the first quote found inside an unquoted field (kNone when there is none).
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t openedAt_ = 0;
  std::size_t afterClose_ = 0;
  std::size_t strayQuote_ = kNone;
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
