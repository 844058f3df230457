// Pull a large query result with Client::query and Client::queryToCsvFile. Both create
// the query job, poll it, and read every result file of every batch as a single stream
// in constant memory: a later file's repeated header row is dropped, and with PK
// chunking the chunk batches are read in turn while the NotProcessed parent is skipped.
//
// It first loads N tagged contacts (Client::load from a generator), then
//   1. streams them with client.query(...), row by row, and checks every one arrives
//      exactly once;
//   2. writes them to a CSV file with client.queryToCsvFile(...) using PK chunking
//      (one batch per chunk of ids), and checks the file;
// and deletes the contacts at the end.
//
// Usage: example_query_at_scale [records [output.csv]]
//   records     how many contacts to load and query (default 20000: a few seconds
//               against the emulator)
//   output.csv  where queryToCsvFile writes (default: a temporary file, removed)
//
// Runs against the org named by the SFDC_* variables, or the embedded emulator.

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <unordered_set>

#include "support/helpers.hpp"
#include "support/target.hpp"

using namespace sfdc::bulk;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::uint64_t perSecond(std::uint64_t count, double seconds) {
  return seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(count) / seconds) : 0;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::uint64_t count = argc > 1 ? std::stoull(argv[1]) : 20000;
  const bool keepFile = argc > 2;
  const std::string tag = examples::runTag();
  const fs::path output =
      keepFile ? fs::path(argv[2]) : fs::temp_directory_path() / (tag + "-contacts.csv");

  auto target = examples::connect();
  Client client(target.config);
  examples::Checks checks;

  // Setup: N contacts tagged with this run's Department, generated on the fly.
  auto start = Clock::now();
  std::uint64_t generated = 0;
  LoadOptions loadOptions;
  loadOptions.pollMinInterval = std::chrono::milliseconds(50);
  loadOptions.keepResults = false;
  std::vector<std::string> ids;
  loadOptions.onResult = [&ids](const RowResult& row) {
    if (row.success) ids.push_back(row.id);
  };
  const LoadResult loaded = client.load(
      Operation::Insert, "Contact", RecordSource::generator([&](nlohmann::json& record) {
        if (generated == count) return false;
        ++generated;
        record = {{"FirstName", "Query"},
                  {"LastName", "Contact " + std::to_string(generated)},
                  {"Email", "query" + std::to_string(generated) + "@example.com"},
                  {"Department", tag}};
        return true;
      }),
      loadOptions);
  std::cout << "setup: loaded " << loaded.succeeded << " contacts in " << secondsSince(start)
            << " s\n";
  if (!loaded.allSucceeded()) throw std::runtime_error("setup: not every contact was loaded");

  const std::string soql =
      "SELECT Id, FirstName, LastName, Email FROM Contact WHERE Department = '" + tag + "'";

  // 1. Stream the rows: nothing is held but the row being read.
  start = Clock::now();
  std::uint64_t requestsBefore = client.requestCount();
  QueryOptions options;
  options.pollMinInterval = std::chrono::milliseconds(50);
  QueryStream stream = client.query(soql, options);
  const std::vector<std::string> header = stream.header();
  std::cout << "query job " << stream.jobId() << ", columns:";
  for (const auto& column : header) std::cout << " " << column;
  std::cout << "\n";
  std::unordered_set<std::string> seen;
  std::uint64_t duplicates = 0;
  for (std::vector<std::string> row; stream.nextRow(row);) {
    if (stream.rowCount() <= 3) {
      std::cout << "  " << row[0] << " | " << row[1] << " | " << row[2] << " | " << row[3] << "\n";
    }
    if (!seen.insert(row[0]).second) ++duplicates;
  }
  double seconds = secondsSince(start);
  std::cout << "streamed " << stream.rowCount() << " rows in " << seconds << " s ("
            << perSecond(stream.rowCount(), seconds) << " rows/s, "
            << client.requestCount() - requestsBefore << " Bulk API requests)\n";
  checks.expect(header == std::vector<std::string>{"Id", "FirstName", "LastName", "Email"},
                "the header names the selected fields");
  checks.expect(stream.rowCount() == count, std::to_string(count) + " rows streamed");
  checks.expect(duplicates == 0 && seen.size() == count, "each contact arrived exactly once");

  // 2. The same query into a CSV file, PK-chunked: Salesforce splits the query into one
  // batch per range of ids. Chunks of a quarter of the rows make four batches here; for
  // real tables 100,000 to 250,000 is usual.
  start = Clock::now();
  requestsBefore = client.requestCount();
  QueryOptions chunked = options;
  chunked.pkChunking = PkChunking{};
  chunked.pkChunking->chunkSize = static_cast<int>(std::clamp<std::uint64_t>(count / 4, 1, 250000));
  const std::uint64_t written = client.queryToCsvFile(soql, output.string(), chunked);
  seconds = secondsSince(start);
  std::cout << "wrote " << written << " rows to " << output.string() << " in " << seconds << " s ("
            << perSecond(written, seconds) << " rows/s, " << client.requestCount() - requestsBefore
            << " Bulk API requests)\n";
  checks.expect(written == count, std::to_string(count) + " rows written");

  std::ifstream in(output, std::ios::binary);
  CsvReader reader(in);
  std::vector<std::string> fields;
  reader.next(fields);
  checks.expect(fields == header, "the file starts with the header, once");
  std::uint64_t fileRows = 0;
  std::uint64_t unknown = 0;
  while (reader.next(fields)) {
    ++fileRows;
    if (fields.empty() || seen.count(fields[0]) == 0) ++unknown;
  }
  checks.expect(fileRows == count && unknown == 0,
                "the file holds the same rows (no header repeated between chunks)");
  in.close();
  if (!keepFile) fs::remove(output);

  // Cleanup.
  std::size_t next = 0;
  LoadOptions deleteOptions;
  deleteOptions.keepResults = false;
  deleteOptions.pollMinInterval = std::chrono::milliseconds(50);
  const LoadResult deleted = client.load(
      Operation::Delete, "Contact", RecordSource::generator([&ids, &next](nlohmann::json& record) {
        if (next == ids.size()) return false;
        record = {{"Id", ids[next++]}};
        return true;
      }),
      deleteOptions);
  std::cout << "deleted " << deleted.succeeded << " contacts\n";
  checks.expect(deleted.allSucceeded(), "every contact was deleted");
  return checks.exitCode();
} catch (const std::exception& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
