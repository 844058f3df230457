#include "pacing.hpp"

#include <random>
#include <thread>

namespace sfdc::bulk::detail {

double jitterDraw() {
  // One generator per thread: no locking, and no shared sequence between clients.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

Pacing Pacing::system() {
  Pacing pacing;
  pacing.now = [] { return std::chrono::steady_clock::now(); };
  pacing.wallClock = [] { return std::chrono::system_clock::now(); };
  pacing.sleep = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
  pacing.unitRandom = &jitterDraw;
  return pacing;
}

}  // namespace sfdc::bulk::detail
