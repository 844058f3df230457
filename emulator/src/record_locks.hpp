#pragma once

// Row locks on parent records, org-wide: a batch chunk that writes children of a parent
// (Contacts of an Account) holds the parent's lock until the chunk's transaction ends, and
// a chunk of another batch that needs the same parent waits for it, for a bounded time.
// Locks are taken one by one in sorted order, so two chunks can never wait for each other
// in a cycle, and waiters of one lock are served first come, first served (a batch that
// just released a parent cannot take it straight back ahead of the batch waiting for
// it); a lock not obtained by the deadline is reported, and the records needing it fail
// with UNABLE_TO_LOCK_ROW as on a real org.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace sfdc::emulator::server {

class RecordLocks {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  /// Takes the locks on `keys` (sorted, distinct), waiting until `deadline` for each one
  /// held by another holder. Returns the keys it could not take; the caller holds the
  /// others until release().
  std::vector<std::string> acquire(const std::vector<std::string>& keys, Deadline deadline);
  /// Gives back locks taken by acquire().
  void release(const std::vector<std::string>& keys);
  /// Drops every lock and wakes every waiter (emulator reset or stop).
  void clear();
  /// Counters for /_emulator/stats: locks taken, waits, timeouts, locks held now.
  nlohmann::json stats() const;

 private:
  struct Lock {
    bool held = false;
    std::deque<std::uint64_t> waiters;  ///< tickets, in arrival order
  };

  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::unordered_map<std::string, Lock> locks_;  ///< only keys held or waited for
  std::uint64_t nextTicket_ = 0;
  long long generation_ = 0;  ///< bumped by clear() so waiters stop waiting
  long long taken_ = 0;
  long long waited_ = 0;
  long long timedOut_ = 0;
};

}  // namespace sfdc::emulator::server
