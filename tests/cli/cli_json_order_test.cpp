// JSON output keeps column order: `sfbulk query --format json|jsonl` writes each record's
// fields in the SELECT's order, `sfbulk job results --json` in the result file's column
// order, not sorted by name.

#include <nlohmann/json.hpp>
#include <thread>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

/// The keys of a JSON object as written.
std::vector<std::string> keysOf(const std::string& objectText) {
  std::vector<std::string> keys;
  const ordered_json object = ordered_json::parse(objectText);
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

using Keys = std::vector<std::string>;

class CliJsonOrder : public CliTest {};

TEST_F(CliJsonOrder, QueryRecordsKeepTheSelectOrder) {
  seedContacts(2);
  const std::string soql = "SELECT LastName, Id, FirstName FROM Contact";
  auto r = run({"query", soql, "--format", "jsonl"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  ASSERT_EQ(lines(r.out).size(), 2u) << r.out;
  for (const auto& line : lines(r.out))
    EXPECT_EQ(keysOf(line), Keys({"LastName", "Id", "FirstName"}));

  r = run({"query", soql, "--format", "json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const ordered_json array = ordered_json::parse(r.out);
  ASSERT_EQ(array.size(), 2u);
  for (const auto& record : array)
    EXPECT_EQ(keysOf(record.dump()), Keys({"LastName", "Id", "FirstName"}));

  // Bulk API 2.0 (CSV results) and a CSV query batch read as records.
  r = run({"query", soql, "--format", "jsonl", "--api", "2"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  for (const auto& line : lines(r.out))
    EXPECT_EQ(keysOf(line), Keys({"LastName", "Id", "FirstName"}));
}

TEST_F(CliJsonOrder, JobResultsKeepTheResultFilesColumnOrder) {
  seedContacts(2);
  using namespace sfdc::bulk;
  auto c = client();
  const Job job = c.createJob(Operation::Query, "Contact", ContentType::CSV);
  const BatchInfo batch = c.addBatch(job, "SELECT LastName, Id, FirstName FROM Contact");
  c.closeJob(job);
  for (int i = 0; i < 1000 && !c.getBatchInfo(job, batch.id).isTerminal(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto r = run({"job", "results", job.id, batch.id, "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const ordered_json records = ordered_json::parse(r.out);
  ASSERT_EQ(records.size(), 2u) << r.out;
  for (const auto& record : records)
    EXPECT_EQ(keysOf(record.dump()), Keys({"LastName", "Id", "FirstName"}));

  // A DML batch: the columns of its result file, Id, Success, Created, Error.
  writeFile(file("c.csv"), "FirstName,LastName\nAda,Lovelace\n");
  r = run({"load", "--object", "Contact", "--operation", "insert", "--file", file("c.csv").string(),
           "--json", "--no-results"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json summary = json::parse(r.out);
  r = run({"job", "results", summary["jobId"], summary["batches"][0]["id"], "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const ordered_json results = ordered_json::parse(r.out);
  ASSERT_EQ(results.size(), 1u) << r.out;
  EXPECT_EQ(keysOf(results[0].dump()), Keys({"id", "success", "created", "errors"}));
}

TEST_F(CliJsonOrder, Bulk2JobResultsKeepTheResultFilesColumnOrder) {
  writeFile(file("c.csv"), "LastName,FirstName\nLovelace,Ada\n");
  auto r = run({"load", "--object", "Contact", "--operation", "insert", "--file",
                file("c.csv").string(), "--json", "--no-results", "--api", "2"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const std::string jobId = json::parse(r.out)["jobId"];
  r = run({"job", "results", jobId, "--kind", "successful", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const ordered_json results = ordered_json::parse(r.out);
  ASSERT_EQ(results.size(), 1u) << r.out;
  EXPECT_EQ(keysOf(results[0].dump()), Keys({"sf__Id", "sf__Created", "LastName", "FirstName"}));
}

}  // namespace
}  // namespace sfbulk::testing
