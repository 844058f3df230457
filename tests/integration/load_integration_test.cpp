// Client::load end to end: the real CurlTransport against the emulator over loopback.
// Values are checked by reading the records back with a bulk query through the core API.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

struct ContactRow {
  std::string firstName;
  std::string lastName;
  std::string description;
};

// The nasty values cycle through commas, quotes, line breaks inside quotes, multibyte
// text, spaces at both ends, explicit nulls and empty cells.
ContactRow nastyRow(std::size_t i) {
  static const char* const firsts[] = {"Zoë 東京 🚀", "  padded  ", "comma, inside", "say \"hi\"",
                                       "",           "#N/A",       "plain"};
  static const char* const descriptions[] = {"line1\nline2", "a\r\nb",    "", "x,\"y\"\nz",
                                             "#N/A",         "tab\there", "🚀"};
  return ContactRow{firsts[i % 7], "Last" + std::to_string(i), descriptions[(i / 7) % 7]};
}

std::string writeCsv(const std::string& path, std::size_t rows,
                     const std::function<ContactRow(std::size_t)>& make) {
  std::ofstream out(path, std::ios::binary);
  std::string line = "FirstName,LastName,Description\r\n";
  out << line;
  for (std::size_t i = 0; i < rows; ++i) {
    const ContactRow row = make(i);
    line.clear();
    appendCsvRow(line, {row.firstName, row.lastName, row.description});
    out << line;
  }
  return path;
}

// Stored value as a query returns it: `#N/A` (null) and empty both read back empty.
std::string stored(const std::string& value) { return value == "#N/A" ? "" : value; }

class LoadIntegrationTest : public EmulatorFilesTest {
 protected:
  // Every Contact by LastName, read back through a bulk query job.
  std::map<std::string, std::vector<std::string>> contacts() {
    Job job = client->createJob(Operation::Query, "Contact", ContentType::CSV);
    BatchInfo batch =
        client->addBatch(job, "SELECT Id, FirstName, LastName, Description FROM Contact");
    client->closeJob(job);
    waitForBatch(job, batch.id);
    std::map<std::string, std::vector<std::string>> byLastName;
    for (const auto& resultId : client->getBatchResult(job, batch.id).resultIds) {
      QueryResultReader reader = client->getQueryResult(job, batch.id, resultId);
      std::vector<std::string> row;
      while (reader.nextRow(row)) byLastName[row.at(2)] = row;
    }
    return byLastName;
  }
};

TEST_F(LoadIntegrationTest, HundredThousandNastyContactsFromACsvFile) {
  constexpr std::size_t kRows = 100'000;
  const std::string file = writeCsv(path("contacts.csv"), kRows, nastyRow);
  LoadOptions options = fastLoadOptions();
  options.keepResults = false;
  std::uint64_t expected = 1;
  std::set<std::string> ids;
  options.onResult = [&](const RowResult& row) {
    ASSERT_EQ(row.row, expected++);
    ASSERT_TRUE(row.success) << "row " << row.row << ": "
                             << (row.errors.empty() ? "" : row.errors[0].message);
    ASSERT_TRUE(row.created);
    ids.insert(row.id);
  };
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(result.succeeded, kRows);
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.batches.size(), 10u);
  EXPECT_EQ(ids.size(), kRows);
  EXPECT_EQ(
      client->getJobInfo(Job{result.jobId, Operation::Insert, "Contact", ContentType::CSV, ""})
          .state,
      JobState::Closed);

  const auto stored_ = contacts();
  ASSERT_EQ(stored_.size(), kRows);
  for (std::size_t i = 0; i < kRows; ++i) {
    const ContactRow row = nastyRow(i);
    const auto it = stored_.find(row.lastName);
    ASSERT_NE(it, stored_.end()) << row.lastName;
    ASSERT_EQ(it->second[1], stored(row.firstName)) << "row " << i + 1;
    ASSERT_EQ(it->second[3], stored(row.description)) << "row " << i + 1;
    ASSERT_EQ(ids.count(it->second[0]), 1u);
  }
}

TEST_F(LoadIntegrationTest, SerialModeWithGzipLoadsEveryRow) {
  const std::string file = writeCsv(path("serial.csv"), 2'500, nastyRow);
  LoadOptions options = fastLoadOptions();
  options.concurrencyMode = ConcurrencyMode::Serial;
  options.batchSize = 500;
  options.gzip = true;
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(result.succeeded, 2'500u);
  EXPECT_EQ(result.batches.size(), 5u);
  EXPECT_EQ(client->attachJob(result.jobId).id, result.jobId);
  Job job{result.jobId, Operation::Insert, "Contact", ContentType::CSV, ""};
  EXPECT_EQ(client->getJobInfo(job).concurrencyMode, ConcurrencyMode::Serial);
  EXPECT_EQ(contacts().size(), 2'500u);
}

TEST_F(LoadIntegrationTest, CleanBatchesAreNotDownloadedWhenNobodyReadsRowResults) {
  const std::string file = writeCsv(path("counts.csv"), 3'000, nastyRow);
  LoadOptions options = fastLoadOptions();
  options.batchSize = 1'000;
  options.keepResults = false;
  server->resetStats();
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(result.succeeded, 3'000u);
  EXPECT_TRUE(result.rows.empty());
  const auto endpoints = server->stats()["endpoints"];
  EXPECT_FALSE(endpoints.contains("GET /job/{id}/batch/{batchId}/result")) << endpoints.dump();
  EXPECT_EQ(endpoints.value("POST /job/{id}/batch", 0), 3);

  // With result files the downloads are needed again.
  options.successFile = path("counts_ok.csv");
  server->resetStats();
  client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(server->stats()["endpoints"].value("GET /job/{id}/batch/{batchId}/result", 0), 3);
}

TEST_F(LoadIntegrationTest, InvalidRowsFailExactlyAndGoToTheErrorFile) {
  const std::string file = writeCsv(path("invalid.csv"), 20, [](std::size_t i) {
    ContactRow row = nastyRow(i);
    if (i == 4 || i == 12) row.lastName = "";  // rows 5 and 13
    return row;
  });
  LoadOptions options = fastLoadOptions();
  options.batchSize = 6;
  options.successFile = path("success.csv");
  options.errorFile = path("error.csv");
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(result.succeeded, 18u);
  EXPECT_EQ(result.failed, 2u);
  ASSERT_EQ(result.rows.size(), 20u);
  for (const auto& row : result.rows) {
    const bool bad = row.row == 5 || row.row == 13;
    EXPECT_EQ(row.success, !bad) << row.row;
    if (bad) {
      ASSERT_FALSE(row.errors.empty());
      EXPECT_EQ(row.errors[0].statusCode, "REQUIRED_FIELD_MISSING");
    }
  }

  std::ifstream errors(options.errorFile, std::ios::binary);
  CsvReader reader(errors);
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(fields,
            (std::vector<std::string>{"FirstName", "LastName", "Description", "sf__Error"}));
  for (std::size_t i : {4u, 12u}) {
    ASSERT_TRUE(reader.next(fields));
    const ContactRow row = nastyRow(i);
    EXPECT_EQ(fields[0], row.firstName);
    EXPECT_EQ(fields[1], "");
    EXPECT_EQ(fields[2], row.description);
    EXPECT_EQ(fields[3].rfind("REQUIRED_FIELD_MISSING:", 0), 0u) << fields[3];
  }
  EXPECT_FALSE(reader.next(fields));

  std::ifstream successes(options.successFile, std::ios::binary);
  CsvReader successReader(successes);
  ASSERT_TRUE(successReader.next(fields));
  EXPECT_EQ(fields.back(), "sf__Created");
  std::size_t count = 0;
  while (successReader.next(fields)) {
    ++count;
    EXPECT_EQ(fields.size(), 5u);
    EXPECT_EQ(fields[3].size(), 18u);  // sf__Id
    EXPECT_EQ(fields[4], "true");
  }
  EXPECT_EQ(count, 18u);
}

class SlowEmulatorLoadTest : public LoadIntegrationTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions o;
    // One worker: a second batch waits in the queue, where an abort catches it.
    o.workers = 1;
    o.batchLatency = 1000ms;
    return o;
  }
};

TEST_F(SlowEmulatorLoadTest, TimeoutLeavesTheJobOpenAndResumable) {
  const std::string file = writeCsv(path("slow.csv"), 30, nastyRow);
  LoadOptions options = fastLoadOptions();
  options.timeout = 300ms;
  options.batchSize = 10;
  std::string jobId;
  std::string batchId;
  try {
    client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& incomplete) {
    EXPECT_EQ(incomplete.result().recordsRead, 30u);
    try {
      incomplete.rethrowCause();
    } catch (const TimeoutError& e) {
      jobId = e.jobId();
      batchId = e.batchId();
    }
  }
  ASSERT_FALSE(jobId.empty());
  EXPECT_FALSE(batchId.empty());
  const Job job = client->attachJob(jobId);
  EXPECT_EQ(client->getJobInfo(job).state, JobState::Open);
  const BatchInfo info = waitForBatch(job, batchId);
  EXPECT_EQ(info.state, BatchState::Completed);
  std::size_t results = 0;
  for (const auto& batch : client->getAllBatches(job)) {
    results += client->getBatchResult(job, waitForBatch(job, batch.id).id).records.size();
  }
  EXPECT_EQ(results, 30u);
}

TEST_F(SlowEmulatorLoadTest, CancellationAbortsTheJob) {
  const std::string file = writeCsv(path("cancel.csv"), 100, nastyRow);
  LoadOptions options = fastLoadOptions();
  options.batchSize = 10;
  options.concurrency = 2;
  options.cancel = std::make_shared<CancellationToken>();
  options.onProgress = [&](const LoadProgress& progress) {
    if (progress.recordsSent >= 20) options.cancel->cancel();
  };
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  const Job job = client->attachJob(result.jobId);
  EXPECT_EQ(client->getJobInfo(job).state, JobState::Aborted);
  // Rows never sent are still read, to be reported not sent.
  EXPECT_EQ(result.recordsRead, 100u);
  EXPECT_EQ(result.rows.size(), result.recordsRead);
  EXPECT_EQ(result.succeeded + result.failed + result.notProcessed, result.recordsRead);
  EXPECT_GE(result.notProcessed, 10u);  // at least the queued batch
  for (std::size_t i = 0; i < result.rows.size(); ++i) EXPECT_EQ(result.rows[i].row, i + 1);
}

TEST_F(LoadIntegrationTest, FaultsStillAccountForEveryRecordExactlyOnce) {
  constexpr std::size_t kRows = 5'000;
  const std::string file = writeCsv(path("faults.csv"), kRows, nastyRow);
  LoadOptions options = fastLoadOptions();
  options.batchSize = 250;
  bool armed = false;
  options.onProgress = [&](const LoadProgress&) {
    // Once the job exists: the next requests (uploads and polls) meet 503s, an answer
    // lost after the server acted, and a response cut in half.
    if (armed) return;
    armed = true;
    emulator::Faults faults;
    faults.fail503 = 2;
    faults.retryAfterSeconds = 0;
    faults.dropBeforeResponse = 3;
    faults.dropMidResponse = 2;
    server->setFaults(faults);
  };
  // A client of its own to see the loader's log: a lost answer must be reconciled.
  Config config = emulatorConfig(*server);
  std::mutex logMutex;
  std::vector<std::string> logs;
  config.logHandler = [&](LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(logMutex);
    logs.emplace_back(line);
  };
  Client logged(config, transport);
  const LoadResult result =
      logged.load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_EQ(result.succeeded, kRows);
  const auto mentions = [&](const std::string& text) {
    return std::count_if(logs.begin(), logs.end(), [&](const std::string& line) {
      return line.find(text) != std::string::npos;
    });
  };
  EXPECT_GT(mentions("reconciling") + mentions("retry"), 0);
  std::set<std::string> ids;
  for (const auto& row : result.rows) ids.insert(row.id);
  EXPECT_EQ(ids.size(), kRows);
  EXPECT_EQ(server->faults().dropBeforeResponse, 0);
  const auto stored_ = contacts();
  EXPECT_EQ(stored_.size(), kRows);  // nothing loaded twice
}

}  // namespace
}  // namespace sfdc::bulk::testing
