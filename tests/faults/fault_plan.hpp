#pragma once

// What one soak run does: the job format and the faults drawn for it, all derived from
// one 64-bit seed so that a failing run can be replayed exactly.

#include <chrono>
#include <cstdint>
#include <sfdc/emulator/emulator.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::soak {

enum class FaultKind { Http503, Http500, DropBeforeAnswer, DropMidAnswer, SessionExpiry, Delay };

/// Name used in the printed schedule and in the per-kind totals.
const char* toString(FaultKind kind);

/// One fault of a run's schedule.
struct PlannedFault {
  FaultKind kind = FaultKind::Http503;
  /// Requests it hits (HTTP kinds), expiries (SessionExpiry), or half-second windows
  /// during which responses are delayed (Delay).
  int count = 1;
  /// Faults::onlyFor of the request kind it aims at (unused for SessionExpiry).
  std::string target = "any";
  /// Matching requests let through before it fires.
  int skip = 0;
  /// When it is set, counted from the start of the load; 0 = before the load starts.
  std::chrono::milliseconds at{0};
  /// Retry-After of 503s; delay of each response for Delay.
  int retryAfterSeconds = 0;
  std::chrono::milliseconds delay{0};

  /// The emulator faults that inject it (HTTP kinds and Delay).
  emulator::Faults toFaults() const;
};

/// Everything a run does, derived from `seed`.
struct RunPlan {
  int run = 0;
  std::uint64_t seed = 0;
  /// Job content type: "csv", "json" or "xml" (Bulk API 1.0), or "bulk2" (a CSV load
  /// over Bulk API 2.0).
  std::string format;
  /// Ordered by `at`, then by where in a load their request kind comes.
  std::vector<PlannedFault> faults;
};

/// The seed of run `run` of a soak seeded with `soakSeed`.
std::uint64_t runSeed(std::uint64_t soakSeed, int run);

/// Draws the format and 1-4 faults of a run.
RunPlan planRun(int run, std::uint64_t seed);

/// One line per fault, e.g. "503 x3 on pollBatches after 2 (Retry-After 1s) at 800ms".
std::string describe(const PlannedFault& fault);
std::string describe(const RunPlan& plan);

}  // namespace sfdc::bulk::soak
