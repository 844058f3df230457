// Delete contacts by id (the seed connector's bulk_delete_csv sample). A delete batch
// has a single column, Id; here it is written from a typed struct through `addRecords`.
// Deleted records go to the recycle bin (Operation::HardDelete skips it, and needs the
// "Bulk API Hard Delete" permission).
//
//   createJob → addRecords → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// The contacts are created first, so the example stands alone. Exits non-zero when
// anything does not go as expected.

#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

namespace {

struct RecordId {
  std::string id;
};

void to_json(nlohmann::json& out, const RecordId& record) { out = {{"Id", record.id}}; }

}  // namespace

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  const std::vector<std::string> ids =
      examples::insertRecords(client, "Contact",
                              {{{"FirstName", "Tony"}, {"LastName", "Stark"}},
                               {{"FirstName", "Peter"}, {"LastName", "Parker"}},
                               {{"FirstName", "Natasha"}, {"LastName", "Romanoff"}}});
  std::vector<RecordId> doomed;
  for (const auto& id : ids) doomed.push_back({id});

  // 1. createJob
  Job job = client.createJob(Operation::Delete, "Contact", ContentType::CSV);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch
  BatchInfo batch = client.addRecords(job, doomed);
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
  const std::string request = client.getBatchRequest(job, batch.id);
  std::cout << "request body:\n" << request;
  checks.expect(request.rfind("Id", 0) == 0, "the request's only column is Id");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, ids.size(), "delete");

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  // A normal query no longer finds them (queryAll would, until the recycle bin empties).
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
