// sfbulk over Bulk API 2.0 end to end: load and query with --api 2, and the job commands on
// 2.0 job ids, checked against the emulator's store.

#include <nlohmann/json.hpp>
#include <sfdc/emulator/emulator.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;
using namespace sfdc::bulk;

class CliBulk2 : public CliTest {
 protected:
  /// Five contacts, the third without its required LastName.
  fs::path writeContacts() {
    const fs::path input = file("contacts.csv");
    writeFile(input,
              "FirstName,LastName,Email\n"
              "Ada,Lovelace,ada@example.com\n"
              "Grace,Hopper,grace@example.com\n"
              "Nobody,,nobody@example.com\n"
              "Alan,Turing,alan@example.com\n"
              "Zoë,東京 🚀,zoe@example.com\n");
    return input;
  }

  json load(const std::vector<std::string>& extra, int expectedExit) {
    std::vector<std::string> args = {
        "load",  "--object", "Contact", "--operation", "insert", "--file", writeContacts().string(),
        "--api", "2",        "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, expectedExit) << r.err;
    return json::parse(r.out);
  }
};

TEST_F(CliBulk2, LoadSplitsIntoJobsAndWritesResultFilesInInputOrder) {
  const json summary = load({"--job-records", "2", "--success", file("ok.csv").string(), "--errors",
                             file("failed.csv").string()},
                            1);
  EXPECT_EQ(summary["recordsRead"], 5);
  EXPECT_EQ(summary["succeeded"], 4);
  EXPECT_EQ(summary["failed"], 1);
  ASSERT_EQ(summary["jobIds"].size(), 3u) << summary.dump(2);
  EXPECT_EQ(summary["jobId"], summary["jobIds"][0]);
  EXPECT_EQ(queryRows("SELECT Id FROM Contact").size(), 5u);  // header + 4

  const std::string ok = readFile(file("ok.csv"));
  const auto okLines = lines(ok);
  ASSERT_EQ(okLines.size(), 5u) << ok;
  EXPECT_TRUE(contains(okLines[0], "sf__Id")) << ok;
  EXPECT_TRUE(contains(okLines[1], "ada@example.com")) << ok;
  EXPECT_TRUE(contains(okLines[4], "zoe@example.com")) << ok;
  const std::string failed = readFile(file("failed.csv"));
  EXPECT_TRUE(contains(failed, "nobody@example.com")) << failed;
  EXPECT_TRUE(contains(failed, "REQUIRED_FIELD_MISSING")) << failed;
}

TEST_F(CliBulk2, RefusesFlagsBulkApi2DoesNotHave) {
  writeContacts();
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"--format", "json"}, {"--serial"}, {"--batch-size", "100"}}) {
    std::vector<std::string> args = insertContacts(file("contacts.csv"), {"--api", "2"});
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, 2) << extra[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, extra[0])) << r.err;
  }
  const auto r = run({"query", "SELECT Id FROM Contact", "--api", "2", "--pk-chunking"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(server->stats()["total"], 0) << "a refused command sent requests";
}

TEST_F(CliBulk2, QueryPagedAndParallelReturnsEveryRowOnce) {
  load({}, 1);
  const auto r = run({"query", "SELECT Email, LastName FROM Contact ORDER BY Email", "--api", "2",
                      "--page-size", "1", "--parallel", "2", "-o", file("out.csv").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(readFile(file("out.csv")),
            "Email,LastName\n"
            "ada@example.com,Lovelace\n"
            "alan@example.com,Turing\n"
            "grace@example.com,Hopper\n"
            "zoe@example.com,東京 🚀\n");
  const auto jsonl = run({"query", "SELECT Email FROM Contact WHERE LastName = 'Hopper'", "--api",
                          "2", "--format", "jsonl"});
  EXPECT_EQ(jsonl.exitCode, 0) << jsonl.err;
  EXPECT_EQ(jsonl.out, "{\"Email\":\"grace@example.com\"}\n");
}

TEST_F(CliBulk2, JobCommandsFindBulk2JobsByTheirId) {
  const json summary = load({}, 1);
  const std::string jobId = summary["jobId"];

  auto r = run({"job", "info", jobId});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "V2Ingest")) << r.out;
  EXPECT_TRUE(contains(r.out, "JobComplete")) << r.out;
  r = run({"job", "info", jobId, "--json"});
  EXPECT_EQ(json::parse(r.out)["numberRecordsFailed"], 1);

  r = run({"job", "results", jobId, "--kind", "failed"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "sf__Error")) << r.out;
  EXPECT_TRUE(contains(r.out, "nobody@example.com")) << r.out;
  r = run({"job", "results", jobId});
  EXPECT_EQ(r.exitCode, 2) << "an ingest job's results need --kind: " << r.err;
  r = run({"job", "batches", jobId});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "no batches")) << r.err;

  r = run({"job", "delete", jobId});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  r = run({"job", "info", jobId, "--api", "2"});
  EXPECT_NE(r.exitCode, 0);

  // A query job: its results are every page, the header once.
  auto bulk2 = client().bulk2();
  const QueryJob query = bulk2.createQueryJob("SELECT LastName FROM Contact ORDER BY LastName");
  for (int i = 0; i < 500 && !bulk2.getJobInfo(query).isTerminal(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r = run({"job", "results", query.id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "LastName\nHopper\nLovelace\nTuring\n東京 🚀\n");
  r = run({"job", "close", query.id});
  EXPECT_EQ(r.exitCode, 2) << r.err;

  // An open ingest job can be closed and aborted by id.
  const IngestJob open = bulk2.createIngestJob(Operation::Insert, "Contact");
  r = run({"job", "abort", open.id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "is now Aborted")) << r.out;
}

}  // namespace
}  // namespace sfbulk::testing
