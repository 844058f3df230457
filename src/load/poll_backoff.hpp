#pragma once

// How long to wait between two polls of a job's batch list. Every poll is one API
// request against the org's daily limit, so the interval doubles while nothing changes
// (up to the maximum) and halves when a batch moved (down to the minimum): a busy job is
// followed closely, an idle one costs few requests.

#include <algorithm>
#include <chrono>

namespace sfdc::bulk::detail::load {

class PollBackoff {
 public:
  PollBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
      : min_(std::max(min, std::chrono::milliseconds(1))),
        max_(std::max(max, min_)),
        current_(min_) {}

  /// The wait before the next poll.
  std::chrono::milliseconds current() const noexcept { return current_; }

  /// Record the outcome of a poll: did any batch change state or count?
  void onPoll(bool changed) noexcept {
    current_ = changed ? std::max(min_, current_ / 2) : std::min(max_, current_ * 2);
  }

  /// Back to the minimum (e.g. right after new batches were sent).
  void reset() noexcept { current_ = min_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
};

}  // namespace sfdc::bulk::detail::load
