// Quick start: the five core calls. Inserts three contacts (one of them invalid, to
// show per-record errors), waits for the batch, prints each row's outcome, then
// queries the contacts back.
//
// Runs against the org named by the SFDC_* environment variables, or against the
// embedded emulator when none are set.

#include <iostream>

#include "support/target.hpp"

using namespace sfdc::bulk;

int main() try {
  auto target = examples::connect();
  Client client(target.config);

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::CSV);
  std::cout << "created job " << job.id << "\n";

  // 2. addBatch: RFC 4180 CSV; the last row lacks the required LastName.
  BatchInfo batch = client.addBatch(job,
                                    "FirstName,LastName,Email,Description\n"
                                    "Ada,Lovelace,ada@example.com,\"Analyst, \"\"first\"\"\"\n"
                                    "Zoë,東京 🚀,zoe@example.com,\"two\nlines\"\n"
                                    "Nobody,,nobody@example.com,\n");
  // 3. closeJob: no more batches; the queued one still runs.
  client.closeJob(job);

  // 4. getBatchInfo until the batch finishes.
  batch = examples::waitForBatch(client, job, batch.id);
  std::cout << "batch " << batch.id << " " << toString(batch.state) << ": "
            << batch.numberRecordsProcessed << " processed, " << batch.numberRecordsFailed
            << " failed\n";

  // 5. getBatchResult: one result per input row, in input order.
  auto results = client.getBatchResult(job, batch.id).records;
  for (std::size_t row = 0; row < results.size(); ++row) {
    const auto& r = results[row];
    std::cout << "  row " << row + 1 << ": ";
    if (r.success) {
      std::cout << (r.created ? "created " : "updated ") << r.id << "\n";
    } else {
      std::cout << "failed " << r.errors.at(0).statusCode << " " << r.errors.at(0).message << "\n";
    }
  }

  // And back out: a query job, streamed row by row.
  Job query = client.createJob(Operation::Query, "Contact", ContentType::CSV);
  BatchInfo queryBatch =
      client.addBatch(query, "SELECT Id, FirstName, LastName FROM Contact ORDER BY LastName");
  client.closeJob(query);
  queryBatch = examples::waitForBatch(client, query, queryBatch.id);
  for (const auto& resultId : client.getBatchResult(query, queryBatch.id).resultIds) {
    auto reader = client.getQueryResult(query, queryBatch.id, resultId);
    std::vector<std::string> row;
    while (reader.nextRow(row))
      std::cout << "  " << row[0] << " " << row[1] << " " << row[2] << "\n";
  }
  std::cout << "done: " << client.requestCount() << " Bulk API requests\n";
  return 0;
} catch (const sfdc::bulk::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
