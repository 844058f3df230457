#include "codec/error_cell.hpp"

#include <string>

namespace sfdc::bulk::detail {

namespace {

bool isSpace(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool isCodeChar(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of a status code (`[A-Z][A-Z0-9_]*`) followed by ':' at the start of `text`, or 0.
std::size_t statusCodeLength(std::string_view text) noexcept {
  if (text.empty() || text[0] < 'A' || text[0] > 'Z') return 0;
  std::size_t i = 1;
  while (i < text.size() && isCodeChar(text[i])) ++i;
  return (i < text.size() && text[i] == ':') ? i : 0;
}

// Field names are API names, possibly dotted; a list is comma-separated without spaces
// (tolerating a space after a comma). Anything else after the last colon is message text.
bool looksLikeFieldList(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ',' || (c == ' ' && i > 0 && text[i - 1] == ',');
    if (!ok) return false;
  }
  return true;
}

RecordError parseOne(std::string_view text) {
  RecordError error;
  const std::size_t codeLength = statusCodeLength(text);
  if (codeLength == 0) {
    error.message = std::string(text);
    return error;
  }
  error.statusCode = std::string(text.substr(0, codeLength));
  std::string_view rest = text.substr(codeLength + 1);
  const std::size_t lastColon = rest.rfind(':');
  if (lastColon != std::string_view::npos && looksLikeFieldList(trim(rest.substr(lastColon + 1)))) {
    std::string_view fields = trim(rest.substr(lastColon + 1));
    rest = rest.substr(0, lastColon);
    while (!fields.empty()) {
      const std::size_t comma = fields.find(',');
      const std::string_view field = trim(fields.substr(0, comma));
      if (!field.empty()) error.fields.emplace_back(field);
      if (comma == std::string_view::npos) break;
      fields.remove_prefix(comma + 1);
    }
  }
  error.message = std::string(trim(rest));
  return error;
}

}  // namespace

std::vector<RecordError> parseCsvErrorCell(std::string_view cell) {
  std::vector<RecordError> errors;
  cell = trim(cell);
  std::size_t segmentStart = 0;
  std::size_t i = 0;
  const auto flush = [&](std::size_t end) {
    const std::string_view segment = trim(cell.substr(segmentStart, end - segmentStart));
    if (!segment.empty()) errors.push_back(parseOne(segment));
  };
  while (i < cell.size()) {
    // A `--` closes an error when the cell ends after it or the next error's code follows;
    // a newline separates errors only when a status code follows it.
    if (cell[i] == '-' && i + 1 < cell.size() && cell[i + 1] == '-') {
      std::size_t next = i + 2;
      while (next < cell.size() && isSpace(cell[next])) ++next;
      if (next == cell.size() || statusCodeLength(cell.substr(next)) > 0) {
        flush(i);
        segmentStart = next;
        i = next;
        continue;
      }
    } else if (cell[i] == '\n') {
      std::size_t next = i + 1;
      while (next < cell.size() && isSpace(cell[next])) ++next;
      if (next < cell.size() && statusCodeLength(cell.substr(next)) > 0) {
        flush(i);
        segmentStart = next;
        i = next;
        continue;
      }
    }
    ++i;
  }
  flush(cell.size());
  return errors;
}

}  // namespace sfdc::bulk::detail
