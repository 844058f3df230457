// Quick start for Bulk API 2.0: the core calls of an ingest job and of a query job.
// Inserts three contacts (one of them invalid, to show per-row errors) in one upload,
// closes the job, waits for it, prints both result files, then queries the contacts back
// page by page.
//
// Bulk API 2.0 differs from 1.0: one upload per job (the service cuts its own batches),
// results come as three CSV files in no particular order, and a query runs as soon as
// it is created and is read page by page through locators.
//
// Runs against the org named by the SFDC_* environment variables, or against the
// embedded emulator when none are set.

#include <chrono>
#include <iostream>
#include <thread>

#include "support/target.hpp"

using namespace sfdc::bulk;

namespace {

/// Poll a job until it is JobComplete, Failed or Aborted (gentle backoff).
template <class JobHandle>
Bulk2JobInfo waitForJob(Bulk2Client& client, const JobHandle& job) {
  auto pause = std::chrono::milliseconds(100);
  for (;;) {
    Bulk2JobInfo info = client.getJobInfo(job);
    if (info.isTerminal()) return info;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(5000));
  }
}

void printFile(Bulk2CsvReader reader, const char* title) {
  std::cout << title << ":\n ";
  for (const auto& column : reader.header()) std::cout << " " << column;
  std::cout << "\n";
  std::vector<std::string> row;
  while (reader.nextRow(row)) {
    std::cout << " ";
    for (const auto& cell : row) std::cout << " " << cell;
    std::cout << "\n";
  }
}

}  // namespace

int main() try {
  auto target = examples::connect();
  Bulk2Client client(target.config);

  // 1. createIngestJob: the data's delimiter and line ending are part of the job.
  IngestJob job = client.createIngestJob(Operation::Insert, "Contact");
  std::cout << "created ingest job " << job.id << "\n";

  // 2. uploadJobData: all the job's rows in one request (RFC 4180 CSV, LF line ends);
  // the last row lacks the required LastName.
  client.uploadJobData(job,
                       "FirstName,LastName,Email,Description\n"
                       "Ada,Lovelace,ada@example.com,\"Analyst, \"\"first\"\"\"\n"
                       "Zoë,東京 🚀,zoe@example.com,\"two\nlines\"\n"
                       "Nobody,,nobody@example.com,\n");

  // 3. closeJob (UploadComplete): nothing is processed before it.
  client.closeJob(job);

  // 4. getJobInfo until the job is finished.
  Bulk2JobInfo info = waitForJob(client, job);
  std::cout << "job " << info.id << " " << toString(info.state) << ": "
            << info.numberRecordsProcessed << " processed, " << info.numberRecordsFailed
            << " failed\n";

  // 5. The result files: each carries the input columns, so rows can be matched to the
  // input even though they come in no particular order.
  printFile(client.openResults(job, IngestResultKind::Successful), "successful");
  printFile(client.openResults(job, IngestResultKind::Failed), "failed");

  // And back out: a query job starts at once; its results are read page by page.
  QueryJob query = client.createQueryJob("SELECT Id, FirstName, LastName FROM Contact");
  waitForJob(client, query);
  QueryPageRequest page;
  std::uint64_t rows = 0;
  for (;;) {
    Bulk2CsvReader reader = client.openResults(query, page);
    std::vector<std::string> row;
    while (reader.nextRow(row)) {
      std::cout << "  " << row[0] << " " << row[1] << " " << row[2] << "\n";
      ++rows;
    }
    // The last page says so with the locator `null`.
    auto next = reader.nextLocator();
    if (!next) break;
    page.locator = *next;
  }
  std::cout << rows << " rows queried\n";

  // Finished jobs can be deleted with their data.
  client.deleteJob(job);
  client.deleteJob(query);
  std::cout << "done: " << client.requestCount() << " API requests\n";
  const bool expected = info.state == Bulk2JobState::JobComplete &&
                        info.numberRecordsProcessed == 3 && info.numberRecordsFailed == 1;
  return expected ? 0 : 1;
} catch (const sfdc::bulk::Error& e) {
  std::cerr << "error: " << e.what() << "\n";
  return 1;
}
