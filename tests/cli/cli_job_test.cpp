// sfbulk job info|close|abort|batches|results end to end.

#include <nlohmann/json.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;
using namespace sfdc::bulk;

class CliJob : public CliTest {
 protected:
  /// Loads three contacts, the second one invalid; returns the job id.
  std::string loadWithOneFailure() {
    writeFile(file("contacts.csv"), "FirstName,LastName\nAda,Lovelace\nGrace,\nAlan,Turing\n");
    const auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                        file("contacts.csv").string(), "--json"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    return json::parse(r.out)["jobId"].get<std::string>();
  }
};

TEST_F(CliJob, InfoShowsEveryFieldAndJson) {
  const std::string jobId = loadWithOneFailure();
  auto r = run({"job", "info", jobId});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const auto text = lines(r.out);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text[0].rfind("id ", 0), 0u) << r.out;
  EXPECT_TRUE(contains(r.out, jobId));
  EXPECT_TRUE(contains(r.out, "object                   Contact")) << r.out;
  EXPECT_TRUE(contains(r.out, "state                    Closed")) << r.out;

  r = run({"job", "info", jobId, "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json info = json::parse(r.out);
  EXPECT_EQ(info["id"], jobId);
  EXPECT_EQ(info["operation"], "insert");
  EXPECT_EQ(info["numberRecordsProcessed"], 3);
  EXPECT_EQ(info["numberRecordsFailed"], 1);
}

TEST_F(CliJob, CloseAndAbort) {
  auto c = client();
  const Job open = c.createJob(Operation::Insert, "Contact", ContentType::CSV);
  auto r = run({"job", "close", open.id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "Job " + open.id + " is now Closed")) << r.out;
  EXPECT_EQ(c.getJobInfo(open).state, JobState::Closed);

  const Job other = c.createJob(Operation::Insert, "Contact", ContentType::JSON);
  r = run({"job", "abort", other.id, "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["state"], "Aborted");
  EXPECT_EQ(c.getJobInfo(other).state, JobState::Aborted);
}

TEST_F(CliJob, BatchesTableAndJson) {
  writeFile(file("contacts.csv"), "LastName\nA\nB\nC\n");
  const auto load = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                         file("contacts.csv").string(), "--batch-size", "2", "--json"});
  ASSERT_EQ(load.exitCode, 0) << load.err;
  const json summary = json::parse(load.out);
  const std::string jobId = summary["jobId"];

  auto r = run({"job", "batches", jobId});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const auto table = lines(r.out);
  ASSERT_EQ(table.size(), 3u) << r.out;
  EXPECT_EQ(table[0].rfind("BATCH", 0), 0u);
  for (const auto& batch : summary["batches"]) {
    EXPECT_TRUE(contains(r.out, batch["id"].get<std::string>() + "  Completed")) << r.out;
  }

  r = run({"job", "batches", jobId, "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json list = json::parse(r.out);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["jobId"], jobId);
  EXPECT_EQ(list[0]["state"], "Completed");
}

TEST_F(CliJob, ResultsOfADmlBatchInInputOrder) {
  const std::string jobId = loadWithOneFailure();
  auto c = client();
  const auto batches = c.getAllBatches(c.attachJob(jobId));
  ASSERT_EQ(batches.size(), 1u);

  auto r = run({"job", "results", jobId, batches[0].id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const auto rows = lines(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;
  EXPECT_EQ(rows[0], "Id,Success,Created,Error");
  EXPECT_TRUE(contains(rows[1], ",true,true,")) << rows[1];
  EXPECT_EQ(rows[2].rfind(",false,false,REQUIRED_FIELD_MISSING:", 0), 0u) << rows[2];
  EXPECT_TRUE(contains(rows[3], ",true,true,")) << rows[3];

  r = run({"job", "results", jobId, batches[0].id, "--json", "-o", file("results.json").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  const json results = json::parse(readFile(file("results.json")));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1]["success"], false);
  EXPECT_EQ(results[1]["errors"][0]["statusCode"], "REQUIRED_FIELD_MISSING");
}

TEST_F(CliJob, ResultsOfAQueryBatchAreItsRecords) {
  const auto ids = seedContacts(3);
  auto c = client();
  const Job job = c.createJob(Operation::Query, "Contact", ContentType::CSV);
  const BatchInfo batch = c.addBatch(job, "SELECT Id, LastName FROM Contact");
  c.closeJob(job);
  for (int i = 0; i < 500 && !c.getBatchInfo(job, batch.id).isTerminal(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto r = run({"job", "results", job.id, batch.id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "Id,LastName\n" + ids[0] + ",Last0001\n" + ids[1] + ",Last0002\n" + ids[2] +
                       ",Last0003\n");
}

TEST_F(CliJob, UnknownJobIsAnApiErrorWithAHint) {
  const auto r = run({"job", "info", "750x0000000099ZAAA"});
  EXPECT_EQ(r.exitCode, 4) << r.err;
  EXPECT_TRUE(contains(r.err, "750x0000000099ZAAA") || contains(r.err, "InvalidJob")) << r.err;
}

}  // namespace
}  // namespace sfbulk::testing
