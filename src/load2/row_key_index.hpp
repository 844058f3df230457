#pragma once

// Rows waiting to be paired by content: each row of one side is added with its RowKey and
// a value saying where it is; each row of the other side takes the first unused row with
// its key. Equal keys are handed out in the order of their values, so that identical rows
// pair up in a deterministic order. A sorted vector of 24 bytes a row: far smaller
// than a hash map, and rows are only added before the first take.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "row_key.hpp"

namespace sfdc::bulk::detail::load2 {

class RowKeyIndex {
 public:
  void reserve(std::size_t rows) { entries_.reserve(rows); }
  void clear() {
    entries_.clear();
    entries_.shrink_to_fit();
    sealed_ = false;
  }
  /// Adds a row; all adds come before the first take().
  void add(const RowKey& key, std::uint32_t value) { entries_.push_back(Entry{key, value, 0}); }

  /// The value of the first row with `key` not yet taken, now taken; nothing when every
  /// row with that key is taken or none has it. `shared`, when given, tells whether other
  /// rows have the same key.
  std::optional<std::uint32_t> take(const RowKey& key, bool* shared = nullptr) {
    seal();
    const auto first = std::lower_bound(
        entries_.begin(), entries_.end(), key,
        [](const Entry& entry, const RowKey& wanted) { return entry.key < wanted; });
    if (first == entries_.end() || !(first->key == key)) return std::nullopt;
    if (shared != nullptr) *shared = first + 1 != entries_.end() && (first + 1)->key == key;
    const auto next = first + first->taken;
    if (next == entries_.end() || !(next->key == key)) return std::nullopt;
    ++first->taken;
    return next->value;
  }

  /// Calls `f(value, copyOf)` for every row never taken, in key order; `copyOf` is the
  /// value of the first row with the same key that was taken (the row repeats it), or -1
  /// when none was.
  template <typename F>
  void forEachUntaken(F&& f) {
    seal();
    for (auto run = entries_.begin(); run != entries_.end();) {
      auto end = run;
      while (end != entries_.end() && end->key == run->key) ++end;
      const std::int64_t copyOf = run->taken > 0 ? std::int64_t{run->value} : -1;
      for (auto it = run + run->taken; it < end; ++it) f(it->value, copyOf);
      run = end;
    }
  }

 private:
  struct Entry {
    RowKey key;
    std::uint32_t value = 0;
    // In the first entry of a run of equal keys: how many of the run are taken.
    std::uint32_t taken = 0;
  };
  void seal() {
    if (sealed_) return;
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
      return a.key == b.key ? a.value < b.value : a.key < b.key;
    });
    sealed_ = true;
  }

  std::vector<Entry> entries_;
  bool sealed_ = false;
};

}  // namespace sfdc::bulk::detail::load2
