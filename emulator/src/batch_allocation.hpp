#pragma once

// The org's rolling allocation of Bulk API 1.0 batches (EmulatorOptions::batchAllocation):
// the service allows 15,000 per rolling 24 hours and refuses more with ExceededQuota.

#include <chrono>
#include <deque>
#include <mutex>

namespace sfdc::emulator::server {

/// The org's rolling allocation of Bulk API 1.0 batches (EmulatorOptions::batchAllocation).
class BatchAllocation {
 public:
  BatchAllocation(int limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  /// Counts one batch; throws ApiException(400, ExceededQuota) when the allocation is used
  /// up (the refused batch does not count).
  void charge();
  void clear();
  /// Batches counted in the current window, for /_emulator/stats.
  long long used() const;

 private:
  mutable std::mutex mutex_;
  int limit_;
  std::chrono::seconds window_;
  std::deque<std::chrono::steady_clock::time_point> charged_;
};

}  // namespace sfdc::emulator::server
