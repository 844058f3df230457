// Update contacts from nlohmann::json records in a JSON job (the seed connector's
// bulk_update_json sample). Each record names the contact by Id and carries only the
// fields to change; a null clears a field.
//
//   createJob → addBatch → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// The contacts to update are created first, so the example stands alone; they are
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

  const std::vector<std::string> ids = examples::insertRecords(
      client, "Contact",
      {{{"FirstName", "Morne"}, {"LastName", "Morkel"}, {"Title", "Professor Grade 03"}},
       {{"FirstName", "Andrew"}, {"LastName", "Flintoff"}, {"Title", "Bowler"}}});

  json changes = json::array();
  changes.push_back({{"Id", ids[0]}, {"Title", "Professor Grade 04"}, {"Phone", "0442226671"}});
  changes.push_back({{"Id", ids[1]}, {"Title", nullptr}, {"Description", "Title cleared"}});

  // 1. createJob
  Job job = client.createJob(Operation::Update, "Contact", ContentType::JSON);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch
  BatchInfo batch = client.addBatch(job, changes);
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
  checks.expect(json::parse(client.getBatchRequest(job, batch.id)) == changes,
                "getBatchRequest returns the records sent");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, changes.size(), "update");
  for (std::size_t row = 0; row < results.size(); ++row) {
    checks.expect(results[row].id == ids[row] && !results[row].created,
                  "record " + std::to_string(row + 1) + " updated the right contact");
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  checks.expectSameRecords(
      {changes[0], changes[1]},
      examples::fetchRecords(client, "Contact", {"Title", "Phone", "Description"}, ids),
      {"Title", "Phone", "Description"}, "updated contacts");

  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
