#pragma once

// When a result download that broke off is started again (v1 result files, 2.0 result
// pages). Only failures without progress count: a download that always breaks at the
// same row ends with its error after RetryPolicy::maxAttempts tries, while one that
// gets further each time keeps going.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <sfdc/bulk/config.hpp>

#include "retry.hpp"

namespace sfdc::bulk::detail::query {

class DownloadResume {
 public:
  /// After a failure with `delivered` rows handed out: the pause before downloading
  /// again, or nullopt when the attempts are spent (the caller rethrows).
  std::optional<std::chrono::milliseconds> afterFailure(const RetryPolicy& policy,
                                                        std::uint64_t delivered) {
    if (delivered > failedAt_) failuresWithoutProgress_ = 0;
    failedAt_ = delivered;
    if (++failuresWithoutProgress_ >= std::max(policy.maxAttempts, 1)) return std::nullopt;
    ++resumes_;
    return backoffDelay(policy, failuresWithoutProgress_, 0.5);
  }

  /// Times the download was started again.
  int resumes() const noexcept { return resumes_; }

 private:
  int failuresWithoutProgress_ = 0;
  std::uint64_t failedAt_ = 0;
  int resumes_ = 0;
};

}  // namespace sfdc::bulk::detail::query
