#include "codec/dml_results_json.hpp"

#include <cstring>

#include "codec/codec_util.hpp"

namespace sfdc::bulk::detail {

namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view body) : p_(body.data()), end_(body.data() + body.size()) {}

  const char* position() const noexcept { return p_; }
  void seek(const char* p) noexcept { p_ = p; }
  bool atEnd() const noexcept { return p_ == end_; }

  void skipSpace() noexcept {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool take(char c) noexcept {
    skipSpace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool takeWord(std::string_view word) noexcept {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }
  // A string of printable ASCII without escapes, the quotes excluded; false otherwise
  // (the position is then unspecified).
  bool plainString(std::string_view& text) noexcept {
    if (!take('"')) return false;
    const char* start = p_;
    for (; p_ != end_; ++p_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        text = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
    }
    return false;
  }
  // Moves past one JSON value of any kind without reading it: strings (escapes
  // included) and nesting are followed, everything else is left to the full parser,
  // which sees this value's text on its own. False when the body ends first.
  bool skipValue() noexcept {
    skipSpace();
    const char* const start = p_;
    int depth = 0;
    while (p_ != end_) {
      const char c = *p_;
      if (c == '"') {
        ++p_;
        while (p_ != end_ && *p_ != '"') p_ += (*p_ == '\\' && p_ + 1 != end_) ? 2 : 1;
        if (p_ == end_) return false;
        ++p_;
        if (depth == 0) return true;
      } else if (c == '{' || c == '[') {
        ++depth;
        ++p_;
      } else if (c == '}' || c == ']') {
        if (depth == 0) return p_ != start;  // a scalar, ended by its container
        ++p_;
        if (--depth == 0) return true;
      } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
        return p_ != start;  // the end of a scalar
      } else {
        ++p_;
      }
    }
    return depth == 0 && p_ != start;
  }

 private:
  const char* p_;
  const char* end_;
};

// One result of the plain shape; false (position unspecified) for anything else.
bool plainResult(Scanner& in, RecordResult& result) {
  if (!in.take('{')) return false;
  bool seenId = false, seenSuccess = false, seenCreated = false, seenErrors = false;
  if (in.take('}')) return true;
  do {
    std::string_view key;
    if (!in.plainString(key) || !in.take(':')) return false;
    in.skipSpace();
    if (key == "id" && !seenId) {
      seenId = true;
      std::string_view id;
      if (in.takeWord("null")) continue;  // no id: as an empty one
      if (!in.plainString(id)) return false;
      result.id.assign(id);
    } else if ((key == "success" && !seenSuccess) || (key == "created" && !seenCreated)) {
      bool& seen = key == "success" ? seenSuccess : seenCreated;
      bool& value = key == "success" ? result.success : result.created;
      seen = true;
      if (in.takeWord("true")) {
        value = true;
      } else if (in.takeWord("false")) {
        value = false;
      } else {
        return false;
      }
    } else if (key == "errors" && !seenErrors) {
      seenErrors = true;
      if (!in.take('[') || !in.take(']')) return false;
    } else {
      return false;
    }
  } while (in.take(','));
  return in.take('}');
}

}  // namespace

bool scanJsonDmlResults(std::string_view body,
                        const std::function<RecordResult(std::string_view)>& general,
                        std::vector<RecordResult>& out) {
  Scanner in(body);
  if (!in.take('[')) return false;
  out.reserve(out.size() + body.size() / 48);  // a plain result takes about 55 bytes
  if (!in.take(']')) {
    do {
      in.skipSpace();
      const char* start = in.position();
      RecordResult result;
      if (!plainResult(in, result)) {
        in.seek(start);
        if (!in.skipValue()) return false;
        result = general(std::string_view(start, static_cast<std::size_t>(in.position() - start)));
      }
      out.push_back(std::move(result));
    } while (in.take(','));
    if (!in.take(']')) return false;
  }
  in.skipSpace();
  return in.atEnd();
}

}  // namespace sfdc::bulk::detail
