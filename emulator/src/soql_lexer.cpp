#include "soql_lexer.hpp"

#include "org.hpp"

namespace sfdc::emulator::detail {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }

bool digitsAt(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!isDigit(s[pos + i])) return false;
  }
  return true;
}

// Length of a date or datetime literal at `pos`, 0 if there is none.
std::size_t dateLength(std::string_view s, std::size_t pos, bool& hasTime) {
  hasTime = false;
  if (!(digitsAt(s, pos, 4) && pos + 4 < s.size() && s[pos + 4] == '-' && digitsAt(s, pos + 5, 2) &&
        pos + 7 < s.size() && s[pos + 7] == '-' && digitsAt(s, pos + 8, 2))) {
    return 0;
  }
  std::size_t end = pos + 10;
  if (end < s.size() && (s[end] == 'T' || s[end] == 't')) {
    hasTime = true;
    ++end;
    while (end < s.size() && (isDigit(s[end]) || s[end] == ':' || s[end] == '.')) ++end;
    if (end < s.size() && (s[end] == 'Z' || s[end] == 'z')) {
      ++end;
    } else if (end < s.size() && (s[end] == '+' || s[end] == '-')) {
      ++end;
      while (end < s.size() && (isDigit(s[end]) || s[end] == ':')) ++end;
    }
  }
  return end - pos;
}

}  // namespace

void malformedQuery(const std::string& message, std::size_t column) {
  throw SoqlError("MALFORMED_QUERY", message, column);
}

std::vector<Token> lexSoql(std::string_view s) {
  std::vector<Token> out;
  std::size_t pos = 0;
  while (true) {
    while (pos < s.size() &&
           (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')) {
      ++pos;
    }
    Token t;
    t.column = pos + 1;
    if (pos >= s.size()) {
      out.push_back(std::move(t));
      return out;
    }
    const char c = s[pos];
    bool hasTime = false;
    if (const std::size_t n = dateLength(s, pos, hasTime)) {
      t.kind = hasTime ? TokenKind::DateTime : TokenKind::Date;
      t.text = std::string(s.substr(pos, n));
      pos += n;
    } else if (isIdentStart(c)) {
      const std::size_t start = pos;
      while (pos < s.size() && (isIdentChar(s[pos]) || (s[pos] == '.' && pos + 1 < s.size() &&
                                                        isIdentStart(s[pos + 1])))) {
        ++pos;
      }
      t.kind = TokenKind::Identifier;
      t.text = std::string(s.substr(start, pos - start));
    } else if (isDigit(c) || ((c == '-' || c == '+' || c == '.') && pos + 1 < s.size() &&
                              (isDigit(s[pos + 1]) || s[pos + 1] == '.'))) {
      const std::size_t start = pos;
      if (c == '-' || c == '+') ++pos;
      while (pos < s.size() && (isDigit(s[pos]) || s[pos] == '.')) ++pos;
      if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
        while (pos < s.size() && isDigit(s[pos])) ++pos;
      }
      t.kind = TokenKind::Number;
      t.text = std::string(s.substr(start, pos - start));
    } else if (c == '\'') {
      ++pos;
      t.kind = TokenKind::String;
      bool closed = false;
      while (pos < s.size()) {
        const char d = s[pos++];
        if (d == '\'') {
          closed = true;
          break;
        }
        t.raw += d;
        if (d != '\\') {
          t.text += d;
          continue;
        }
        if (pos >= s.size()) break;
        const char e = s[pos++];
        t.raw += e;
        switch (e) {
          case 'n':
            t.text += '\n';
            break;
          case 'r':
            t.text += '\r';
            break;
          case 't':
            t.text += '\t';
            break;
          case 'b':
            t.text += '\b';
            break;
          case 'f':
            t.text += '\f';
            break;
          case '\'':
          case '"':
          case '\\':
          case '%':
          case '_':
            t.text += e;
            break;
          default:
            malformedQuery("Invalid string literal '\\" + std::string(1, e) +
                               "'. Illegal character sequence '\\" + std::string(1, e) +
                               "' in string literal.",
                           pos - 1);
        }
      }
      if (!closed) malformedQuery("unterminated string literal", t.column);
    } else if (c == ',' || c == '(' || c == ')' || c == ':') {
      t.kind = c == ','   ? TokenKind::Comma
               : c == '(' ? TokenKind::LParen
               : c == ')' ? TokenKind::RParen
                          : TokenKind::Colon;
      t.text = std::string(1, c);
      ++pos;
    } else if (c == '=' || c == '<' || c == '>' || c == '!') {
      t.kind = TokenKind::Operator;
      std::string op(1, c);
      if (pos + 1 < s.size() && (s[pos + 1] == '=' || (c == '<' && s[pos + 1] == '>'))) {
        op += s[pos + 1];
      }
      if (op == "!") malformedQuery("unexpected token: '!'", t.column);
      pos += op.size();
      t.text = op == "<>" ? "!=" : op;
    } else {
      malformedQuery("unexpected token: '" + std::string(1, c) + "'", t.column);
    }
    out.push_back(std::move(t));
  }
}

}  // namespace sfdc::emulator::detail
