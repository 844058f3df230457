#include "query/json_array_scanner.hpp"

#include <sfdc/bulk/error.hpp>
#include <string>

#include "codec/codec_util.hpp"

namespace sfdc::bulk::detail {

namespace {

constexpr std::string_view kNoRecords = "Records not found for this query";
// How much of a body that may be the zero-row marker is read before giving up on it.
constexpr std::size_t kMarkerReadLimit = 64 * 1024;

bool isJsonSpace(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

[[noreturn]] void fail(const std::string& what) { throw ParseError("JSON query result: " + what); }

}  // namespace

bool isNoRecordsMarker(std::string_view text, bool complete) noexcept {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.remove_prefix(3);
  while (!text.empty() && isJsonSpace(text.front())) text.remove_prefix(1);
  if (text.size() <= kNoRecords.size()) {
    return !complete ? kNoRecords.compare(0, text.size(), text) == 0 : text == kNoRecords;
  }
  if (text.compare(0, kNoRecords.size(), kNoRecords) != 0) return false;
  for (const char c : text.substr(kNoRecords.size())) {
    if (!isJsonSpace(c)) return false;
  }
  return true;
}

bool JsonArrayScanner::ensure(std::size_t position) {
  while (position >= buffer_.size()) {
    if (!buffer_.fill()) return false;
  }
  return true;
}

bool JsonArrayScanner::start() {
  started_ = true;
  // Skip a BOM and whitespace, then expect '['.
  if (ensure(2) && std::string_view(buffer_.data(), 3) == "\xEF\xBB\xBF") pos_ = 3;
  while (ensure(pos_) && isJsonSpace(buffer_.data()[pos_])) ++pos_;
  if (!ensure(pos_)) {
    finished_ = true;  // an empty body holds no records
    return false;
  }
  if (buffer_.data()[pos_] == '[') {
    ++pos_;
    return true;
  }
  // The zero-row marker is plain text: read on while the body can still be that marker
  // (it is short; whitespace after it is bounded), so that the verdict does not depend
  // on how the body arrived.
  while (!buffer_.eof() && buffer_.size() < kMarkerReadLimit &&
         isNoRecordsMarker(buffer_.view(), false) && buffer_.fill()) {
  }
  if (isNoRecordsMarker(buffer_.view(), buffer_.eof())) {
    finished_ = true;
    return false;
  }
  fail("expected a JSON array");
}

bool JsonArrayScanner::next(std::string_view& element) {
  if (finished_) return false;
  if (!started_ && !start()) return false;
  buffer_.discard(pos_);
  pos_ = 0;
  // Skip separators up to the next element or the closing bracket.
  for (;;) {
    if (!ensure(pos_)) fail("unexpected end of input inside the array");
    const char c = buffer_.data()[pos_];
    if (isJsonSpace(c) || c == ',') {
      ++pos_;
      continue;
    }
    if (c == ']') {
      finished_ = true;
      return false;
    }
    break;
  }
  const std::size_t begin = pos_;
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  for (;;) {
    if (!ensure(pos_)) fail("unexpected end of input inside an element");
    const char c = buffer_.data()[pos_];
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
        if (depth == 0) {
          ++pos_;
          break;
        }
      }
      ++pos_;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      // The array itself is the first level.
      if (++depth >= kMaxNestingDepth) {
        fail("a record nests deeper than " + std::to_string(kMaxNestingDepth) + " levels");
      }
    } else if (c == '}' || c == ']') {
      if (depth == 0) break;  // end of a scalar element followed by the array's `]`
      if (--depth == 0) {
        ++pos_;
        break;
      }
    } else if (depth == 0 && (c == ',' || isJsonSpace(c))) {
      break;  // end of a scalar element
    }
    ++pos_;
  }
  element = std::string_view(buffer_.data() + begin, pos_ - begin);
  return true;
}

}  // namespace sfdc::bulk::detail
