#pragma once

// How long to wait between two polls of a job (loads and queries, over both APIs). Every poll is
// one API request against the org's daily limit, so the interval doubles while nothing changes (up
// to the maximum) and halves when something moved (down to the minimum): a busy job is followed
// closely, an idle one costs few requests. The wait is also kept under a sixteenth of the time
// waited so far (or four times the minimum, whichever is longer), so a long job is seen at most
// about 6 % after it finished: doubling alone lets a 40-second job be noticed up to 10
// seconds late. Four times the minimum keeps a short job from costing a poll per minimum.

#include <algorithm>
#include <chrono>

namespace sfdc::bulk::detail {

class PollBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  /// Share of the time waited so far that one wait may take at most (1/16).
  static constexpr int kLatenessDivisor = 16;

  PollBackoff(std::chrono::milliseconds min, std::chrono::milliseconds max,
              Clock::time_point since = Clock::now())
      : min_(std::max(min, std::chrono::milliseconds(1))),
        max_(std::max(max, min_)),
        current_(min_),
        since_(since) {}

  /// The wait before the next poll, at `now`.
  std::chrono::milliseconds current(Clock::time_point now = Clock::now()) const noexcept {
    if (failing_) return current_;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - since_);
    return std::min(current_, std::max(min_ * 4, waited / kLatenessDivisor));
  }

  /// Record the outcome of a poll: did anything change (a state, a count)?
  void onPoll(bool changed) noexcept {
    failing_ = false;
    current_ = changed ? std::max(min_, current_ / 2) : std::min(max_, current_ * 2);
  }

  /// A poll failed for now (an outage may last a while): wait at least a second, longer
  /// each time.
  void onFailure() noexcept {
    current_ = std::min(max_, std::max(current_ * 2, std::chrono::milliseconds(1000)));
    // A failed poll said nothing about the job: the lateness cap must not shorten this wait.
    failing_ = true;
  }

  /// Back to the minimum, counting time from `now` (e.g. right after new work was sent).
  void reset(Clock::time_point now = Clock::now()) noexcept {
    current_ = min_;
    since_ = now;
    failing_ = false;
  }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
  Clock::time_point since_;
  bool failing_ = false;
};

}  // namespace sfdc::bulk::detail
