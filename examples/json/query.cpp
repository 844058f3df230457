// Query contacts as JSON (the seed connector's bulk_query_json sample). Each result file
// is a JSON array of records; the reader hands them out one at a time (without their
// `attributes`), parsing the file as it downloads.
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
using nlohmann::json;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  const std::vector<std::string> ids = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Morne"}, {"LastName", "Morkel"}, {"Department", tag}},
       {{"FirstName", "Andrew"},
        {"LastName", "Flintoff"},
        {"Department", tag},
        {"HasOptedOutOfEmail", true}},
       {{"FirstName", "Zoë"}, {"LastName", "東京 🚀"}, {"Department", tag}}});

  // 1. createJob
  Job job = client.createJob(Operation::Query, "Contact", ContentType::JSON);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch: the SOQL text.
  const std::string soql =
      "SELECT Id, FirstName, LastName, HasOptedOutOfEmail, Title FROM Contact "
      "WHERE Department = '" +
      tag + "' ORDER BY LastName";
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

  // 7. getBatchResult: result file ids, each file read record by record.
  std::vector<json> records;
  for (const std::string& resultId : client.getBatchResult(job, batch.id).resultIds) {
    QueryResultReader reader = client.getQueryResult(job, batch.id, resultId);
    for (json record; reader.nextRecord(record);) {
      std::cout << "  " << record.dump() << "\n";
      records.push_back(record);
    }
  }
  checks.expect(records.size() == 3, "3 records");
  if (records.size() == 3) {
    checks.expect(records[0]["LastName"] == "Flintoff" && records[2]["FirstName"] == "Zoë",
                  "records come in ORDER BY LastName");
    // JSON results keep types: a checkbox is a boolean, an empty field is null.
    checks.expect(records[0]["HasOptedOutOfEmail"] == true && records[0]["Title"].is_null(),
                  "booleans and nulls keep their JSON types");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
