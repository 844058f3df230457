// Insert contacts from a CSV body written by hand (the seed connector's
// bulk_insert_csv sample). The steps are the seed's:
//
//   createJob → addBatch → getJobInfo → getBatchInfo → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// except that getBatchInfo is polled until the batch is done: the seed asked for the
// result at once, which only works when Salesforce happens to be quick.
//
// The last row lacks the required LastName, to show a per-record error; every other row
// must succeed. Exits non-zero on any other outcome. Runs against the org named by the
// SFDC_* variables, or the embedded emulator.

#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

int main() try {
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;
  const std::string tag = examples::runTag();

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::CSV);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch: RFC 4180 CSV. Quotes are doubled inside quoted fields, which may span
  // lines. Department carries this run's tag so a real org's other contacts stay apart.
  const std::string csv =
      "FirstName,LastName,Email,Title,Department\n"
      "Tony,Stark,tony@example.com,\"Engineer, \"\"Level 2\"\"\"," +
      tag +
      "\n"
      "Peter,Parker,peter@example.com,\"Photographer\nand student\"," +
      tag +
      "\n"
      "Zoë,東京 🚀,zoe@example.com,Ingeniør," +
      tag +
      "\n"
      "Nobody,,nobody@example.com,No last name," +
      tag + "\n";
  BatchInfo batch = client.addBatch(job, csv);
  std::cout << "added batch " << batch.id << "\n";

  // 3. getJobInfo
  examples::print(client.getJobInfo(job));

  // 4. getBatchInfo, until Completed, Failed or NotProcessed.
  batch = examples::waitForBatch(client, job, batch.id);
  examples::print(batch);
  checks.expect(batch.state == BatchState::Completed, "the batch completed");

  // 5. getAllBatches
  std::vector<BatchInfo> batches = client.getAllBatches(job);
  checks.expect(batches.size() == 1 && batches[0].id == batch.id,
                "getAllBatches lists the one batch");

  // 6. getBatchRequest: the CSV as Salesforce stored it; read it with the SDK's RFC 4180
  // reader (never split CSV on '\n': the second row spans two lines).
  const std::string request = client.getBatchRequest(job, batch.id);
  auto reader = CsvReader::fromString(request);
  std::size_t rows = 0;
  for (std::vector<std::string> fields; reader.next(fields);) ++rows;
  checks.expect(rows == 5, "getBatchRequest returns the header and 4 rows");

  // 7. getBatchResult: one result per input row, in input order.
  const std::vector<RecordResult> results = client.getBatchResult(job, batch.id).records;
  examples::print(results);
  checks.expect(results.size() == 4, "4 results");
  std::vector<std::string> created;
  for (std::size_t row = 0; row < results.size(); ++row) {
    if (row < 3) {
      checks.expect(results[row].success && results[row].created,
                    "row " + std::to_string(row + 1) + " created");
      created.push_back(results[row].id);
    } else {
      checks.expect(!results[row].success && !results[row].errors.empty() &&
                        results[row].errors[0].statusCode == "REQUIRED_FIELD_MISSING",
                    "row 4 failed with REQUIRED_FIELD_MISSING");
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
