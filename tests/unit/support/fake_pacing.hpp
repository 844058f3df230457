#pragma once

// A clock that only moves when the code under test sleeps, a sleeper that records each
// wait instead of waiting, and a fixed jitter draw: retry sequences run instantly and
// their exact waits can be asserted.

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "pacing.hpp"

namespace sfdc::bulk::testing {

class FakePacing {
 public:
  /// The jitter draw every backoff gets (0.5: three quarters of the step).
  double draw = 0.5;

  /// The Pacing to inject; it refers to this object, which must outlive it.
  detail::Pacing pacing() {
    detail::Pacing pacing;
    pacing.now = [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      return steady_;
    };
    pacing.wallClock = [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      return wall_;
    };
    pacing.sleep = [this](std::chrono::milliseconds delay) {
      std::lock_guard<std::mutex> lock(mutex_);
      sleeps_.push_back(delay);
      steady_ += delay;
      wall_ += delay;
    };
    pacing.unitRandom = [this] { return draw; };
    return pacing;
  }

  /// Move both clocks forward without a sleep (time spent in a request).
  void advance(std::chrono::milliseconds by) {
    std::lock_guard<std::mutex> lock(mutex_);
    steady_ += by;
    wall_ += by;
  }

  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

  std::chrono::system_clock::time_point wallNow() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return wall_;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point steady_{std::chrono::hours(1)};
  // 2023-11-14T22:13:20Z, a whole second so HTTP-dates land exactly.
  std::chrono::system_clock::time_point wall_{std::chrono::seconds(1'700'000'000)};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace sfdc::bulk::testing
