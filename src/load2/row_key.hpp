#pragma once

// The key by which a Bulk API 2.0 result row finds its input row. Result files echo the
// input columns after their sf__ columns but come back in any order, so rows are paired
// by content: a 128-bit hash of the cells (parsed, unquoted). Identical input rows are
// interchangeable, so pairing equal keys in any order is exact.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk::detail::load2 {

struct RowKey {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  bool operator==(const RowKey& other) const noexcept {
    return high == other.high && low == other.low;
  }
  bool operator<(const RowKey& other) const noexcept {
    return high != other.high ? high < other.high : low < other.low;
  }
};

/// The key of `cells[columns[0]]`, `cells[columns[1]]`, ... (positions past the end of
/// `cells` count as empty cells).
RowKey rowKey(const std::vector<std::string>& cells, const std::vector<std::size_t>& columns);

/// When `cell` is a decimal number (`-12`, `0.5`, `9.12260031E8`), its exact canonical
/// form (significant digits and a power of ten, e.g. `912260031e9`) and true; otherwise
/// false. No rounding: two cells get the same form only when they denote the same value.
bool canonicalNumber(std::string_view cell, std::string& out);

}  // namespace sfdc::bulk::detail::load2
