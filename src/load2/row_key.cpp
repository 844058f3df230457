#include "row_key.hpp"

namespace sfdc::bulk::detail::load2 {

namespace {

constexpr std::uint64_t kPrimeA = 0x100000001b3ULL;
constexpr std::uint64_t kPrimeB = 0x9E3779B97F4A7C15ULL | 1ULL;

std::uint64_t finalMix(std::uint64_t value) {
  value ^= value >> 30;
  value *= 0xbf58476d1ce4e5b9ULL;
  value ^= value >> 27;
  value *= 0x94d049bb133111ebULL;
  value ^= value >> 31;
  return value;
}

// Two independent multiply-xor streams over the same bytes, each finished by a strong
// mix: 128 bits, so that distinct rows of even a huge job do not share a key.
struct KeyBuilder {
  std::uint64_t a = 0xcbf29ce484222325ULL;
  std::uint64_t b = 0x84222325cbf29ce4ULL;
  void byte(unsigned char c) {
    a = (a ^ c) * kPrimeA;
    b = (b ^ (c + 0x5bU)) * kPrimeB;
    b ^= b >> 29;
  }
  void bytes(std::string_view text) {
    for (unsigned char c : text) byte(c);
  }
  void length(std::size_t n) {
    for (int i = 0; i < 8; ++i) byte(static_cast<unsigned char>(n >> (8 * i)));
  }
  RowKey done() const {
    return RowKey{finalMix(a ^ finalMix(b)), finalMix(b + 0x632be59bd9b4e019ULL)};
  }
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool canonicalNumber(std::string_view cell, std::string& out) {
  std::size_t i = 0;
  bool negative = false;
  if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) negative = cell[i++] == '-';
  std::string digits;
  long long pointAt = -1;  // digits before the decimal point
  for (; i < cell.size(); ++i) {
    if (isDigit(cell[i])) {
      digits.push_back(cell[i]);
    } else if (cell[i] == '.' && pointAt < 0) {
      pointAt = static_cast<long long>(digits.size());
    } else {
      break;
    }
  }
  if (digits.empty()) return false;
  if (pointAt < 0) pointAt = static_cast<long long>(digits.size());
  long long exponent = 0;
  if (i < cell.size() && (cell[i] == 'e' || cell[i] == 'E')) {
    ++i;
    bool negativeExponent = false;
    if (i < cell.size() && (cell[i] == '+' || cell[i] == '-')) negativeExponent = cell[i++] == '-';
    const std::size_t start = i;
    // Exponents beyond any double's range are not numbers the service re-renders.
    for (; i < cell.size() && isDigit(cell[i]) && i - start < 6; ++i) {
      exponent = exponent * 10 + (cell[i] - '0');
    }
    if (i == start) return false;
    if (negativeExponent) exponent = -exponent;
  }
  if (i != cell.size()) return false;
  std::size_t first = 0;
  while (first < digits.size() && digits[first] == '0') ++first;
  if (first == digits.size()) {
    out = "0";
    return true;
  }
  std::size_t last = digits.size();
  while (digits[last - 1] == '0') --last;
  // Value = 0.<significant digits> x 10^(pointAt - leading zeros + exponent).
  const long long power = pointAt - static_cast<long long>(first) + exponent;
  out.assign(negative ? "-" : "");
  out.append(digits, first, last - first);
  out.push_back('e');
  out += std::to_string(power);
  return true;
}

RowKey rowKey(const std::vector<std::string>& cells, const std::vector<std::size_t>& columns) {
  KeyBuilder key;
  std::string number;
  for (const std::size_t column : columns) {
    const std::string_view cell =
        column < cells.size() ? std::string_view(cells[column]) : std::string_view();
    // The service renders number cells from their parsed value (912260031 comes back
    // as 9.12260031E8), so numbers are keyed by their exact value, not their spelling.
    if (canonicalNumber(cell, number)) {
      key.byte(1);
      key.length(number.size());
      key.bytes(number);
    } else {
      key.byte(0);
      key.length(cell.size());
      key.bytes(cell);
    }
  }
  return key.done();
}

}  // namespace sfdc::bulk::detail::load2
