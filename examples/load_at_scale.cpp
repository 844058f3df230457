// Load a large CSV file with Client::load: the file is streamed, split into batches of
// at most 10,000 records and 10 MB (the header repeated in each), uploaded a few at a
// time, polled with one batch-list request per tick, and every row's outcome mapped back
// to its input row, written to Data Loader style success and error files.
//
// It generates N contacts into a CSV file (every 1000th one lacks the required
// LastName, so the error file has something in it), loads them with a progress
// callback, checks the counts and both files, then deletes the contacts again with a
// second load fed by a generator.
//
// Usage: example_load_at_scale [records [output-dir]]
//   records     how many contacts to generate (default 50000: a few seconds against the
//               emulator; try 1000000 for a real test of the client)
//   output-dir  keep the input, success and error files there (default: a temporary
//               directory, removed at the end)
//
// Runs against the org named by the SFDC_* variables, or the embedded emulator. Mind
// the org's storage and daily Bulk API limits before loading a million contacts.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Rows of the generated file that lack LastName and must fail.
bool invalidRow(std::uint64_t row) { return row % 1000 == 0; }

// Data rows of a CSV file (the header row is not counted).
std::uint64_t countCsvRows(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  CsvReader reader(in);
  std::uint64_t rows = 0;
  for (std::vector<std::string> fields; reader.next(fields);) ++rows;
  return rows == 0 ? 0 : rows - 1;
}

void writeContacts(const fs::path& path, std::uint64_t count, const std::string& tag) {
  std::ofstream out(path, std::ios::binary);
  std::string line;
  appendCsvRow(line, {"FirstName", "LastName", "Email", "Department", "Description"});
  out << line;
  for (std::uint64_t row = 1; row <= count; ++row) {
    const std::string n = std::to_string(row);
    line.clear();
    // appendCsvRow quotes what needs quoting: the comma, quotes and line break below.
    appendCsvRow(line, {"First" + n, invalidRow(row) ? "" : "Last, \"" + n + "\"",
                        "contact" + n + "@example.com", tag,
                        row % 7 == 0 ? "Line one\nline two of " + n : "Row " + n});
    out << line;
  }
}

}  // namespace

int main(int argc, char** argv) try {
  const std::uint64_t count = argc > 1 ? std::stoull(argv[1]) : 50000;
  const bool keepFiles = argc > 2;
  const std::string tag = examples::runTag();
  const fs::path dir = keepFiles ? fs::path(argv[2]) : fs::temp_directory_path() / tag;
  fs::create_directories(dir);
  const fs::path input = dir / "contacts.csv";

  auto start = Clock::now();
  writeContacts(input, count, tag);
  std::cout << "generated " << count << " contacts in " << input.string() << " ("
            << fs::file_size(input) / 1024 << " KiB) in " << secondsSince(start) << " s\n";

  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  LoadOptions options;
  options.contentType = ContentType::CSV;
  options.concurrency = 4;
  options.pollMinInterval = std::chrono::milliseconds(50);  // short jobs; real orgs: 1 s+
  options.successFile = (dir / "success.csv").string();
  options.errorFile = (dir / "error.csv").string();
  // The files hold every row's outcome; do not also keep them all in memory.
  options.keepResults = false;
  // The ids of created contacts, for the cleanup below (onResult sees rows in order).
  std::vector<std::string> created;
  options.onResult = [&created](const RowResult& row) {
    if (row.success) created.push_back(row.id);
  };
  // Progress arrives after every change; print at most a few lines a second.
  auto lastPrint = Clock::now() - std::chrono::seconds(1);
  options.onProgress = [&lastPrint](const LoadProgress& p) {
    if (Clock::now() - lastPrint < std::chrono::milliseconds(250)) return;
    lastPrint = Clock::now();
    std::cout << "  job " << p.jobId << ": read " << p.recordsRead << ", sent " << p.recordsSent
              << ", processed " << p.recordsProcessed << " (" << p.recordsFailed
              << " failed); batches " << p.batchesQueued << " queued, " << p.batchesInProgress
              << " in progress, " << p.batchesCompleted << " completed\n";
  };

  start = Clock::now();
  const std::uint64_t requestsBefore = client.requestCount();
  const LoadResult result =
      client.load(Operation::Insert, "Contact", RecordSource::csvFile(input.string()), options);
  const double loadSeconds = secondsSince(start);
  std::cout << "job " << result.jobId << ": " << result.recordsRead << " read, " << result.succeeded
            << " succeeded, " << result.failed << " failed, " << result.notProcessed
            << " not processed, in " << result.batches.size() << " batches\n"
            << "took " << loadSeconds << " s ("
            << static_cast<std::uint64_t>(static_cast<double>(count) / loadSeconds)
            << " records/s) and " << client.requestCount() - requestsBefore
            << " Bulk API requests\n";

  const std::uint64_t invalid = count / 1000;
  checks.expect(result.recordsRead == count, "every row was read");
  checks.expect(result.succeeded == count - invalid,
                std::to_string(count - invalid) + " rows succeeded");
  checks.expect(result.failed == invalid, std::to_string(invalid) + " rows (no LastName) failed");
  checks.expect(result.notProcessed == 0, "no row left unprocessed");
  checks.expect(created.size() == result.succeeded, "onResult saw every success");
  checks.expect(countCsvRows(options.successFile) == result.succeeded,
                "the success file has a row per success");
  checks.expect(countCsvRows(options.errorFile) == result.failed,
                "the error file has a row per failure");

  // Cleanup: a delete load from a generator, one {"Id": …} record at a time.
  start = Clock::now();
  std::size_t next = 0;
  LoadOptions deleteOptions;
  deleteOptions.keepResults = false;
  deleteOptions.pollMinInterval = std::chrono::milliseconds(50);
  const LoadResult deleted =
      client.load(Operation::Delete, "Contact",
                  RecordSource::generator([&created, &next](nlohmann::json& record) {
                    if (next == created.size()) return false;
                    record = {{"Id", created[next++]}};
                    return true;
                  }),
                  deleteOptions);
  std::cout << "deleted " << deleted.succeeded << " contacts in " << secondsSince(start) << " s\n";
  checks.expect(deleted.allSucceeded() && deleted.succeeded == created.size(),
                "every created contact was deleted");

  if (keepFiles) {
    std::cout << "files kept in " << dir.string() << "\n";
  } else {
    fs::remove_all(dir);
  }
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
