// Insert contacts from a JSON file (the seed connector's bulk_file_insert_json sample).
// `addBatchFromFile` streams the file into the request; it must hold one JSON array of
// records, at most one batch's worth (10,000 records, 10 MB). Larger inputs go through
// `Client::load`: see load_at_scale.cpp.
//
// The file, examples/data/contacts.json, holds \u escapes (a surrogate pair among them),
// raw multibyte UTF-8, escaped quotes, backslashes, tabs, newlines and a null. After
// the insert the contacts are read back and compared with the file field by field.
//
//   createJob → addBatchFromFile → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// Usage: example_insert_from_file_json [file.json]   (default: the bundled
// contacts.json, found through its absolute source path from any working directory)

#include <fstream>
#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
using nlohmann::json;

int main(int argc, char** argv) try {
  const std::string path = examples::dataFile(argc, argv, "contacts.json");
  const json file = json::parse(std::ifstream(path));
  const std::vector<json> expected(file.begin(), file.end());
  std::cout << "loading " << expected.size() << " contacts from " << path << "\n";

  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::JSON);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatchFromFile: the file must already be in the job's format.
  BatchInfo batch = client.addBatchFromFile(job, path);
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
  checks.expect(json::parse(client.getBatchRequest(job, batch.id)) == file,
                "getBatchRequest returns the file's records");

  // 7. getBatchResult
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expectAllSucceeded(results, expected.size(), "insert from file");
  std::vector<std::string> ids;
  for (const auto& r : results) {
    if (r.success) ids.push_back(r.id);
  }

  // 8. closeJob
  checks.expect(client.closeJob(job).state == JobState::Closed, "the job is closed");

  if (ids.size() == expected.size()) {
    const std::vector<std::string> fields = {"FirstName", "LastName", "Email", "Title",
                                             "Description"};
    checks.expectSameRecords(expected, examples::fetchRecords(client, "Contact", fields, ids),
                             fields, "contacts read back");
  }
  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
