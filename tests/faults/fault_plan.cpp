#include "fault_plan.hpp"

#include <algorithm>

namespace sfdc::bulk::soak {

namespace {

/// splitmix64: a small generator whose output is the same on every platform and standard
/// library, unlike the std distributions, so a seed replays anywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [low, high].
  int between(int low, int high) {
    return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
  }
  bool chance(int percent) { return between(1, 100) <= percent; }
  template <typename T, std::size_t N>
  const T& oneOf(const T (&items)[N]) {
    return items[next() % N];
  }

 private:
  std::uint64_t state_;
};

/// The moments of a load a fault can aim at, with how many of those requests a
/// 50,000-row load in 10 batches makes (an upper bound for `skip`).
struct Target {
  const char* onlyFor;
  int maxSkip;
};
constexpr Target kTargets[] = {{"createJob", 0},   {"addBatch", 9},    {"addBatch", 9},
                               {"pollBatches", 4}, {"pollBatches", 4}, {"batchResult", 9},
                               {"batchResult", 9}, {"closeJob", 0}};

/// Where in a load a request kind comes: faults due at the same moment are set in this
/// order, so that one aimed at job creation is not queued behind one aimed at results.
int phase(const std::string& onlyFor) {
  constexpr const char* kOrder[] = {"createJob",   "addBatch", "pollBatches",
                                    "batchResult", "getJob",   "closeJob"};
  for (int i = 0; i < 6; ++i) {
    if (onlyFor == kOrder[i]) return i;
  }
  return 6;
}

constexpr FaultKind kKinds[] = {FaultKind::Http503,          FaultKind::Http500,
                                FaultKind::DropBeforeAnswer, FaultKind::DropMidAnswer,
                                FaultKind::SessionExpiry,    FaultKind::Delay};

PlannedFault drawFault(Random& random) {
  PlannedFault fault;
  fault.kind = random.oneOf(kKinds);
  const Target& target = random.oneOf(kTargets);
  fault.target = target.onlyFor;
  fault.skip = random.between(0, target.maxSkip);
  // Half the faults are waiting when the load starts; the others arrive while it runs
  // (a load without faults takes one to two seconds).
  fault.at = random.chance(50) ? std::chrono::milliseconds(0)
                               : std::chrono::milliseconds(random.between(1, 15) * 100);
  switch (fault.kind) {
    case FaultKind::Http503:
      fault.count = random.between(1, 8);
      fault.retryAfterSeconds = random.between(0, 1);
      break;
    case FaultKind::Http500:
    case FaultKind::DropBeforeAnswer:
    case FaultKind::DropMidAnswer:
      fault.count = random.between(1, 8);
      break;
    case FaultKind::SessionExpiry:
      // A session is only worth expiring once the load holds one.
      fault.count = random.between(1, 2);
      fault.target = "any";
      fault.skip = 0;
      fault.at = std::chrono::milliseconds(random.between(1, 15) * 100);
      break;
    case FaultKind::Delay:
      fault.count = random.between(1, 4);
      fault.skip = 0;
      fault.delay = std::chrono::milliseconds(random.between(1, 15) * 100);
      break;
  }
  return fault;
}

}  // namespace

const char* toString(FaultKind kind) {
  switch (kind) {
    case FaultKind::Http503:
      return "503";
    case FaultKind::Http500:
      return "500";
    case FaultKind::DropBeforeAnswer:
      return "dropBeforeAnswer";
    case FaultKind::DropMidAnswer:
      return "dropMidAnswer";
    case FaultKind::SessionExpiry:
      return "sessionExpiry";
    case FaultKind::Delay:
      return "delay";
  }
  return "?";
}

emulator::Faults PlannedFault::toFaults() const {
  emulator::Faults faults;
  faults.onlyFor = target;
  faults.skipRequests = skip;
  switch (kind) {
    case FaultKind::Http503:
      faults.fail503 = count;
      faults.retryAfterSeconds = retryAfterSeconds;
      break;
    case FaultKind::Http500:
      faults.fail500 = count;
      break;
    case FaultKind::DropBeforeAnswer:
      faults.dropBeforeResponse = count;
      break;
    case FaultKind::DropMidAnswer:
      faults.dropMidResponse = count;
      break;
    case FaultKind::Delay:
      faults.delay = delay;
      break;
    case FaultKind::SessionExpiry:
      break;
  }
  return faults;
}

std::uint64_t runSeed(std::uint64_t soakSeed, int run) {
  Random random(soakSeed ^ (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(run + 1)));
  return random.next();
}

RunPlan planRun(int run, std::uint64_t seed) {
  Random random(seed);
  RunPlan plan;
  plan.run = run;
  plan.seed = seed;
  constexpr const char* kFormats[] = {"csv", "json", "xml", "bulk2"};
  plan.format = random.oneOf(kFormats);
  const int faults = random.between(1, 4);
  for (int i = 0; i < faults; ++i) {
    PlannedFault fault = drawFault(random);
    // A Bulk API 2.0 load polls its jobs, not batches (the emulator files GET
    // /jobs/ingest/{id} under getJob); its uploads and result downloads are filed under
    // addBatch and batchResult like their 1.0 counterparts.
    if (plan.format == "bulk2" && fault.target == "pollBatches") fault.target = "getJob";
    plan.faults.push_back(fault);
  }
  std::stable_sort(plan.faults.begin(), plan.faults.end(),
                   [](const PlannedFault& a, const PlannedFault& b) {
                     return a.at != b.at ? a.at < b.at : phase(a.target) < phase(b.target);
                   });
  return plan;
}

std::string describe(const PlannedFault& fault) {
  std::string text = std::string(toString(fault.kind)) + " x" + std::to_string(fault.count);
  if (fault.kind == FaultKind::Delay) {
    text += " (" + std::to_string(fault.delay.count()) + "ms per response, half-second windows)";
  }
  if (fault.kind != FaultKind::SessionExpiry) {
    text += " on " + fault.target;
    if (fault.skip > 0) text += " after " + std::to_string(fault.skip);
  }
  if (fault.kind == FaultKind::Http503) {
    text += " (Retry-After " + std::to_string(fault.retryAfterSeconds) + "s)";
  }
  text += fault.at.count() == 0 ? std::string(" before the load")
                                : " at " + std::to_string(fault.at.count()) + "ms";
  return text;
}

std::string describe(const RunPlan& plan) {
  std::string text;
  for (const auto& fault : plan.faults) text += (text.empty() ? "" : "; ") + describe(fault);
  return text;
}

}  // namespace sfdc::bulk::soak
