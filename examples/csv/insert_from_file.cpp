// Insert contacts from a CSV file (the seed connector's bulk_file_insert_csv sample).
// `addBatchFromFile` streams the file into the request as it goes out; it is never
// loaded whole. (For files over one batch's limits, 10,000 records or 10 MB, use
// `Client::load`, which splits them: see load_at_scale.cpp.)
//
// The file, examples/data/contacts.csv, is full of things CSV code gets wrong: quoted
// commas, doubled quotes, a field spanning two lines, multibyte UTF-8, `#N/A` (null)
// and empty cells. After the insert the contacts are read back and compared with the
// file field by field.
//
//   createJob → addBatchFromFile → getJobInfo → getBatchInfo (polled) → getAllBatches →
//   getBatchRequest → getBatchResult → closeJob
//
// Usage: example_insert_from_file_csv [file.csv]   (default: the bundled contacts.csv,
// found through its absolute source path, so any working directory will do)

#include <fstream>
#include <iostream>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

namespace {

// The file's rows as JSON records, to compare with what reads back; `#N/A` is null.
std::vector<nlohmann::json> readCsvRecords(const std::string& path,
                                           std::vector<std::string>& header) {
  std::ifstream in(path, std::ios::binary);
  CsvReader reader(in);
  reader.next(header);
  std::vector<nlohmann::json> records;
  for (std::vector<std::string> row; reader.next(row);) {
    nlohmann::json record = nlohmann::json::object();
    for (std::size_t i = 0; i < header.size() && i < row.size(); ++i) {
      record[header[i]] = row[i] == kCsvNull ? nlohmann::json(nullptr) : nlohmann::json(row[i]);
    }
    records.push_back(record);
  }
  return records;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::string path = examples::dataFile(argc, argv, "contacts.csv");
  std::vector<std::string> header;
  const std::vector<nlohmann::json> expected = readCsvRecords(path, header);
  std::cout << "loading " << expected.size() << " contacts from " << path << "\n";

  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  // 1. createJob
  Job job = client.createJob(Operation::Insert, "Contact", ContentType::CSV);
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

  // 6. getBatchRequest: the file's bytes as uploaded.
  std::ifstream file(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  checks.expect(client.getBatchRequest(job, batch.id) == bytes,
                "getBatchRequest returns the file unchanged");

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
    checks.expectSameRecords(expected, examples::fetchRecords(client, "Contact", header, ids),
                             header, "contacts read back");
  }
  examples::deleteRecords(client, "Contact", ids);
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
