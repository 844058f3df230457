#pragma once

// The time and chance the request loop depends on, injected so that a unit test can run
// a retry sequence without sleeping and assert the exact waits.

#include <chrono>
#include <functional>

namespace sfdc::bulk::detail {

struct Pacing {
  /// Monotonic time: attempts are bounded by RetryPolicy::maxElapsed on this clock.
  std::function<std::chrono::steady_clock::time_point()> now;
  /// Wall-clock time: a `Retry-After` HTTP-date is measured from it.
  std::function<std::chrono::system_clock::time_point()> wallClock;
  /// Wait between attempts.
  std::function<void(std::chrono::milliseconds)> sleep;
  /// A draw in [0, 1) for the backoff jitter.
  std::function<double()> unitRandom;

  /// The real clocks, std::this_thread::sleep_for and a per-thread generator.
  static Pacing system();
};

/// A draw in [0, 1) from a per-thread generator (what Pacing::system uses).
double jitterDraw();

}  // namespace sfdc::bulk::detail
