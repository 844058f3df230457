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

[[noreturn]] void throwRowError(std::uint64_t row, const char* what) {
  throw ParseError("CSV row " + std::to_string(row) + ": " + what);
}

}  // namespace

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

CsvReader::CsvReader(ByteReader source, std::size_t bufferSize)
    : source_(std::move(source)), buffer_(std::max(bufferSize, kMinBuffer), '\0') {}

CsvReader::CsvReader(std::istream& in, std::size_t bufferSize)
    : CsvReader(
          [&in](char* buffer, std::size_t size) -> std::size_t {
            in.read(buffer, static_cast<std::streamsize>(size));
            return static_cast<std::size_t>(in.gcount());
          },
          bufferSize) {}

CsvReader CsvReader::fromString(std::string_view text) {
  auto offset = std::make_shared<std::size_t>(0);
  return CsvReader(
      [text, offset](char* buffer, std::size_t size) -> std::size_t {
        const std::size_t n = std::min(size, text.size() - *offset);
        std::memcpy(buffer, text.data() + *offset, n);
        *offset += n;
        return n;
      },
      std::min<std::size_t>(text.size() + 1, 1 << 16));
}

bool CsvReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    // Keep only the unfinished row; everything before it was returned already.
    std::memmove(&buffer_[0], buffer_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    scan_ -= pos_;
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

bool CsvReader::findRowEnd(std::size_t& rowEnd) {
  // The row ends at the first newline outside quotes; every quote toggles the quote state
  // (a doubled quote toggles twice). Query files quote every value, so quotes are dense:
  // instead of one memchr per quote, look at 16 bytes at a time and walk the positions
  // of quotes and newlines in a bit mask.
  const char* base = buffer_.data();
  const char* p = base + scan_;
  const char* end = base + end_;
#if defined(__SSE2__)
  const __m128i quotes = _mm_set1_epi8('"');
  const __m128i newlines = _mm_set1_epi8('\n');
  for (; end - p >= 16; p += 16) {
    const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned q = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, quotes)));
    unsigned events = q | static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, newlines)));
    while (events != 0) {
      const int bit = __builtin_ctz(events);
      events &= events - 1;
      if ((q >> bit) & 1u) {
        inQuote_ = !inQuote_;
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
      inQuote_ = !inQuote_;
    } else if (*p == '\n' && !inQuote_) {
      rowEnd = static_cast<std::size_t>(p - base);
      scan_ = rowEnd;
      return true;
    }
  }
  scan_ = static_cast<std::size_t>(p - base);
  return false;
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
        if (quote == nullptr) throwRowError(row_, "unterminated quoted field");
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
      if (*p != ',') throwRowError(row_, "text after a closing quote");
      ++p;
    } else {
      const char* comma = findChar(p, e, ',');
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
    bool haveNewline = false;
    for (;;) {
      if (findRowEnd(rowEnd)) {
        haveNewline = true;
        break;
      }
      if (!fill()) break;
    }
    if (!haveNewline) {
      if (pos_ == end_) return false;
      if (inQuote_) throwRowError(row_ + 1, "unterminated quoted field");
      rowEnd = end_;
    }
    const std::size_t rowStart = pos_;
    std::size_t contentEnd = rowEnd;
    if (contentEnd > rowStart && buffer_[contentEnd - 1] == '\r') --contentEnd;
    const std::size_t next = haveNewline ? rowEnd + 1 : rowEnd;
    pos_ = next;
    scan_ = next;
    inQuote_ = false;
    if (contentEnd == rowStart) continue;  // blank line: not a row

    ++row_;
    if (haveNewline) {
      rawOwned_ = false;
      rawPos_ = rowStart;
      rawLen_ = next - rowStart;
    } else {
      rawOwned_ = true;
      raw_.assign(buffer_, rowStart, next - rowStart);
      raw_.push_back('\n');
    }
    parseFields(rowStart, contentEnd, fields);
    return true;
  }
}

}  // namespace sfdc::bulk
