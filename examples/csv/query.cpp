// Query contacts as CSV (the seed connector's bulk_query_csv sample). A query batch's
// body is the SOQL text; its result is a list of result files, each a complete CSV with
// its own header row, read here row by row without holding the file in memory.
//
//   createJob(Query) → addBatch(SOQL) → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult (result ids) → getQueryResult →
//   closeJob
//
// The contacts are created first (tagged, so a real org's others are not counted) and
// deleted at the end. Exits non-zero when anything does not go as expected.

#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  const std::vector<std::string> ids = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Ada"}, {"LastName", "Lovelace"}, {"Department", tag}},
       {{"FirstName", "Grace"},
        {"LastName", "Hopper"},
        {"Department", tag},
        {"Title", "Rear Admiral, \"Amazing Grace\""}},
       {{"FirstName", "Zoë"}, {"LastName", "東京 🚀"}, {"Department", tag}}});

  // 1. createJob
  Job job = client.createJob(Operation::Query, "Contact", ContentType::CSV);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch: the SOQL text.
  const std::string soql =
      "SELECT Id, FirstName, LastName, Title FROM Contact WHERE Department = '" + tag +
      "' ORDER BY LastName";
  BatchInfo batch = client.addBatch(job, soql);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  examples::print(client.getJobInfo(job));

  // 4. getBatchInfo, until the batch is done.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  checks.expect(client.getAllBatches(job).size() == 1, "getAllBatches lists one batch");

  // 6. getBatchRequest: for a query, the SOQL.
  checks.expect(client.getBatchRequest(job, batch.id) == soql, "getBatchRequest returns the SOQL");

  // 7. getBatchResult: the ids of the result files, then each file read row by row.
  const BatchResult result = client.getBatchResult(job, batch.id);
  checks.expect(!result.resultIds.empty(), "at least one result file");
  std::vector<std::vector<std::string>> rows;
  for (const std::string& resultId : result.resultIds) {
    QueryResultReader reader = client.getQueryResult(job, batch.id, resultId);
    const std::vector<std::string>& header = reader.header();
    std::cout << "result " << resultId << ", columns:";
    for (const auto& column : header) std::cout << " " << column;
    std::cout << "\n";
    for (std::vector<std::string> row; reader.nextRow(row);) {
      std::cout << "  " << row[0] << " | " << row[1] << " | " << row[2] << " | " << row[3] << "\n";
      rows.push_back(row);
    }
  }
  checks.expect(rows.size() == 3, "3 rows");
  if (rows.size() == 3) {
    checks.expect(rows[0][2] == "Hopper" && rows[1][2] == "Lovelace" && rows[2][2] == "東京 🚀",
                  "rows come in ORDER BY LastName");
    checks.expect(rows[0][3] == "Rear Admiral, \"Amazing Grace\"",
                  "a quoted field with a comma reads back whole");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
