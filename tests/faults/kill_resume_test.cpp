// The kill test: one journaled load of Contacts through the real sfbulk binary, killed
// with SIGKILL at many moments (an upload sent and its answer pending, a poll, a result
// download, the close, or at a random time) and continued each time with
// `sfbulk load --resume`; at the end the org must hold every input row exactly once and
// the success plus error files must name every row exactly once.
//
//   SFDC_BULK_KILL_ROWS=N     rows in the load (default 40,000; the README's run: 200,000)
//   SFDC_BULK_KILL_POINTS=N   kills before the last, unkilled run (default 24)
//   SFDC_BULK_KILL_SEED=N     replay the draw of kill moments (the seed is printed first)

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <sfdc/bulk/load_journal.hpp>

#include "run_check.hpp"
#include "support/cli_fixture.hpp"

namespace sfdc::bulk::soak {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::uint64_t environmentNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtoull(text, nullptr, 0);
}

/// Requests the emulator answered so far, by endpoint ("POST /job/{id}/batch", ...).
std::map<std::string, long long> endpointCounts(const emulator::Emulator& server) {
  std::map<std::string, long long> counts;
  const nlohmann::json stats = server.stats();  // held: items() refers into it
  for (const auto& [name, n] : stats["endpoints"].items()) counts[name] = n.get<long long>();
  return counts;
}

/// A moment to kill sfbulk at: when the emulator has received `count` more requests of
/// `endpoint` than before the process started (every answer is delayed, so the process
/// is killed with that request sent and its answer not yet read), or after `delay`.
struct KillPoint {
  std::string name;
  std::string endpoint;  // empty: a random time
  long long count = 1;
  std::chrono::milliseconds delay{0};
};

/// `uploadsLeft`: batches not yet started; an upload kill never waits for more uploads
/// than the load has left (it would never fire, and the run would finish unkilled).
KillPoint drawKillPoint(int kill, const LoadJournalInfo* journal, std::uint64_t uploadsLeft,
                        std::mt19937_64& random) {
  auto pick = [&random](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  if (journal == nullptr) return {"after createJob was sent", "POST /job", 1, {}};
  if (!journal->inputEnded && uploadsLeft > 0) {
    // Mostly uploads, so that each run gets only a few batches further; now and then
    // the first poll, a download or a random moment (which let a run go further).
    if (kill % 4 != 3) {
      const int most = static_cast<int>(std::min<std::uint64_t>(3, uploadsLeft));
      return {"after a batch POST was sent, before its answer",
              "POST /job/{id}/batch",
              pick(1, most),
              {}};
    }
    switch (kill / 4 % 3) {
      case 0:
        return {"during polling", "GET /job/{id}/batch", 1, {}};
      case 1:
        return {"during a result download", "GET /job/{id}/batch/{batchId}/result", 1, {}};
      default:
        return {"at a random time", "", 0, std::chrono::milliseconds(pick(50, 250))};
    }
  }
  switch (kill % 4) {
    case 0:
      return {"during a result download", "GET /job/{id}/batch/{batchId}/result", pick(1, 30), {}};
    case 1:
      return {"during polling", "GET /job/{id}/batch", 1, {}};
    case 2:
      return {"after the close was sent", "POST /job/{id}", 1, {}};
    default:
      // Short: a resumed run near the end needs well under a second.
      return {"at a random time", "", 0, std::chrono::milliseconds(pick(50, 400))};
  }
}

TEST(KillResume, EveryRowExactlyOnceAcrossKills) {
  const std::uint64_t rows = environmentNumber("SFDC_BULK_KILL_ROWS", 40000);
  const int kills = static_cast<int>(environmentNumber("SFDC_BULK_KILL_POINTS", 24));
  std::random_device device;
  const std::uint64_t seed = environmentNumber("SFDC_BULK_KILL_SEED", device());
  std::cout << "kill test: " << rows << " rows, " << kills << " kills, seed " << seed
            << " (replay: SFDC_BULK_KILL_SEED=" << seed << ")" << std::endl;
  std::mt19937_64 random(seed);

  emulator::EmulatorOptions options;
  options.workers = 2;
  options.costPerRecord = std::chrono::microseconds(20);
  emulator::Emulator server(options);
  server.start();
  // Every answer waits a little, so that a kill lands between a request and its answer.
  emulator::Faults faults;
  faults.delay = std::chrono::milliseconds(15);
  server.setFaults(faults);

  const fs::path dir = fs::temp_directory_path() / ("sfdc-bulk-kill-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const SoakInput input{"kill-", rows};
  const fs::path inputFile = dir / "in.csv";
  writeInputCsv(input, inputFile);
  const fs::path journal = dir / "load.journal";
  LoadEvidence evidence;
  evidence.successFile = dir / "success.csv";
  evidence.errorFile = dir / "errors.csv";
  // About 60 batches: the first kills meet uploads still going on (two or three batches
  // further each), the rest the end of the load (polls, result downloads, the close).
  const std::uint64_t batchSize = std::max<std::uint64_t>(100, rows / 60);
  const std::vector<std::string> first = {"load",
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
                                          "--journal",
                                          journal.string(),
                                          "--batch-size",
                                          std::to_string(batchSize),
                                          "--quiet",
                                          "--json",
                                          "--timeout",
                                          "300"};
  const std::vector<std::string> resume = {
      "load", "--resume", journal.string(), "--quiet", "--json", "--timeout", "300"};

  std::map<std::string, int> hit;
  int unansweredUploads = 0;  // kills that left a batch started but not confirmed
  int killed = 0;
  sfbulk::testing::RunResult last;
  bool finishedEarly = false;
  for (int kill = 0; kill < kills && !finishedEarly; ++kill) {
    LoadJournalInfo info;
    const bool started = fs::exists(journal);
    if (started) info = readLoadJournal(journal.string());
    const std::uint64_t rowsLeft = rows - std::min(rows, info.rowsStarted);
    const std::uint64_t uploadsLeft = (rowsLeft + batchSize - 1) / batchSize;
    const KillPoint point = drawKillPoint(kill, started ? &info : nullptr, uploadsLeft, random);
    const auto before = endpointCounts(server);
    sfbulk::testing::Child child(started ? resume : first,
                                 sfbulk::testing::emulatorEnvironment(server), dir);
    const auto spawned = Clock::now();
    bool fired = false;
    while (!fired && Clock::now() - spawned < std::chrono::seconds(120)) {
      if (point.endpoint.empty()) {
        fired = Clock::now() - spawned >= point.delay;
      } else {
        const auto now = endpointCounts(server);
        const auto was = before.find(point.endpoint);
        const auto is = now.find(point.endpoint);
        const long long grown =
            (is == now.end() ? 0 : is->second) - (was == before.end() ? 0 : was->second);
        fired = grown >= point.count;
      }
      if (fired) break;
      // A process that ended by itself before the moment came: the load finished.
      if (child.exited()) break;
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    if (!fired) {
      last = child.wait();
      finishedEarly = true;
      std::cout << "  run " << kill << " ended by itself (exit " << last.exitCode << ") before "
                << point.name << std::endl;
      break;
    }
    child.signal(SIGKILL);
    const auto result = child.wait();
    EXPECT_EQ(result.exitCode, 128 + SIGKILL) << "kill " << kill << ": " << result.err;
    ++killed;
    ++hit[point.name];
    const LoadJournalInfo after = readLoadJournal(journal.string());
    if (after.batchesStarted > after.batchesAccepted) ++unansweredUploads;
    std::cout << "  kill " << kill << " " << point.name << ": journal " << after.batchesStarted
              << " batches started, " << after.batchesAccepted << " confirmed"
              << (after.inputEnded ? ", input ended" : "") << std::endl;
  }
  if (!finishedEarly) {
    sfbulk::testing::Child child(resume, sfbulk::testing::emulatorEnvironment(server), dir);
    last = child.wait(std::chrono::seconds(300));
  }
  EXPECT_GE(killed, std::min(kills, 20)) << "the load finished before enough kills";
  EXPECT_EQ(last.exitCode, 0) << last.out << last.err;
  EXPECT_EQ(readLoadJournal(journal.string()).state, "finished");

  const nlohmann::json stats = server.stats();
  for (const auto& [jobId, counters] : stats["jobs"].items()) {
    (void)counters;
    evidence.serverJobs.insert(jobId);
  }
  evidence.exitCode = last.exitCode;
  evidence.stdoutText = last.out;
  evidence.stderrText = last.err;
  const RunCheck check = checkRun(input, server.org(), evidence);
  std::string points;
  for (const auto& [name, n] : hit) points += "\n    " + std::to_string(n) + " × " + name;
  std::cout << "kill test: " << killed << " kills (" << unansweredUploads
            << " with a batch upload unanswered):" << points << "\n  rows checked "
            << check.rowsChecked << ", lost " << check.lost << ", duplicated " << check.duplicated
            << ", reported twice " << check.reportedTwice << ", unreported " << check.unreported
            << std::endl;
  std::string problems;
  for (const auto& p : check.problems) problems += "\n  - " + p;
  EXPECT_TRUE(check.passed()) << problems << "\n  files kept in " << dir.string()
                              << "\n  replay: SFDC_BULK_KILL_SEED=" << seed;
  server.stop();
  if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace sfdc::bulk::soak
