#include "query/soql_object.hpp"

#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk::detail {
namespace {

bool isIdentifierChar(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isLetter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool isSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// True when `soql` holds the keyword FROM at `at` as a word of its own.
bool isFromKeyword(std::string_view soql, std::size_t at) noexcept {
  static constexpr std::string_view kFrom = "from";
  if (at + kFrom.size() > soql.size()) return false;
  for (std::size_t i = 0; i < kFrom.size(); ++i) {
    if (lower(soql[at + i]) != kFrom[i]) return false;
  }
  const bool startsWord = at == 0 || !isIdentifierChar(soql[at - 1]);
  const std::size_t after = at + kFrom.size();
  const bool endsWord = after == soql.size() || !isIdentifierChar(soql[after]);
  return startsWord && endsWord;
}

// Index just past the string literal that opens at `open` (a single quote). SOQL
// escapes a quote inside a literal with a backslash.
std::size_t skipLiteral(std::string_view soql, std::size_t open) noexcept {
  std::size_t i = open + 1;
  while (i < soql.size()) {
    if (soql[i] == '\\') {
      i += 2;
    } else if (soql[i] == '\'') {
      return i + 1;
    } else {
      ++i;
    }
  }
  return soql.size();
}

}  // namespace

std::string queryObject(std::string_view soql) {
  int depth = 0;
  std::size_t i = 0;
  while (i < soql.size()) {
    const char c = soql[i];
    if (c == '\'') {
      i = skipLiteral(soql, i);
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (depth == 0 && isFromKeyword(soql, i)) {
      std::size_t name = i + 4;
      while (name < soql.size() && isSpace(soql[name])) ++name;
      std::size_t end = name;
      while (end < soql.size() && isIdentifierChar(soql[end])) ++end;
      // A FROM with no object after it is malformed; keep looking rather than guess.
      if (end > name && isLetter(soql[name])) return std::string(soql.substr(name, end - name));
      i += 4;
      continue;
    } else if (isIdentifierChar(c)) {
      // Skip the rest of the word so that e.g. `DateFrom` never matches mid-word.
      while (i < soql.size() && isIdentifierChar(soql[i])) ++i;
      continue;
    }
    ++i;
  }
  throw InvalidArgument("cannot find the object in the query");
}

}  // namespace sfdc::bulk::detail
