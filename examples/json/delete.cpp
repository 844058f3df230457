// Delete contacts by id in a JSON job (the seed connector's bulk_delete_json sample):
// each record holds only the Id. Deleted records go to the recycle bin.
//
//   createJob → addBatch → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// The contacts are created first, so the example stands alone. One more record names a
// contact that is already deleted, to show that a delete fails per record, not per
// batch. Exits non-zero when anything else happens.

#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
using nlohmann::json;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  const std::vector<std::string> ids =
      examples::insertRecords(client, "Contact",
                              {{{"FirstName", "Morne"}, {"LastName", "Morkel"}},
                               {{"FirstName", "Andrew"}, {"LastName", "Flintoff"}},
                               {{"FirstName", "Gone"}, {"LastName", "Already"}}});
  examples::deleteRecords(client, "Contact", {ids[2]});

  json records = json::array();
  for (const auto& id : ids) records.push_back({{"Id", id}});

  // 1. createJob
  Job job = client.createJob(Operation::Delete, "Contact", ContentType::JSON);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch
  BatchInfo batch = client.addBatch(job, records);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  examples::print(client.getJobInfo(job));

  // 4. getBatchInfo, until the batch is done.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  checks.expect(client.getAllBatches(job).size() == 1, "getAllBatches lists one batch");

  // 6. getBatchRequest
  checks.expect(json::parse(client.getBatchRequest(job, batch.id)) == records,
                "getBatchRequest returns the ids sent");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expect(results.size() == 3, "3 results");
  if (results.size() == 3) {
    checks.expect(results[0].success && results[1].success, "records 1 and 2 deleted");
    // Salesforce answers ENTITY_IS_DELETED here; the code is not checked, since orgs
    // may word it differently.
    checks.expect(!results[2].success, "record 3 (already deleted) failed");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  std::size_t left = 0;
  for (const auto& record : examples::fetchRecords(client, "Contact", {}, ids)) {
    if (!record.is_null()) ++left;
  }
  checks.expect(left == 0, "the contacts are gone");
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
