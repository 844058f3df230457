// Client::load and Client::query over Bulk API 2.0: the same calls, options and results
// as over 1.0, with `api = BulkApi::V2`.
//
// It loads N tagged contacts from a generator (the load cuts them into jobs of
// maxJobRecords rows, runs `concurrency` jobs at once, and maps every input row to its
// outcome although 2.0 returns results out of order), checks that every row succeeded
// exactly once, queries them back with two result pages downloaded at a time, checks
// that each arrives once, and deletes them again.
//
// Usage: example_bulk2_load_and_query [records]
//   records  how many contacts to load and query (default 30000)
//
// Runs against the org named by the SFDC_* variables, or the embedded emulator.

#include <iostream>
#include <string>
#include <unordered_set>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;

int main(int argc, char** argv) try {
  const std::uint64_t count = argc > 1 ? std::stoull(argv[1]) : 30000;
  const std::string tag = examples::runTag();
  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  LoadOptions options;
  options.api = BulkApi::V2;
  // Small jobs to show the split; the default is 250,000 rows (and at most 100 MB) per job.
  options.maxJobRecords = 10000;
  options.concurrency = 2;
  options.pollMinInterval = std::chrono::milliseconds(50);
  options.keepResults = false;
  std::vector<std::string> ids;
  std::uint64_t outOfOrder = 0;
  std::uint64_t lastRow = 0;
  options.onResult = [&](const RowResult& row) {
    // Rows are reported in input order, whatever order the service returned them in.
    if (row.row != lastRow + 1) ++outOfOrder;
    lastRow = row.row;
    if (row.success) ids.push_back(row.id);
  };
  std::uint64_t generated = 0;
  const LoadResult loaded = client.load(
      Operation::Insert, "Contact", RecordSource::generator([&](nlohmann::json& record) {
        if (generated == count) return false;
        ++generated;
        record = {{"FirstName", "Bulk2"},
                  {"LastName", "Contact " + std::to_string(generated)},
                  {"Email", "bulk2-" + std::to_string(generated) + "@example.com"},
                  {"Department", tag}};
        return true;
      }),
      options);
  std::cout << "loaded " << loaded.succeeded << " of " << loaded.recordsRead << " contacts in "
            << loaded.jobIds.size() << " jobs:";
  for (const auto& job : loaded.jobs) {
    std::cout << " " << job.id << " (" << toString(job.state) << ", " << job.numberRecordsProcessed
              << " rows)";
  }
  std::cout << "\n";
  checks.expect(loaded.allSucceeded() && loaded.succeeded == count, "every contact was loaded");
  checks.expect(loaded.jobIds.size() == (count + 9999) / 10000, "one job per 10,000 rows");
  checks.expect(outOfOrder == 0 && lastRow == count, "results reported once per row, in order");

  QueryOptions query;
  query.api = BulkApi::V2;
  query.maxRecordsPerPage = 5000;
  query.parallelDownloads = 2;
  query.pollMinInterval = std::chrono::milliseconds(50);
  QueryStream stream =
      client.query("SELECT Id, LastName FROM Contact WHERE Department = '" + tag + "'", query);
  std::unordered_set<std::string> seen;
  for (std::vector<std::string> row; stream.nextRow(row);) seen.insert(row.at(0));
  std::cout << "queried " << stream.rowCount() << " rows (job " << stream.jobId() << ")\n";
  checks.expect(stream.rowCount() == count && seen.size() == count,
                "each contact came back exactly once");

  LoadOptions cleanup = options;
  cleanup.onResult = nullptr;
  std::size_t next = 0;
  const LoadResult deleted = client.load(Operation::Delete, "Contact",
                                         RecordSource::generator([&](nlohmann::json& record) {
                                           if (next == ids.size()) return false;
                                           record = {{"Id", ids[next++]}};
                                           return true;
                                         }),
                                         cleanup);
  std::cout << "deleted " << deleted.succeeded << " contacts\n";
  checks.expect(deleted.allSucceeded(), "every contact was deleted");
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
