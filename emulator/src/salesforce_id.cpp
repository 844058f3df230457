#include "salesforce_id.hpp"

namespace sfdc::emulator::detail {
namespace {

constexpr std::string_view kSuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
// Digits, then upper case, then lower case: the ASCII order, so that a zero-padded
// counter written in this alphabet sorts numerically under std::string comparison.
constexpr std::string_view kBase62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kPod = "5g";
constexpr std::size_t kCounterDigits = 10;

bool isAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int base62Digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c >= 'a' && c <= 'z') return c - 'a' + 36;
  return -1;
}

}  // namespace

std::string idChecksum(std::string_view id15) {
  std::string suffix;
  for (std::size_t block = 0; block < 3; ++block) {
    unsigned bits = 0;
    for (std::size_t i = 0; i < 5; ++i) {
      const char c = id15[block * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1u << i;
    }
    suffix += kSuffixAlphabet[bits];
  }
  return suffix;
}

std::optional<std::string> normalizeId(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return std::nullopt;
  for (char c : id) {
    if (!isAlnum(c)) return std::nullopt;
  }
  std::string out(id.substr(0, 15));
  out += idChecksum(out);
  return out;
}

std::string makeId(std::string_view keyPrefix, std::uint64_t counter) {
  std::string id;
  id.reserve(18);
  id.append(keyPrefix);
  id.append(kPod);
  char digits[kCounterDigits];
  for (std::size_t i = kCounterDigits; i-- > 0;) {
    digits[i] = kBase62[counter % 62];
    counter /= 62;
  }
  id.append(digits, kCounterDigits);
  id += idChecksum(id);
  return id;
}

std::optional<std::uint64_t> idCounter(std::string_view keyPrefix, std::string_view id18) {
  if (id18.size() < 15 || id18.substr(0, 3) != keyPrefix || id18.substr(3, 2) != kPod) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (std::size_t i = 5; i < 15; ++i) {
    const int d = base62Digit(id18[i]);
    if (d < 0) return std::nullopt;
    value = value * 62 + static_cast<std::uint64_t>(d);
  }
  return value;
}

}  // namespace sfdc::emulator::detail
