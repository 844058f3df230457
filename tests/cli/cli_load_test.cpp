// sfbulk load end to end: every operation and job format, the input formats, result
// files on partial failure, an expired session mid-load, timeouts and Ctrl-C.

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;

const char* kContacts =
    "FirstName,LastName,Email\n"
    "Ada,Lovelace,ada@example.com\n"
    "Grace,,grace@example.com\n"
    "Alan,Turing,alan@example.com\n";

const char* kGoodContacts =
    "FirstName,LastName,External_Id__c\n"
    "Ada,Lovelace,C-1\n"
    "Grace,Hopper,C-2\n"
    "Alan,Turing,C-3\n";

class CliLoad : public CliTest {};

TEST_F(CliLoad, InsertAllRowsSucceededExitsZero) {
  writeFile(file("contacts.csv"), kGoodContacts);
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("contacts.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "3 rows, 3 succeeded, 0 failed, 0 not processed")) << r.out;
  EXPECT_EQ(queryRows("SELECT LastName FROM Contact").size(), 4u);  // header + 3
}

TEST_F(CliLoad, PartialFailureWritesSuccessAndErrorFilesAndExitsOne) {
  writeFile(file("contacts.csv"), kContacts);
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("contacts.csv").string(), "--success", file("ok.csv").string(),
                      "--errors", file("failed.csv").string()});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_TRUE(contains(r.out, "3 rows, 2 succeeded, 1 failed")) << r.out;
  EXPECT_TRUE(contains(r.err, "row 2: REQUIRED_FIELD_MISSING")) << r.err;
  EXPECT_TRUE(contains(r.out, "succeeded rows: " + file("ok.csv").string())) << r.out;
  EXPECT_TRUE(contains(r.out, "failed rows:    " + file("failed.csv").string())) << r.out;

  const auto ok = lines(readFile(file("ok.csv")));
  ASSERT_EQ(ok.size(), 3u);
  EXPECT_EQ(ok[0], "FirstName,LastName,Email,sf__Id,sf__Created");
  EXPECT_EQ(ok[1].rfind("Ada,Lovelace,ada@example.com,003", 0), 0u) << ok[1];
  EXPECT_EQ(ok[2].rfind("Alan,Turing,alan@example.com,003", 0), 0u) << ok[2];
  const auto failed = lines(readFile(file("failed.csv")));
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0], "FirstName,LastName,Email,sf__Error");
  EXPECT_EQ(failed[1].rfind("Grace,,grace@example.com,REQUIRED_FIELD_MISSING", 0), 0u) << failed[1];
}

/// The files in `folder`, by name.
std::vector<std::string> filesIn(const fs::path& folder) {
  std::vector<std::string> names;
  if (!fs::is_directory(folder)) return names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Without --success/--errors the results still land in files, never lost: a run again
// to get the failed rows would load the succeeded ones twice.
TEST_F(CliLoad, ResultsAreKeptInTheResultsFolderByDefault) {
  writeFile(file("contacts.csv"), kContacts);
  std::vector<std::string> names;
  for (int run_ = 0; run_ < 2; ++run_) {
    const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                        file("contacts.csv").string()});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_FALSE(contains(r.err, "rerun")) << r.err;
    names = filesIn(file("sfbulk-results"));
    ASSERT_EQ(names.size(), 2u * (run_ + 1)) << r.out;
    const std::string newest = names.back();  // the later of two loads in one second: -2
    for (const std::string& name : names) {
      EXPECT_TRUE(std::regex_match(
          name, std::regex(R"(Contact-insert-\d{8}-\d{6}(-2)?-(success|error)\.csv)")))
          << name;
    }
    EXPECT_TRUE(contains(r.out, "succeeded rows: sfbulk-results/Contact-insert-")) << r.out;
    EXPECT_TRUE(contains(r.out, "failed rows:    sfbulk-results/Contact-insert-")) << r.out;
  }
  // Neither run's files overwrote the other's: each holds its own run's rows.
  for (const std::string& name : names) {
    const auto rows = lines(readFile(file("sfbulk-results") / name));
    const bool success = name.find("-success.csv") != std::string::npos;
    ASSERT_EQ(rows.size(), success ? 3u : 2u) << name;
    EXPECT_EQ(rows[0], success ? "FirstName,LastName,Email,sf__Id,sf__Created"
                               : "FirstName,LastName,Email,sf__Error");
  }
}

TEST_F(CliLoad, ResultsFolderAndNamedFilesAndNoResults) {
  writeFile(file("contacts.csv"), kContacts);
  auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                file("contacts.csv").string(), "--results-dir", file("out/runs").string(),
                "--errors", file("mine.csv").string()});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  const auto names = filesIn(file("out/runs"));
  ASSERT_EQ(names.size(), 1u);
  EXPECT_NE(names[0].find("-success.csv"), std::string::npos) << names[0];
  EXPECT_EQ(lines(readFile(file("mine.csv"))).size(), 2u);
  EXPECT_FALSE(fs::exists(file("sfbulk-results")));

  r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
           file("contacts.csv").string(), "--no-results"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_FALSE(fs::exists(file("sfbulk-results")));
  EXPECT_TRUE(contains(r.err, "the failed rows were not written (--no-results without --errors)"))
      << r.err;

  // A results folder that cannot be made is a local I/O error before anything is sent.
  writeFile(file("taken"), "a file");
  r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
           file("contacts.csv").string(), "--results-dir", file("taken").string()});
  EXPECT_EQ(r.exitCode, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot create the results folder")) << r.err;
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 5u);  // header + 2 + 2
}

class CliLoadFormat : public CliTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(CliLoadFormat, CsvInputLoadsIntoAJobOfEachContentType) {
  writeFile(file("contacts.csv"), kContacts);
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("contacts.csv").string(), "--format", GetParam(), "--json"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["succeeded"], 2);
  EXPECT_EQ(summary["failed"], 1);
  auto c = client();
  const auto info = c.getJobInfo(c.attachJob(summary["jobId"].get<std::string>()));
  EXPECT_EQ(sfdc::bulk::toString(info.contentType), std::string(GetParam()) == "csv"    ? "CSV"
                                                    : std::string(GetParam()) == "json" ? "JSON"
                                                                                        : "XML");
}

INSTANTIATE_TEST_SUITE_P(Formats, CliLoadFormat, ::testing::Values("csv", "json", "xml"));

TEST_F(CliLoad, JsonArrayAndJsonLinesInput) {
  writeFile(file("contacts.json"),
            R"([{"FirstName":"Ada","LastName":"Lovelace"},{"FirstName":"Grace"}])");
  auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                file("contacts.json").string(), "--format", "json", "--json"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_EQ(json::parse(r.out)["succeeded"], 1);

  writeFile(file("contacts.jsonl"),
            "{\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\"}\n\n{\"LastName\":\"Hopper\"}\n");
  r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
           file("contacts.jsonl").string(), "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["succeeded"], 2);

  writeFile(file("broken.json"), "[{\"LastName\":");
  r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
           file("broken.json").string()});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(contains(r.err, "not valid JSON")) << r.err;
}

TEST_F(CliLoad, CsvFromStdin) {
  const auto r =
      run({"load", "--object", "Contact", "--operation", "insert", "--file", "-"}, kGoodContacts);
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "3 succeeded")) << r.out;
}

TEST_F(CliLoad, UpdateUpsertDeleteAndHardDelete) {
  const auto ids = seedContacts(2);
  writeFile(file("update.csv"), "Id,LastName\n" + ids[0] + ",Renamed\n" + ids[1] + ",Renamed\n");
  auto r = run({"load", "--object", "Contact", "--operation", "update", "--file",
                file("update.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;

  writeFile(file("upsert.csv"), kGoodContacts);
  r = run({"load", "--object", "Contact", "--operation", "upsert", "--external-id",
           "External_Id__c", "--file", file("upsert.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  r = run({"load", "--object", "Contact", "--operation", "upsert", "--external-id",
           "External_Id__c", "--file", file("upsert.csv").string(), "--success",
           file("ok.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  // The second upsert matched every row: nothing was created.
  for (const auto& line : lines(readFile(file("ok.csv")))) {
    if (line.rfind("FirstName", 0) != 0) {
      EXPECT_TRUE(contains(line, ",false")) << line;
    }
  }

  writeFile(file("delete.csv"), "Id\n" + ids[0] + "\n");
  r = run({"load", "--object", "Contact", "--operation", "delete", "--file",
           file("delete.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  writeFile(file("hard.csv"), "Id\n" + ids[1] + "\n");
  r = run({"load", "--object", "Contact", "--operation", "hardDelete", "--file",
           file("hard.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  // 2 seeded + 3 upserted, less the deleted and the hard-deleted one: header + 3 rows.
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 4u);
}

TEST_F(CliLoad, BatchSizeSerialAndGzipReachTheJob) {
  writeFile(file("contacts.csv"), kGoodContacts);
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("contacts.csv").string(), "--batch-size", "2", "--serial", "--gzip",
                      "--concurrency", "1", "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["batches"].size(), 2u);
  auto c = client();
  const auto info = c.getJobInfo(c.attachJob(summary["jobId"].get<std::string>()));
  EXPECT_EQ(info.concurrencyMode, sfdc::bulk::ConcurrencyMode::Serial);
}

TEST_F(CliLoad, EmptyFileLoadsNothing) {
  writeFile(file("empty.csv"), "FirstName,LastName\n");
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("empty.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "nothing to load")) << r.out;
}

TEST_F(CliLoad, MissingInputFileIsALocalIoError) {
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("nope.csv").string()});
  EXPECT_EQ(r.exitCode, 7);
  EXPECT_TRUE(contains(r.err, "cannot read")) << r.err;
  EXPECT_TRUE(contains(r.err, "nope.csv")) << r.err;
}

TEST_F(CliLoad, UnknownObjectIsAnApiError) {
  writeFile(file("contacts.csv"), kGoodContacts);
  const auto r = run({"load", "--object", "NoSuchObject__c", "--operation", "insert", "--file",
                      file("contacts.csv").string()});
  EXPECT_EQ(r.exitCode, 4) << r.err;
  EXPECT_TRUE(contains(r.err, "NoSuchObject__c")) << r.err;
}

class CliLoadSlow : public CliTest {
 protected:
  sfdc::emulator::EmulatorOptions emulatorOptions() override {
    sfdc::emulator::EmulatorOptions options;
    options.workers = 1;
    options.batchLatency = std::chrono::milliseconds(80);
    return options;
  }

  std::string manyContacts(int count) {
    std::string csv = "FirstName,LastName\n";
    for (int i = 0; i < count; ++i)
      csv += "F" + std::to_string(i) + ",L" + std::to_string(i) + "\n";
    return csv;
  }
};

TEST_F(CliLoadSlow, ExpiredSessionInTheMiddleOfALoadIsRenewed) {
  writeFile(file("many.csv"), manyContacts(60));
  Child child({"load", "--object", "Contact", "--operation", "insert", "--file",
               file("many.csv").string(), "--batch-size", "5", "--concurrency", "1", "--json"},
              env, dir);
  // Expire every token a few times while batches are still being sent and polled.
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    server->expireSessions();
  }
  const auto r = child.wait();
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["succeeded"], 60);
  EXPECT_EQ(summary["batches"].size(), 12u);
  const auto stats = server->stats();
  EXPECT_GE(stats["endpoints"]["POST /oauth2/token"].get<int>(), 2) << stats.dump();
  EXPECT_GE(stats["statusCodes"].value("400", 0), 1) << stats.dump();
}

TEST_F(CliLoadSlow, PlainProgressLinesWhenStderrIsNotATerminal) {
  writeFile(file("many.csv"), manyContacts(20));
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("many.csv").string(), "--batch-size", "5", "--concurrency", "1",
                      "--progress-interval", "0.05"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "insert Contact 750")) << r.err;
  EXPECT_TRUE(contains(r.err, "/20 processed")) << r.err;
  EXPECT_FALSE(contains(r.err, "\r")) << "no bar redraws in a log";

  const auto quiet = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                          file("many.csv").string(), "--progress-interval", "0.05", "--quiet"});
  EXPECT_EQ(quiet.exitCode, 0);
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "");
}

TEST_F(CliLoadSlow, TimeoutLeavesTheJobOpenAndExitsFive) {
  writeFile(file("many.csv"), manyContacts(20));
  server->setFaults([] {
    sfdc::emulator::Faults faults;
    faults.delay = std::chrono::milliseconds(300);
    return faults;
  }());
  const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                      file("many.csv").string(), "--batch-size", "5", "--timeout", "0.5"});
  EXPECT_EQ(r.exitCode, 5) << r.err;
  EXPECT_TRUE(contains(r.err, "sfbulk job info 750")) << r.err;
  EXPECT_TRUE(contains(r.err, "--timeout")) << r.err;
}

TEST_F(CliLoadSlow, InterruptAbortsTheJob) {
  writeFile(file("many.csv"), manyContacts(200));
  Child child({"load", "--object", "Contact", "--operation", "insert", "--file",
               file("many.csv").string(), "--batch-size", "5", "--concurrency", "1", "--json"},
              env, dir);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  child.signal(SIGINT);
  const auto r = child.wait();
  EXPECT_EQ(r.exitCode, 8) << r.err;
  EXPECT_TRUE(contains(r.err, "interrupted")) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_GT(summary["notProcessed"].get<int>(), 0);
  auto c = client();
  const auto info = c.getJobInfo(c.attachJob(summary["jobId"].get<std::string>()));
  EXPECT_EQ(info.state, sfdc::bulk::JobState::Aborted);
}

}  // namespace
}  // namespace sfbulk::testing
