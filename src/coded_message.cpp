#include "coded_message.hpp"

#include <algorithm>

namespace sfdc::bulk::detail {

CodedMessage splitCodedMessage(const std::string& text) {
  const auto separator = text.find(" : ");
  if (separator == std::string::npos || separator == 0) return {std::string(), text};
  const bool isCode =
      std::all_of(text.begin(), text.begin() + static_cast<long>(separator), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
      });
  if (!isCode) return {std::string(), text};
  return {text.substr(0, separator), text.substr(separator + 3)};
}

}  // namespace sfdc::bulk::detail
