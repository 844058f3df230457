// RFC 4180 reading and writing. The reader is on the hot path of large loads and query
// downloads, so it works on a byte buffer with memchr scans instead of per-character
// state machines: first it finds where the row ends (quote parity decides whether a
// newline is data), then it cuts the complete row into fields.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <istream>
#include <memory>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sfdc::bulk {

namespace {

constexpr std::size_t kMinBuffer = 16;

bool needsQuotes(std::string_view value) noexcept {
  if (value.empty()) return false;
  if (value.front() == ' ' || value.back() == ' ' || value.front() == '\t' ||
      value.back() == '\t') {
    return true;
  }
  // Eight bytes at a time: a byte equal to `c` becomes zero after xor with a broadcast
  // of `c`, and (x - 0x01..) & ~x & 0x80.. is non-zero exactly when some byte of x is
  // zero. This is the hot loop of every CSV body the SDK writes.
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHighs = 0x8080808080808080ull;
  const auto hasByte = [](std::uint64_t word, unsigned char c) {
    const std::uint64_t x = word ^ (kOnes * c);
    return ((x - kOnes) & ~x & kHighs) != 0;
  };
  const char* p = value.data();
  const char* const end = p + value.size();
  for (; end - p >= 8; p += 8) {
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    if (hasByte(word, ',') || hasByte(word, '"') || hasByte(word, '\n') || hasByte(word, '\r')) {
      return true;
    }
  }
  for (; p < end; ++p) {
    if (*p == ',' || *p == '"' || *p == '\r' || *p == '\n') return true;
  }
  return false;
}

const char* findChar(const char* from, const char* to, char c) noexcept {
  return static_cast<const char*>(std::memchr(from, c, static_cast<std::size_t>(to - from)));
}

}  // namespace

CsvSyntaxError::CsvSyntaxError(std::uint64_t row, std::size_t column, std::string reason)
    : ParseError("CSV row " + std::to_string(row) + ", column " + std::to_string(column) + ": " +
                 reason),
      row_(row),
      column_(column),
      reason_(std::move(reason)) {}

void appendCsvField(std::string& out, std::string_view value) {
  if (!needsQuotes(value)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  std::size_t start = 0;
  for (std::size_t quote = value.find('"'); quote != std::string_view::npos;
       quote = value.find('"', start)) {
    out.append(value.data() + start, quote + 1 - start);
    out.push_back('"');
    start = quote + 1;
  }
  out.append(value.data() + start, value.size() - start);
  out.push_back('"');
}

void appendCsvRow(std::string& out, const std::vector<std::string>& fields) {
  // A row of one empty field would be a blank line, which readers skip; quote it.
  if (fields.size() == 1 && fields.front().empty()) {
    out.append("\"\"\n");
    return;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    appendCsvField(out, fields[i]);
  }
  out.push_back('\n');
}

CsvReader::CsvReader(ByteReader source, std::size_t bufferSize, char delimiter)
    : source_(std::move(source)),
      delimiter_(delimiter),
      buffer_(std::max(bufferSize, kMinBuffer), '\0') {
  // These characters already mean something to the reader; as separators they would make
  // every row ambiguous.
  if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
    throw InvalidArgument("CsvReader: the field delimiter cannot be a quote, CR or LF");
  }
}

CsvReader::CsvReader(std::istream& in, std::size_t bufferSize, char delimiter)
    : CsvReader(
          [&in](char* buffer, std::size_t size) -> std::size_t {
            in.read(buffer, static_cast<std::streamsize>(size));
            return static_cast<std::size_t>(in.gcount());
          },
          bufferSize, delimiter) {}

CsvReader CsvReader::fromString(std::string_view text, char delimiter) {
  auto offset = std::make_shared<std::size_t>(0);
  return CsvReader(
      [text, offset](char* buffer, std::size_t size) -> std::size_t {
        const std::size_t n = std::min(size, text.size() - *offset);
        std::memcpy(buffer, text.data() + *offset, n);
        *offset += n;
        return n;
      },
      std::min<std::size_t>(text.size() + 1, 1 << 16), delimiter);
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    // Keep only the unfinished row; everything before it was returned already.
    std::memmove(&buffer_[0], buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    scan_ -= pos_;
    // The quote offsets lie in the unfinished row, except a stale afterClose_ from an
    // earlier row, which no longer matters.
    openedAt_ = openedAt_ >= pos_ ? openedAt_ - pos_ : 0;
    afterClose_ = afterClose_ >= pos_ ? afterClose_ - pos_ : 0;
    if (strayQuote_ != kNone) strayQuote_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const std::size_t n = source_(&buffer_[end_], buffer_.size() - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  return true;
}

void CsvReader::quoteAt(std::size_t at) noexcept {
  if (inQuote_) {
    inQuote_ = false;
    afterClose_ = at + 1;
  } else if (at == pos_ || buffer_[at - 1] == delimiter_ || at == afterClose_) {
    // A quote opens a field, or follows a closing quote (a doubled quote inside it).
    inQuote_ = true;
    openedAt_ = at;
  } else if (strayQuote_ == kNone) {
    // Inside an unquoted field: an error for this row, but not the start of a quoted
    // section, so the row still ends at its own line end and the rows after it survive.
    strayQuote_ = at;
  }
}

bool CsvReader::findRowEnd(std::size_t& rowEnd) {
  // The row ends at the first LF or CR outside quotes; quotes toggle the quote state (a
  // doubled quote toggles twice). Query files quote every value, so quotes are dense:
  // instead of one memchr per quote, look at 16 bytes at a time and walk the positions
  // of quotes and line ends in a bit mask.
  const char* base = buffer_.data();
  const char* p = base + scan_;
  const char* end = base + end_;
#if defined(__SSE2__)
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i newlines = _mm_set1_epi8('\n');
  const __m128i returns = _mm_set1_epi8('\r');
  for (; end - p >= 16; p += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned q = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, quotes)));
    const __m128i lineEnds =
        _mm_or_si128(_mm_cmpeq_epi8(block, newlines), _mm_cmpeq_epi8(block, returns));
    unsigned events = q | static_cast<unsigned>(_mm_movemask_epi8(lineEnds));
    while (events != 0) {
      const int bit = __builtin_ctz(events);
      events &= events - 1;
      if ((q >> bit) & 1u) {
        quoteAt(static_cast<std::size_t>(p + bit - base));
      } else if (!inQuote_) {
        rowEnd = static_cast<std::size_t>(p + bit - base);
        scan_ = rowEnd;
        return true;
      }
    }
  }
#endif
  for (; p < end; ++p) {
    if (*p == '"') {
      quoteAt(static_cast<std::size_t>(p - base));
    } else if ((*p == '\n' || *p == '\r') && !inQuote_) {
      rowEnd = static_cast<std::size_t>(p - base);
      scan_ = rowEnd;
      return true;
    }
  }
  scan_ = static_cast<std::size_t>(p - base);
  return false;
}

std::size_t CsvReader::columnAt(std::size_t rowStart, std::size_t at) const noexcept {
  // Only on the error path: count the delimiters outside quotes before `at`, with the same
  // rule for which quotes open a field as quoteAt.
  std::size_t column = 1;
  bool quoted = false;
  std::size_t afterClose = rowStart;
  for (std::size_t i = rowStart; i < at; ++i) {
    const char c = buffer_[i];
    if (c == '"') {
      if (quoted) {
        quoted = false;
        afterClose = i + 1;
      } else if (i == rowStart || buffer_[i - 1] == delimiter_ ||
                 (i == afterClose && i > rowStart)) {
        quoted = true;
      }
    } else if (c == delimiter_ && !quoted) {
      ++column;
    }
  }
  return column;
}

void CsvReader::keepRaw(std::size_t rowStart, std::size_t contentEnd, std::size_t next,
                        bool inBuffer) {
  if (inBuffer) {
    rawOwned_ = false;
    rawPos_ = rowStart;
    rawLen_ = next - rowStart;
  } else {
    rawOwned_ = true;
    raw_.assign(buffer_, rowStart, contentEnd - rowStart);
    raw_.push_back('\n');
  }
}

void CsvReader::parseFields(std::size_t begin, std::size_t end, std::vector<std::string>& fields) {
  const char* p = buffer_.data() + begin;
  const char* e = buffer_.data() + end;
  std::size_t count = 0;
  for (;;) {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    if (p < e && *p == '"') {
      ++p;
      field.clear();
      for (;;) {
        const char* quote = findChar(p, e, '"');
        if (quote == nullptr) throw CsvSyntaxError(row_, count, "quoted field never closed");
        field.append(p, static_cast<std::size_t>(quote - p));
        p = quote + 1;
        if (p < e && *p == '"') {  // doubled quote stands for one quote
          field.push_back('"');
          ++p;
          continue;
        }
        break;
      }
      if (p == e) break;
      if (*p != delimiter_) {
        throw CsvSyntaxError(row_, count,
                             "text after the closing quote of a quoted field (quotes inside a "
                             "quoted field are written doubled)");
      }
      ++p;
    } else {
      const char* comma = findChar(p, e, delimiter_);
      if (comma == nullptr) {
        field.assign(p, static_cast<std::size_t>(e - p));
        break;
      }
      field.assign(p, static_cast<std::size_t>(comma - p));
      p = comma + 1;
    }
  }
  fields.resize(count);
}

bool CsvReader::next(std::vector<std::string>& fields) {
  if (!started_) {
    started_ = true;
    while (end_ - pos_ < 3 && fill()) {
    }
    if (end_ - pos_ >= 3 && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;
    scan_ = pos_;
  }
  for (;;) {
    std::size_t rowEnd = 0;
    bool haveLineEnd = false;
    for (;;) {
      if (findRowEnd(rowEnd)) {
        haveLineEnd = true;
        break;
      }
      if (!fill()) break;
    }
    std::size_t lineEnd = 0;
    bool lineEndKept = true;  // LF and CRLF stay in the raw row; a lone CR becomes LF
    if (haveLineEnd) {
      lineEnd = 1;
      if (buffer_[rowEnd] == '\r') {
        if (rowEnd + 1 == end_) {  // whether an LF follows is in the next read
          const std::size_t offset = rowEnd - pos_;
          fill();
          rowEnd = pos_ + offset;
        }
        if (rowEnd + 1 < end_ && buffer_[rowEnd + 1] == '\n') {
          lineEnd = 2;
        } else {
          lineEndKept = false;
        }
      }
    } else {
      if (pos_ == end_) return false;
      rowEnd = end_;
      lineEndKept = false;
      if (inQuote_) {
        // The rest of the input is this one row: consume it, so the next call ends.
        ++row_;
        keepRaw(pos_, end_, end_, false);
        const std::size_t column = columnAt(pos_, openedAt_);
        pos_ = scan_ = end_;
        inQuote_ = false;
        strayQuote_ = kNone;
        throw CsvSyntaxError(row_, column,
                             "quoted field never closed (it runs to the end of the input)");
      }
    }
    const std::size_t rowStart = pos_;
    const std::size_t next = rowEnd + lineEnd;
    const std::size_t strayQuote = strayQuote_;
    pos_ = next;
    scan_ = next;
    inQuote_ = false;
    strayQuote_ = kNone;
    if (rowEnd == rowStart) continue;  // blank line: not a row

    ++row_;
    keepRaw(rowStart, rowEnd, next, lineEndKept);
    if (strayQuote != kNone) {
      throw CsvSyntaxError(row_, columnAt(rowStart, strayQuote),
                           "quote inside an unquoted field (a field holding a quote must be "
                           "enclosed in quotes, with the quote doubled)");
    }
    parseFields(rowStart, rowEnd, fields);
    return true;
  }
}

}  // namespace sfdc::bulk
