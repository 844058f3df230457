// Query contacts and their accounts as XML (the seed connector's bulk_query_xml sample).
// Each result file is a `<queryResult>` of `<records>`; the reader hands out one record
// at a time as a JSON object (values as strings, xsi:nil as null, a parent relationship
// such as Account.Name as a nested object), parsing the file as it downloads.
//
//   createJob(Query) → addBatch(SOQL) → getJobInfo → getBatchInfo (polled) →
//   getAllBatches → getBatchRequest → getBatchResult (result ids) → getQueryResult →
//   closeJob
//
// The records are created first (tagged, so a real org's others are not counted) and
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

  const std::vector<std::string> accounts =
      examples::insertRecords(client, "Account", {{{"Name", "Smith & Sons <Ltd>"}}});
  const std::vector<std::string> ids = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Tony"},
        {"LastName", "Stark"},
        {"Department", tag},
        {"AccountId", accounts[0]}},
       {{"FirstName", "Peter"}, {"LastName", "Parker"}, {"Department", tag}}});

  // 1. createJob
  Job job = client.createJob(Operation::Query, "Contact", ContentType::XML);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch: the SOQL text.
  const std::string soql =
      "SELECT Id, FirstName, LastName, Account.Name FROM Contact "
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
  checks.expect(records.size() == 2, "2 records");
  if (records.size() == 2) {
    checks.expect(records[0]["LastName"] == "Parker" && records[1]["LastName"] == "Stark",
                  "records come in ORDER BY LastName");
    checks.expect(
        records[1]["Account"].is_object() && records[1]["Account"]["Name"] == "Smith & Sons <Ltd>",
        "the parent's Name reads back as a nested object, unescaped");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  examples::deleteRecords(client, "Contact", ids);
  examples::deleteRecords(client, "Account", accounts);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
