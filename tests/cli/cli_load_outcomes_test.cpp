// How `sfbulk load` ends when things go wrong: bad input (exit 2, naming the file and
// row), out-of-range options, result files that fail mid-load (exit 7), a load that gives
// up part-way (its summary, the cause's exit code, how to finish), rows loaded twice
// (exit 10 and how to delete them), and server messages too long to echo.

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;

std::string contactsCsv(int count) {
  std::string csv = "FirstName,LastName\n";
  for (int i = 1; i <= count; ++i) {
    csv += "F" + std::to_string(i) + ",L" + std::to_string(i) + "\n";
  }
  return csv;
}

std::vector<std::string> load(const fs::path& input) {
  return {"load", "--object", "Contact", "--operation", "insert", "--file", input.string()};
}

std::size_t countOf(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class CliOutcomes : public CliTest {};

TEST_F(CliOutcomes, CsvSyntaxErrorInTheFirstBatchIsAUsageErrorNamingFileAndRow) {
  writeFile(file("bad.csv"), "LastName\nLovelace\n\"Hopper\n");
  const auto r = run(load(file("bad.csv")));
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file("bad.csv").string())) << r.err;
  EXPECT_TRUE(contains(r.err, "row 2")) << "data rows count from 1: " << r.err;
  EXPECT_FALSE(contains(r.err, "unexpected response")) << r.err;
  // The row before the bad one is loaded (the header and one row); the bad one is not.
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 2u);
}

// Every batch failing for one reason (an unknown column) is one job-level failure with
// its own exit code, said once (with --quiet too), without a doubled "InvalidBatch:
// InvalidBatch :" prefix; over Bulk API 2.0 likewise.
TEST_F(CliOutcomes, ALoadWhoseEveryBatchFailsAlikeIsOneFailureWithItsOwnExitCode) {
  std::string csv = "LastName,Foo__c\n";
  for (int i = 1; i <= 25; ++i) csv += "L" + std::to_string(i) + ",x\n";
  writeFile(file("bad.csv"), csv);
  const std::vector<std::string> base = {
      "load", "--object", "Contact", "--operation", "insert", "--file", file("bad.csv").string()};
  const auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  };
  const std::string line =
      "sfbulk: error: load failed: 5 of 5 batches failed: InvalidBatch : Field name not found "
      ": Foo__c";
  auto r = with({"--batch-size", "5"});
  EXPECT_EQ(r.exitCode, 11) << r.err;
  EXPECT_TRUE(contains(r.err, line)) << r.err;
  EXPECT_FALSE(contains(r.err, "row 1:")) << r.err;  // not once per row
  EXPECT_FALSE(contains(r.err + r.out, "InvalidBatch: InvalidBatch")) << r.err;

  r = with({"--batch-size", "5", "--quiet"});
  EXPECT_EQ(r.exitCode, 11);
  EXPECT_EQ(r.err, line + "\n");
  EXPECT_EQ(r.out, "");

  r = with({"--batch-size", "5", "--json"});
  EXPECT_EQ(r.exitCode, 11);
  EXPECT_EQ(json::parse(r.out).at("loadFailure"),
            "5 of 5 batches failed: InvalidBatch : Field name not found : Foo__c");

  r = with({"--api", "2"});
  EXPECT_EQ(r.exitCode, 11) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "sfbulk: error: load failed: 1 of 1 job failed: InvalidBatch : "
                       "Field name not found : Foo__c"))
      << r.err;
  EXPECT_FALSE(contains(r.err + r.out, "InvalidBatch: InvalidBatch")) << r.err;
  // Rows that fail one by one stay a partial failure (exit 1), even when all fail.
  writeFile(file("nolast.csv"), "FirstName\nA\nB\n");
  r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
           file("nolast.csv").string()});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  // Nothing was loaded by any of them.
  EXPECT_LE(queryRows("SELECT Id FROM Contact").size(), 1u);  // at most the header
}

TEST_F(CliOutcomes, TimeoutOutsideItsRangeIsAUsageError) {
  writeFile(file("c.csv"), contactsCsv(1));
  for (const char* value : {"1e10", "-5", "0", "nan", "inf", "2592001", "soon"}) {
    auto args = load(file("c.csv"));
    args.insert(args.end(), {"--timeout", value});
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, 2) << value << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, "--timeout must be a number of seconds from 0.1 to 2592000"))
        << value << "\n"
        << r.err;
  }
  auto args = load(file("c.csv"));
  args.insert(args.end(), {"--timeout", "2592000"});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 0) << "30 days does not overflow: " << r.err;
}

TEST_F(CliOutcomes, AFailedRowsLongMessageIsTruncatedOnTheTerminalOnly) {
  // The emulator, like Salesforce, quotes the value in STRING_TOO_LONG.
  const std::string huge(200000, 'x');
  writeFile(file("c.csv"), "FirstName,LastName\nA," + huge + "\nB," + huge + "\nC,Ok\n");
  auto args = load(file("c.csv"));
  args.insert(args.end(), {"--errors", file("failed.csv").string()});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 1) << r.err.substr(0, 2000);
  EXPECT_LT(r.err.size(), 3000u) << r.err.substr(0, 3000);
  EXPECT_EQ(countOf(r.err, "the full text is in the --errors file"), 2u) << r.err;
  EXPECT_TRUE(contains(r.err, "row 1: STRING_TOO_LONG")) << r.err;
  EXPECT_GT(readFile(file("failed.csv")).size(), 2 * huge.size()) << "the file has it all";
}

TEST_F(CliOutcomes, ErrorsFileThatFailsAfterTheJobCommittedExitsSevenWithTheSummary) {
  // /dev/full accepts the open and fails every write (ENOSPC), as a full disk does.
  writeFile(file("c.csv"), "FirstName,LastName\nA,Lovelace\nB,\n");
  auto args = load(file("c.csv"));
  args.insert(args.end(), {"--errors", "/dev/full"});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "/dev/full")) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("Job 750[A-Za-z0-9]{15}: 2 rows, 1 succeeded")))
      << r.out;
}

// Batches Salesforce interrupted and ran again: every row loads once, the summary says
// how often the server retried, --json carries it.
TEST_F(CliOutcomes, ServerSideRetriesAreInTheSummary) {
  writeFile(file("c.csv"), contactsCsv(600));
  sfdc::emulator::Faults faults;
  faults.transientBatchFailures = 3;
  server->setFaults(faults);
  auto args = load(file("c.csv"));
  args.insert(args.end(), {"--batch-size", "300"});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "600 rows, 600 succeeded, 0 failed")) << r.out;
  EXPECT_TRUE(contains(r.out, "Salesforce retried batches 3 times itself (numberRetries")) << r.out;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 601u);

  faults.transientBatchFailures = 1;
  server->setFaults(faults);
  args.push_back("--json");
  const auto again = run(args);
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["serverRetries"], 1);
}

class CliOutcomesSlow : public CliTest {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    sfdc::emulator::EmulatorOptions options;
    options.workers = 1;
    options.batchLatency = std::chrono::milliseconds(80);
    return options;
  }
};

TEST_F(CliOutcomesSlow, ALoadThatTimesOutPrintsItsSummaryAndHowToFinish) {
  writeFile(file("many.csv"), contactsCsv(20));
  server->setFaults([] {
    sfdc::emulator::Faults faults;
    faults.delay = std::chrono::milliseconds(300);
    return faults;
  }());
  auto args = load(file("many.csv"));
  args.insert(args.end(),
              {"--batch-size", "5", "--timeout", "0.5", "--errors", file("failed.csv").string()});
  auto r = run(args);
  EXPECT_EQ(r.exitCode, 5) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("Job 750[A-Za-z0-9]{15}: 20 rows, "))) << r.out;
  EXPECT_TRUE(contains(r.err, "stopped before every row had a result")) << r.err;
  EXPECT_TRUE(contains(r.err, "sfbulk job info 750")) << r.err;
  EXPECT_TRUE(contains(r.err, "--timeout")) << r.err;

  args.push_back("--json");
  r = run(args);
  EXPECT_EQ(r.exitCode, 5) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["incomplete"], true);
  EXPECT_TRUE(contains(summary["error"].get<std::string>(), "did not finish")) << r.out;
  EXPECT_EQ(summary["recordsRead"].get<int>(), 20);
  EXPECT_EQ(summary["succeeded"].get<int>() + summary["failed"].get<int>() +
                summary["notProcessed"].get<int>(),
            20)
      << "every row read is accounted for: " << r.out;
}

TEST_F(CliOutcomesSlow, ABadLineMidFileReportsTheCommittedRowsAndTheUnsentOnes) {
  std::string jsonl;
  for (int i = 1; i <= 10; ++i) jsonl += "{\"LastName\":\"L" + std::to_string(i) + "\"}\n";
  jsonl += "{\"LastName\": broken\n{\"LastName\":\"After\"}\n";
  writeFile(file("c.jsonl"), jsonl);
  auto args = load(file("c.jsonl"));
  args.insert(args.end(), {"--batch-size", "2", "--concurrency", "1", "--errors",
                           file("failed.csv").string(), "--json"});
  const auto r = run(args);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, file("c.jsonl").string() + ":11")) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["incomplete"], true);
  EXPECT_EQ(summary["jobId"].get<std::string>().rfind("750", 0), 0u) << r.out;
  const auto committed = summary["succeeded"].get<std::size_t>();
  EXPECT_GT(committed, 0u) << r.out;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), committed + 1);
  // Line 11 itself is reported invalid (INVALID_ROW in the error file), the rest not sent.
  EXPECT_EQ(committed + summary["notSent"].get<std::size_t>() + 1, summary["recordsRead"])
      << "every row read was loaded, is invalid, or is listed as not sent: " << r.out;
  EXPECT_NE(readFile(file("failed.csv")).find("INVALID_ROW"), std::string::npos);
}

TEST_F(CliOutcomesSlow, InterruptedLoadListsTheUnsentRows) {
  writeFile(file("many.csv"), contactsCsv(200));
  auto args = load(file("many.csv"));
  args.insert(args.end(), {"--batch-size", "5", "--concurrency", "1", "--errors",
                           file("failed.csv").string(), "--verbose"});
  Child child(args, env, dir);
  for (int i = 0; i < 2000 && !contains(child.currentErr(), " created"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  child.signal(SIGINT);
  const auto r = child.wait();
  EXPECT_EQ(r.exitCode, 8) << r.err;
  const std::string failed = readFile(file("failed.csv"));
  EXPECT_GT(countOf(failed, "NOT_SENT"), 0u) << failed.substr(0, 2000);
  EXPECT_TRUE(contains(r.out, "not sent")) << r.out;
}

class CliDuplicates : public CliOutcomesSlow {
 protected:
  /**
   * Runs a load of 20,000 contacts in batches of 500 and, once its job exists, adds a copy of
   * its first batch behind its back: what a transport that re-sends a batch upload does.
   * The input is a FIFO held open until the copy is in, so the load cannot finish first.
   */
  std::string loadWithARepeatedBatch(std::vector<std::string> extra, RunResult& r) {
    const fs::path input = file("in.csv");
    if (::mkfifo(input.c_str(), 0600) != 0) ADD_FAILURE() << "mkfifo: " << std::strerror(errno);
    // Read-write: the FIFO always has a reader, so no write fails while sfbulk reopens it;
    // close-on-exec: were sfbulk to inherit this writer, it would never see the end.
    const int fifo = ::open(input.c_str(), O_RDWR | O_CLOEXEC);
    fs::create_directories(file("out"));
    // --quiet: no row counter, which would read from the FIFO too; --verbose: the job id.
    auto args = load(input);
    args.insert(args.end(), {"--batch-size", "500", "--concurrency", "1", "--quiet", "--verbose",
                             "--errors", (file("out") / "failed.csv").string()});
    args.insert(args.end(), extra.begin(), extra.end());
    Child child(args, env, dir);
    // More than the reader's buffer, so that the first batches can be read and sent.
    const std::string csv = contactsCsv(kRows);
    const auto half = csv.find("F10001,");
    writeAll(fifo, csv.substr(0, half));
    std::smatch match;
    std::string err;
    const std::regex created("job (750[A-Za-z0-9]{15}) created");
    for (int i = 0; i < 10000 && !std::regex_search(err, match, created); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      err = child.currentErr();
    }
    EXPECT_TRUE(std::regex_search(err, match, created)) << err;
    const std::string jobId = match[1];
    if (!jobId.empty()) {
      auto c = client();
      c.addBatch(c.attachJob(jobId), contactsCsv(500));
    }
    writeAll(fifo, csv.substr(half));
    ::close(fifo);
    r = child.wait();
    return jobId;
  }

  static constexpr int kRows = 20000;

  static void writeAll(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) {
        ADD_FAILURE() << "write: " << std::strerror(errno);
        return;
      }
      done += static_cast<std::size_t>(n);
    }
  }
};

TEST_F(CliDuplicates, RowsLoadedTwiceExitTenWithTheIdsAndTheDeleteCommand) {
  RunResult r;
  const std::string jobId = loadWithARepeatedBatch({}, r);
  EXPECT_EQ(r.exitCode, 10) << r.err;
  EXPECT_TRUE(contains(r.err, "loaded twice")) << r.err;
  EXPECT_TRUE(contains(r.err, "rows 1–500")) << r.err;
  const fs::path ids = file("out") / (jobId + "-duplicates.csv");
  ASSERT_TRUE(fs::exists(ids)) << r.err;
  const auto idLines = lines(readFile(ids));
  ASSERT_EQ(idLines.size(), 501u) << r.err;
  EXPECT_EQ(idLines[0], "Id");
  const std::string command =
      "sfbulk load --object Contact --operation delete --file " + ids.string();
  EXPECT_TRUE(contains(r.err, command)) << r.err;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), kRows + 501u);

  // The printed command is all it takes.
  const auto removed =
      run({"load", "--object", "Contact", "--operation", "delete", "--file", ids.string()});
  EXPECT_EQ(removed.exitCode, 0) << removed.err;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), kRows + 1u);
}

TEST_F(CliDuplicates, DeleteDuplicatesLeavesEachRowOnceAndExitsAsUsual) {
  RunResult r;
  loadWithARepeatedBatch({"--delete-duplicates", "--json"}, r);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json summary = json::parse(r.out);
  ASSERT_EQ(summary["duplicates"].size(), 1u) << r.out;
  EXPECT_EQ(summary["duplicates"][0]["deleted"], true);
  EXPECT_TRUE(contains(r.err, "deleted again")) << r.err;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), kRows + 1u);
}

TEST_F(CliOutcomes, DeleteDuplicatesIsForInsertsOnly) {
  writeFile(file("c.csv"), "Id\n003000000000001AAA\n");
  const auto r = run({"load", "--object", "Contact", "--operation", "delete", "--file",
                      file("c.csv").string(), "--delete-duplicates"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--delete-duplicates is only for --operation insert")) << r.err;
}

// The org's batch allocation runs out mid-load (the emulator allows 3 batches per 2 s):
// the load stops with the API exit code and says why and what to do, the job stays open,
// and once the allocation frees, --resume sends exactly the rows not sent.
class CliQuota : public CliTest {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    sfdc::emulator::EmulatorOptions o;
    o.batchAllocation = 3;
    o.batchAllocationWindow = std::chrono::seconds(2);
    return o;
  }
};

TEST_F(CliQuota, ExceededQuotaStopsTheLoadResumablyAndSaysWhy) {
  std::string csv = "LastName\n";
  for (int i = 0; i < 500; ++i) csv += "Q" + std::to_string(i) + "\n";
  writeFile(file("in.csv"), csv);
  const auto stopped = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                            file("in.csv").string(), "--batch-size", "100", "--journal",
                            file("j.journal").string(), "--errors", file("e.csv").string()});
  EXPECT_EQ(stopped.exitCode, 4) << stopped.err;
  EXPECT_TRUE(contains(stopped.err, "ExceededQuota")) << stopped.err;
  EXPECT_TRUE(contains(stopped.err, "15,000 batches per rolling 24 hours")) << stopped.err;
  EXPECT_TRUE(contains(stopped.err, "sfbulk load --resume")) << stopped.err;
  EXPECT_TRUE(contains(stopped.out, "300 succeeded")) << stopped.out;

  // Every batch counts, queries too: the check of the store waits for the resume.
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const auto resumed =
      run({"load", "--resume", file("j.journal").string(), "--errors", file("e2.csv").string()});
  ASSERT_EQ(resumed.exitCode, 0) << resumed.err << resumed.out;
  EXPECT_TRUE(contains(resumed.out, "500 succeeded")) << resumed.out;
  const auto stored = queryRows("SELECT LastName FROM Contact");
  ASSERT_EQ(stored.size(), 501u);
  std::set<std::string> names;
  for (std::size_t i = 1; i < stored.size(); ++i) names.insert(stored[i][0]);
  EXPECT_EQ(names.size(), 500u);
}

}  // namespace
}  // namespace sfbulk::testing
