#pragma once

// SOQL LIKE patterns: `%` any run of characters, `_` one character, `\%` and `\_`
// literal; matching is case-insensitive, as on Salesforce.

#include <string_view>
#include <vector>

namespace sfdc::emulator::detail {

struct LikeToken {
  enum class Kind { Literal, One, Any };
  Kind kind = Kind::Literal;
  char c = 0;
};
using LikePattern = std::vector<LikeToken>;

/// `raw` is the string literal as written between the quotes (escapes intact).
LikePattern compileLike(std::string_view raw);
bool matchLike(const LikePattern& pattern, std::string_view value);

}  // namespace sfdc::emulator::detail
