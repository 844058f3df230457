// Insert contacts from nlohmann::json records in a JSON job (the seed connector's
// bulk_insert_json sample). A JSON batch is an array of record objects; `addBatch`
// takes the array as it is. A null sets a field to null; a missing field is left alone.
//
//   createJob → addBatch → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// The last record lacks the required LastName, to show a per-record error; every other
// record must succeed. Exits non-zero on any other outcome.

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

  const json contacts = json::array({
      {{"FirstName", "Morne"},
       {"LastName", "Morkel"},
       {"Title", "Professor Grade 03"},
       {"Phone", "0442226670"},
       {"Email", "morne89@example.com"},
       {"Department", tag}},
      {{"FirstName", "Zoë"},
       {"LastName", "東京 🚀"},
       {"Description", "quotes \" and\nnewlines are just JSON"},
       {"Department", tag}},
      {{"FirstName", "Andrew"}, {"LastName", "Flintoff"}, {"Title", nullptr}, {"Department", tag}},
      {{"FirstName", "Nobody"}, {"Email", "nobody@example.com"}, {"Department", tag}},
  });

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::JSON);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch
  BatchInfo batch = client.addBatch(job, contacts);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  examples::print(client.getJobInfo(job));

  // 4. getBatchInfo, until the batch is done.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  std::vector<BatchInfo> batches = client.getAllBatches(job);
  checks.expect(batches.size() == 1 && batches[0].id == batch.id,
                "getAllBatches lists the one batch");

  // 6. getBatchRequest: the JSON as uploaded, which parses back to the same records.
  const json request = json::parse(client.getBatchRequest(job, batch.id));
  checks.expect(request == contacts, "getBatchRequest returns the records sent");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expect(results.size() == contacts.size(), "one result per record");
  std::vector<std::string> created;
  for (std::size_t row = 0; row < results.size(); ++row) {
    if (row + 1 < contacts.size()) {
      checks.expect(results[row].success && results[row].created,
                    "record " + std::to_string(row + 1) + " created");
      created.push_back(results[row].id);
    } else {
      checks.expect(!results[row].success && !results[row].errors.empty() &&
                        results[row].errors[0].statusCode == "REQUIRED_FIELD_MISSING",
                    "the last record failed with REQUIRED_FIELD_MISSING");
    }
  }

  // 8. closeJob
  JobInfo closed = client.closeJob(job);
  examples::print(closed);
  checks.expect(closed.state == JobState::Closed, "the job is closed");

  examples::deleteRecords(client, "Contact", created);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
