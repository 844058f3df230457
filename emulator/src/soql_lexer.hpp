#pragma once

// Tokens of the SOQL subset the emulator runs.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::emulator::detail {

enum class TokenKind {
  Identifier,  ///< a name or dotted path (Account.Name) or keyword
  String,      ///< 'quoted'; `text` unescaped, `raw` as written between the quotes
  Number,
  Date,      ///< 2024-01-31
  DateTime,  ///< 2024-01-31T10:00:00Z
  Operator,  ///< = != <> < <= > >=
  Comma,
  LParen,
  RParen,
  Colon,
  End,
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;
  std::string raw;
  std::size_t column = 0;  ///< 1-based, as Salesforce reports positions
};

/// Splits a query into tokens; throws BatchFailure("MALFORMED_QUERY : …").
std::vector<Token> lexSoql(std::string_view soql);

/// Throws SoqlError("MALFORMED_QUERY", message, column); column 0 = position unknown.
[[noreturn]] void malformedQuery(const std::string& message, std::size_t column = 0);

}  // namespace sfdc::emulator::detail
