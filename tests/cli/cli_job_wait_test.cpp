// Submit now, collect later: `sfbulk load --no-wait`, then `sfbulk job wait JOB_ID --input
// FILE`; and `sfbulk job results JOB_ID --input FILE` rebuilding a finished load's result
// files, compared byte for byte with the files the live load wrote. Every claim is checked
// against the emulator's store too.

#include <regex>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

/// 1,200 contacts: every 250th has no LastName (fails), two identical rows, a quoted cell
/// with a comma and a line break.
std::string contactsCsv() {
  std::string out = "FirstName,LastName,Description\n";
  for (int i = 1; i <= 1200; ++i) {
    if (i % 250 == 0) {
      out += "NoLast" + std::to_string(i) + ",,\n";
    } else if (i == 600 || i == 900) {
      out += "Twin,Same,\n";
    } else if (i % 100 == 0) {
      out += "Q" + std::to_string(i) + ",L" + std::to_string(i) + ",\"a, b\nc\"\n";
    } else {
      out += "F" + std::to_string(i) + ",L" + std::to_string(i) + ",d\n";
    }
  }
  return out;
}

std::string jobIdIn(const std::string& text) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex("750[A-Za-z0-9]{15}"))) return {};
  return match.str();
}

/// Each file in the results folder, by its suffix (-success.csv, -error.csv).
std::map<std::string, fs::path> resultFiles(const fs::path& folder) {
  std::map<std::string, fs::path> out;
  if (!fs::exists(folder)) return out;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    out[name.substr(name.rfind('-'))] = entry.path();
  }
  return out;
}

class CliJobWait : public CliTest {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    return slowBatches(std::chrono::milliseconds(1500));  // batches run after --no-wait
  }
};

TEST_F(CliJobWait, NoWaitSubmitsAndJobWaitWritesTheResultsOfEveryRowOnce) {
  writeFile(file("contacts.csv"), contactsCsv());
  const auto submitted = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                              "contacts.csv", "--batch-size", "200", "--no-wait"});
  ASSERT_EQ(submitted.exitCode, 0) << submitted.err;
  EXPECT_TRUE(contains(submitted.out, "1,200 rows submitted in 6 batches")) << submitted.out;
  const std::string jobId = jobIdIn(submitted.out);
  ASSERT_FALSE(jobId.empty()) << submitted.out;
  EXPECT_TRUE(contains(submitted.out, "sfbulk job wait " + jobId + " --input contacts.csv"))
      << submitted.out;
  EXPECT_FALSE(fs::exists(file("sfbulk-results")));  // nothing to write yet
  // The job is closed and its batches still run: results refuses, wait waits.
  const auto early = run({"job", "results", jobId, "--input", "contacts.csv"});
  EXPECT_EQ(early.exitCode, 5) << early.err;
  EXPECT_TRUE(contains(early.err, "still queued or running")) << early.err;
  EXPECT_TRUE(contains(early.err, "sfbulk job wait " + jobId)) << early.err;
  EXPECT_FALSE(fs::exists(file("sfbulk-results")));

  const auto waited = run({"job", "wait", jobId, "--input", "contacts.csv"});
  EXPECT_EQ(waited.exitCode, 1) << waited.err;  // four rows failed
  EXPECT_TRUE(contains(waited.out, "Job " + jobId + ": 1,200 rows, 1,196 succeeded, 4 failed"))
      << waited.out;
  EXPECT_TRUE(contains(waited.err, "row 250: REQUIRED_FIELD_MISSING")) << waited.err;
  const auto files = resultFiles(file("sfbulk-results"));
  ASSERT_EQ(files.size(), 2u);
  const auto success = lines(readFile(files.at("-success.csv")));
  const auto errors = lines(readFile(files.at("-error.csv")));
  EXPECT_EQ(success.at(0), "FirstName,LastName,Description,sf__Id,sf__Created");
  EXPECT_EQ(errors.at(0), "FirstName,LastName,Description,sf__Error");
  EXPECT_EQ(errors.size(), 5u);
  EXPECT_EQ(errors.at(1).rfind("NoLast250,,,", 0), 0u) << errors.at(1);
  // The store holds each succeeded row once, under the id the success file names.
  const auto stored = queryRows("SELECT Id FROM Contact");
  EXPECT_EQ(stored.size(), 1u + 1196u);
  std::set<std::string> ids;
  for (std::size_t i = 1; i < stored.size(); ++i) ids.insert(stored[i].at(0));
  for (const auto& line : success) {
    if (line.find(",sf__Id,") != std::string::npos || line.find(",true") == std::string::npos) {
      continue;
    }
    const std::string id = line.substr(line.size() - std::string(",true").size() - 18, 18);
    EXPECT_EQ(ids.count(id), 1u) << line;
  }
}

TEST_F(CliJobWait, NoWaitRefusesWhatItCannotHonour) {
  writeFile(file("contacts.csv"), "FirstName,LastName\nA,B\n");
  writeFile(file("contacts.jsonl"), "{\"LastName\":\"B\"}\n");
  const std::vector<std::vector<std::string>> refused = {
      {"--api", "2"},
      {"--success", "s.csv"},
      {"--delete-duplicates"},
      {"--retry-locked"},
  };
  for (const auto& extra : refused) {
    std::vector<std::string> args = {"load",   "--object", "Contact",      "--operation",
                                     "insert", "--file",   "contacts.csv", "--no-wait"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = run(args);
    EXPECT_EQ(result.exitCode, 2) << extra.at(0) << ": " << result.err;
  }
  const auto stdinLoad =
      run({"load", "--object", "Contact", "--operation", "insert", "--file", "-", "--no-wait"},
          "LastName\nB\n");
  EXPECT_EQ(stdinLoad.exitCode, 2);
  EXPECT_TRUE(contains(stdinLoad.err, "--no-wait needs a CSV input file")) << stdinLoad.err;
  const auto jsonLoad = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                             "contacts.jsonl", "--no-wait"});
  EXPECT_EQ(jsonLoad.exitCode, 2);
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 0u);
}

TEST_F(CliJobWait, ALoadThatTimedOutIsFinishedByJobWaitWithEveryRowOnce) {
  std::string csv = "FirstName,LastName\n";
  for (int i = 1; i <= 500; ++i) csv += "F" + std::to_string(i) + ",L" + std::to_string(i) + "\n";
  writeFile(file("contacts.csv"), csv);
  const auto stopped = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                            "contacts.csv", "--batch-size", "100", "--timeout", "0.5"});
  ASSERT_EQ(stopped.exitCode, 5) << stopped.err;
  const std::string jobId = jobIdIn(stopped.out + stopped.err);
  ASSERT_FALSE(jobId.empty()) << stopped.err;
  EXPECT_TRUE(contains(stopped.err, "sfbulk job results " + jobId + " --input contacts.csv"))
      << stopped.err;
  // The job was left open by the timeout; close it as a user would, then collect.
  ASSERT_EQ(run({"job", "close", jobId}).exitCode, 0);
  const auto waited = run({"job", "wait", jobId, "--input", "contacts.csv", "--success", "ok.csv",
                           "--errors", "failed.csv"});
  // Normally every batch was uploaded before the timeout; on a slow machine some may not
  // have been: those rows are NOT_SENT, never lost and never loaded.
  EXPECT_TRUE(waited.exitCode == 0 || waited.exitCode == 1) << waited.err;
  EXPECT_TRUE(contains(waited.out, "Job " + jobId + ": 500 rows,")) << waited.out;
  const auto ok = lines(readFile(file("ok.csv")));
  const auto failed = lines(readFile(file("failed.csv")));
  ASSERT_FALSE(ok.empty());
  ASSERT_FALSE(failed.empty());
  EXPECT_EQ(ok.size() - 1 + failed.size() - 1, 500u);
  EXPECT_GE(ok.size() - 1, 100u);
  for (std::size_t i = 1; i < failed.size(); ++i) {
    EXPECT_TRUE(contains(failed[i], "NOT_SENT")) << failed[i];
  }
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), ok.size());  // header + each row once
}

TEST_F(CliJobWait, QueryNoWaitThenJobWaitWritesWhatQueryWrites) {
  seedContacts(300);
  const auto direct = run({"query", "SELECT Id, LastName FROM Contact", "-o", "direct.csv"});
  ASSERT_EQ(direct.exitCode, 0) << direct.err;
  for (const std::string api : {"1", "2"}) {
    SCOPED_TRACE("--api " + api);
    const auto started =
        run({"query", "SELECT Id, LastName FROM Contact", "--api", api, "--no-wait"});
    ASSERT_EQ(started.exitCode, 0) << started.err;
    const auto out = lines(started.out);
    ASSERT_EQ(out.size(), 1u) << started.out;  // the job id alone, for scripts
    const std::string jobId = out.at(0);
    EXPECT_EQ(jobId, jobIdIn(jobId));
    EXPECT_TRUE(contains(started.err, "sfbulk job wait " + jobId)) << started.err;
    const auto waited = run({"job", "wait", jobId, "-o", "waited-" + api + ".csv"});
    ASSERT_EQ(waited.exitCode, 0) << waited.err;
    EXPECT_TRUE(contains(waited.err, "300 rows written to waited-" + api + ".csv")) << waited.err;
    EXPECT_EQ(readFile(file("waited-" + api + ".csv")), readFile(file("direct.csv")));
    const auto parallel =
        run({"job", "wait", jobId, "--parallel", "3", "-o", "par-" + api + ".csv"});
    ASSERT_EQ(parallel.exitCode, 0) << parallel.err;
    EXPECT_EQ(readFile(file("par-" + api + ".csv")), readFile(file("direct.csv")));
  }
  // A JSON job's records keep their JSON; CSV of it is refused, as are a load's flags.
  const auto json = run({"query", "SELECT Id FROM Contact", "--format", "jsonl", "--no-wait"});
  const std::string jobId = lines(json.out).at(0);
  const auto asCsv = run({"job", "wait", jobId, "--format", "csv"});
  EXPECT_EQ(asCsv.exitCode, 2);
  EXPECT_TRUE(contains(asCsv.err, "use --format json or jsonl")) << asCsv.err;
  EXPECT_EQ(run({"job", "wait", jobId, "--input", "direct.csv"}).exitCode, 2);
  const auto records = run({"job", "wait", jobId, "--format", "jsonl"});
  EXPECT_EQ(records.exitCode, 0) << records.err;
  EXPECT_EQ(lines(records.out).size(), 300u);
}

class CliJobResultsRebuild : public CliTest {};

TEST_F(CliJobResultsRebuild, RebuiltFilesAreTheLiveLoadsByteForByte) {
  writeFile(file("contacts.csv"), contactsCsv());
  for (const std::string format : {"csv", "json"}) {
    SCOPED_TRACE(format);
    const auto live =
        run({"load", "--object", "Contact", "--operation", "insert", "--file", "contacts.csv",
             "--batch-size", "150", "--concurrency", "4", "--format", format, "--success",
             "live-" + format + "-s.csv", "--errors", "live-" + format + "-e.csv"});
    ASSERT_EQ(live.exitCode, 1) << live.err;
    const std::string jobId = jobIdIn(live.out);
    const auto rebuilt = run({"job", "results", jobId, "--input", "contacts.csv", "--success",
                              "re-" + format + "-s.csv", "--errors", "re-" + format + "-e.csv"});
    EXPECT_EQ(rebuilt.exitCode, 1) << rebuilt.err;
    EXPECT_TRUE(contains(rebuilt.out, "1,200 rows, 1,196 succeeded, 4 failed")) << rebuilt.out;
    const std::string liveSuccess = readFile(file("live-" + format + "-s.csv"));
    // The header, 1,196 rows, and a second line for each of the 8 quoted cells.
    EXPECT_EQ(lines(liveSuccess).size(), 1u + 1196u + 8u);
    EXPECT_EQ(readFile(file("re-" + format + "-s.csv")), liveSuccess);
    EXPECT_EQ(readFile(file("re-" + format + "-e.csv")),
              readFile(file("live-" + format + "-e.csv")));
  }
  // Without --success/--errors the rebuilt files go to the results folder, named as a
  // load's; --json gives the load's JSON summary.
  const auto live = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                         "contacts.csv", "--no-results"});
  const auto json = run({"job", "results", jobIdIn(live.out), "--input", "contacts.csv", "--json"});
  EXPECT_EQ(json.exitCode, 1) << json.err;
  const auto summary = nlohmann::json::parse(json.out);
  EXPECT_EQ(summary.at("succeeded"), 1196);
  EXPECT_EQ(summary.at("failed"), 4);
  EXPECT_EQ(resultFiles(file("sfbulk-results")).size(), 2u);
  EXPECT_EQ(fs::path(summary.at("successFile").get<std::string>()).parent_path().filename(),
            "sfbulk-results");
}

TEST_F(CliJobResultsRebuild, AnInputThatIsNotTheJobsIsRefusedAndNothingIsWritten) {
  writeFile(file("contacts.csv"), contactsCsv());
  const auto live = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                         "contacts.csv", "--no-results"});
  const std::string jobId = jobIdIn(live.out);
  std::string changed = contactsCsv();
  changed.replace(changed.find("F7,L7"), 5, "F7,X7");
  writeFile(file("changed.csv"), changed);
  const auto result = run({"job", "results", jobId, "--input", "changed.csv"});
  EXPECT_EQ(result.exitCode, 2) << result.err;
  EXPECT_TRUE(contains(result.err,
                       "1 of the job's 1200 rows are not in it (the first: row 7 of "
                       "batch 751"))
      << result.err;
  EXPECT_TRUE(resultFiles(file("sfbulk-results")).empty());
  // The input must be given, be CSV, and not be an output.
  EXPECT_EQ(run({"job", "results", jobId, "--input", "contacts.csv", "--success", "contacts.csv"})
                .exitCode,
            2);
  const auto missing = run({"job", "wait", jobId});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_TRUE(contains(missing.err, "--input FILE is required")) << missing.err;
}

}  // namespace
}  // namespace sfbulk::testing
