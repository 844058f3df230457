// The randomized fault soak: loads of 50,000 Contacts through the real sfbulk binary
// against the in-process emulator, each with faults drawn from a seed (kind, count,
// request kind and moment), each checked row by row against the org and the result files.
//
//   SFDC_BULK_SOAK_SEED=N   replay a soak (the seed is printed first)
//   SFDC_BULK_SOAK_RUN=I    run only run I of that soak
//   SFDC_BULK_SOAK_RUNS=N   N runs instead of the default, without the time budget

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "fault_plan.hpp"
#include "fault_scheduler.hpp"
#include "run_check.hpp"
#include "support/cli_fixture.hpp"

namespace sfdc::bulk::soak {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kRowsPerRun = 50000;
/// Runs by default: enough to draw every kind of fault at every moment a few times.
constexpr int kDefaultRuns = 40;
/// Without SFDC_BULK_SOAK_RUNS no run starts after this much time, which keeps the
/// default soak at two to four minutes however long its faults make the loads.
constexpr std::chrono::seconds kDefaultBudget{150};
/// sfbulk's own --timeout, and how long the soak waits for it beyond that.
constexpr int kLoadTimeoutSeconds = 90;
constexpr std::chrono::seconds kProcessTimeout{kLoadTimeoutSeconds + 30};

struct Settings {
  std::uint64_t seed = 0;
  int runs = kDefaultRuns;
  std::optional<int> onlyRun;
  bool budgeted = true;
};

std::optional<std::uint64_t> environmentNumber(const char* name) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 0);
  if (end == text || *end != '\0') {
    ADD_FAILURE() << name << "=" << text << " is not a number";
    return std::nullopt;
  }
  return value;
}

Settings settingsFromEnvironment() {
  Settings settings;
  if (auto seed = environmentNumber("SFDC_BULK_SOAK_SEED")) {
    settings.seed = *seed;
  } else {
    std::random_device device;
    settings.seed = (static_cast<std::uint64_t>(device()) << 32) ^ device() ^
                    static_cast<std::uint64_t>(Clock::now().time_since_epoch().count());
  }
  if (auto runs = environmentNumber("SFDC_BULK_SOAK_RUNS")) {
    settings.runs = static_cast<int>(*runs);
    settings.budgeted = false;
  }
  if (auto run = environmentNumber("SFDC_BULK_SOAK_RUN")) {
    settings.onlyRun = static_cast<int>(*run);
    settings.budgeted = false;
  }
  return settings;
}

/// Batches take tens of milliseconds, so faults set while the load runs meet uploads,
/// polls and downloads alike, and a load without faults takes a second or two.
emulator::EmulatorOptions emulatorOptions() {
  emulator::EmulatorOptions options;
  options.workers = 2;
  options.costPerRecord = std::chrono::microseconds(10);
  return options;
}

/// Faults that fired, by kind, as the emulator counted them (and the scheduler, for
/// session expiries).
using FaultCounts = std::map<std::string, long long>;

FaultCounts injectedFaults(const nlohmann::json& stats, int sessionExpiries) {
  static const std::map<std::string, std::string> kNames = {
      {"503", "503"},
      {"500", "500"},
      {"dropBeforeResponse", "dropBeforeAnswer"},
      {"dropMidResponse", "dropMidAnswer"},
      {"delay", "delayedAnswers"}};
  FaultCounts counts;
  for (const auto& [emulatorName, name] : kNames) counts[name] = 0;
  counts["sessionExpiry"] = sessionExpiries;
  for (const auto& [kind, n] : stats["faultsInjected"].items()) {
    const auto name = kNames.find(kind);
    counts[name == kNames.end() ? kind : name->second] += n.get<long long>();
  }
  return counts;
}

std::string describe(const FaultCounts& counts) {
  std::string text;
  for (const auto& [kind, n] : counts) {
    text += (text.empty() ? "" : " ") + kind + "=" + std::to_string(n);
  }
  return text;
}

std::string withThousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

struct RunOutcome {
  RunCheck check;
  int exitCode = -1;
  FaultCounts faults;
  std::chrono::milliseconds elapsed{0};
};

RunOutcome runOnce(const RunPlan& plan, const fs::path& dir) {
  emulator::Emulator server(emulatorOptions());
  server.start();
  const SoakInput input{"soak" + std::to_string(plan.run) + "-", kRowsPerRun};
  const fs::path inputFile = dir / "in.csv";
  writeInputCsv(input, inputFile);
  LoadEvidence evidence;
  evidence.successFile = dir / "success.csv";
  evidence.errorFile = dir / "errors.csv";
  std::vector<std::string> args = {"load",
                                   "--object",
                                   "Contact",
                                   "--operation",
                                   "insert",
                                   "--file",
                                   inputFile.string(),
                                   "--success",
                                   evidence.successFile.string(),
                                   "--errors",
                                   evidence.errorFile.string(),
                                   "--json",
                                   "--quiet",
                                   "--timeout",
                                   std::to_string(kLoadTimeoutSeconds)};
  // Ten batches of 1.0, or five jobs of 2.0: either way several requests of each kind.
  const std::vector<std::string> shape =
      plan.format == "bulk2"
          ? std::vector<std::string>{"--api", "2", "--job-records", "10000"}
          : std::vector<std::string>{"--format", plan.format, "--batch-size", "5000"};
  args.insert(args.end(), shape.begin(), shape.end());

  RunOutcome outcome;
  const auto started = Clock::now();
  FaultScheduler scheduler(server, plan.faults);
  scheduler.armBeforeLoad();
  sfbulk::testing::RunResult result;
  {
    sfbulk::testing::Child child(args, sfbulk::testing::emulatorEnvironment(server), dir);
    scheduler.start();
    result = child.wait(kProcessTimeout);
  }
  scheduler.stop();
  outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);

  const nlohmann::json stats = server.stats();
  outcome.faults = injectedFaults(stats, scheduler.sessionExpiries());
  evidence.exitCode = result.exitCode;
  evidence.stdoutText = result.out;
  evidence.stderrText = result.err;
  for (const auto& [jobId, counters] : stats["jobs"].items()) evidence.serverJobs.insert(jobId);
  outcome.exitCode = result.exitCode;
  outcome.check = checkRun(input, server.org(), evidence);
  server.stop();
  return outcome;
}

TEST(FaultSoak, EveryRowExactlyOnceUnderRandomFaults) {
  const Settings settings = settingsFromEnvironment();
  std::cout << "soak seed " << settings.seed << " (replay: SFDC_BULK_SOAK_SEED=" << settings.seed
            << ")" << std::endl;
  const fs::path root =
      fs::temp_directory_path() / ("sfdc-bulk-soak-" + std::to_string(::getpid()));
  fs::remove_all(root);

  int runs = 0;
  int failedRuns = 0;
  FaultCounts faults;
  std::uint64_t rowsChecked = 0;
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  const auto soakStarted = Clock::now();
  const int first = settings.onlyRun.value_or(0);
  const int last = settings.onlyRun ? *settings.onlyRun + 1 : settings.runs;
  for (int run = first; run < last; ++run) {
    if (settings.budgeted && Clock::now() - soakStarted > kDefaultBudget) {
      std::cout << "time budget spent: stopping after " << runs << " runs" << std::endl;
      break;
    }
    const RunPlan plan = planRun(run, runSeed(settings.seed, run));
    const fs::path dir = root / ("run-" + std::to_string(run));
    fs::create_directories(dir);
    std::cout << "run " << run << " (" << plan.format << "): " << describe(plan) << std::endl;
    const RunOutcome outcome = runOnce(plan, dir);
    ++runs;
    for (const auto& [kind, n] : outcome.faults) faults[kind] += n;
    rowsChecked += outcome.check.rowsChecked;
    lost += outcome.check.lost;
    duplicated += outcome.check.duplicated;
    std::cout << "  exit " << outcome.exitCode << " after " << outcome.elapsed.count()
              << "ms; fired: " << describe(outcome.faults) << "; "
              << (outcome.check.passed() ? "ok" : "FAILED") << std::endl;
    if (outcome.check.passed()) {
      fs::remove_all(dir);
      continue;
    }
    ++failedRuns;
    std::string problems;
    for (const auto& p : outcome.check.problems) problems += "\n  - " + p;
    ADD_FAILURE() << "run " << run << " (" << plan.format << ", " << describe(plan) << ") exit "
                  << outcome.exitCode << ":" << problems << "\n  files kept in " << dir.string()
                  << "\n  replay: SFDC_BULK_SOAK_SEED=" << settings.seed
                  << " SFDC_BULK_SOAK_RUN=" << run;
  }
  std::cout << "soak: " << runs << " runs (" << failedRuns
            << " failed), faults injected: " << describe(faults) << ", rows checked "
            << withThousands(rowsChecked) << ", lost " << withThousands(lost) << ", duplicated "
            << withThousands(duplicated) << "; seed " << settings.seed << std::endl;
  if (failedRuns == 0) fs::remove_all(root);
}

}  // namespace
}  // namespace sfdc::bulk::soak
