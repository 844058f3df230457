// Exactly once over Bulk API 2.0, under the faults that reach past the retry loop: lost
// answers to uploads, closes and job creations, answers cut mid-download, 503s, 500s and
// sessions ended mid-load. A 100,000-row load must leave every row in the org once, and a
// query must then return every row once, sequential and parallel.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "fault_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kRows = 100'000;

/// Sets each fault in turn once the one before it has fired (or after a while, for a
/// request kind the run no longer makes), ending sessions between them, until stopped.
class FaultSequence {
 public:
  FaultSequence(emulator::Emulator& server, std::vector<emulator::Faults> steps)
      : server_(server), steps_(std::move(steps)) {
    thread_ = std::thread([this] { run(); });
  }
  ~FaultSequence() { stop(); }
  FaultSequence(const FaultSequence&) = delete;
  FaultSequence& operator=(const FaultSequence&) = delete;

  void stop() {
    stop_.store(true);
    if (thread_.joinable()) thread_.join();
    server_.setFaults({});
  }
  int stepsFired() const { return fired_.load(); }

 private:
  static bool pending(const emulator::Faults& faults) {
    return faults.fail503 > 0 || faults.fail500 > 0 || faults.dropBeforeResponse > 0 ||
           faults.dropMidResponse > 0;
  }

  void run() {
    for (const auto& step : steps_) {
      server_.setFaults(step);
      const auto deadline = std::chrono::steady_clock::now() + 3s;
      while (!stop_.load() && pending(server_.faults()) &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(2ms);
      }
      if (stop_.load()) return;
      if (!pending(server_.faults())) fired_.fetch_add(1);
      server_.expireSessions();
      std::this_thread::sleep_for(20ms);
    }
  }

  emulator::Emulator& server_;
  std::vector<emulator::Faults> steps_;
  std::atomic<bool> stop_{false};
  std::atomic<int> fired_{0};
  std::thread thread_;
};

emulator::Faults fault(const char* onlyFor, int fail503, int fail500, int dropBefore, int dropMid,
                       int skip = 0) {
  emulator::Faults faults;
  faults.onlyFor = onlyFor;
  faults.fail503 = fail503;
  faults.fail500 = fail500;
  faults.dropBeforeResponse = dropBefore;
  faults.dropMidResponse = dropMid;
  faults.retryAfterSeconds = 0;
  faults.skipRequests = skip;
  return faults;
}

class Bulk2FaultTest : public FaultTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions options;
    // Jobs take a moment, so faults set during the load meet every kind of request.
    options.workers = 2;
    options.costPerRecord = std::chrono::microseconds(30);
    return options;
  }

  LoadOptions bulk2Options() const {
    LoadOptions options = withResultFiles(kMaxRecordsPerBatch, 2);
    options.api = BulkApi::V2;
    options.maxJobRecords = 10'000;
    options.keepResults = false;
    return options;
  }

  /// Emails of every row a 2.0 query returns, with how many times each came.
  std::map<std::string, int> queriedEmails(const QueryOptions& options, std::uint64_t& rows) {
    std::map<std::string, int> counts;
    QueryStream stream = client->query("SELECT Id, Email FROM Contact", options);
    std::vector<std::string> row;
    while (stream.nextRow(row)) ++counts[row.at(1)];
    rows = stream.rowCount();
    return counts;
  }
};

TEST_F(Bulk2FaultTest, LoadUnderFaultsStoresEveryRowOnceAndQueriesReturnEachOnce) {
  const std::string file = writeContacts("in.csv", kRows);
  LoadResult result;
  int fired = 0;
  {
    FaultSequence faults(*server,
                         {
                             fault("createJob", 2, 0, 0, 0),
                             fault("addBatch", 0, 0, 1, 0),  // upload lost after it arrived
                             fault("addBatch", 3, 0, 0, 0, 1),
                             fault("closeJob", 0, 0, 1, 0),  // close acted, answer lost
                             fault("getJob", 0, 2, 0, 0),
                             fault("createJob", 0, 0, 1, 0),    // job created, answer lost
                             fault("batchResult", 0, 0, 0, 1),  // result cut mid-body
                             fault("addBatch", 0, 0, 0, 1, 1),
                             fault("batchResult", 0, 1, 0, 0),
                         });
    result =
        client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), bulk2Options());
    fired = faults.stepsFired();
    faults.stop();
  }
  std::cout << "fault steps fired: " << fired << ", jobs: " << result.jobIds.size() << std::endl;
  EXPECT_GE(fired, 5) << "the faults did not meet the load";
  EXPECT_EQ(result.recordsRead, kRows);
  EXPECT_EQ(result.succeeded, kRows);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_EQ(result.notProcessed, 0u);
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_GE(result.jobIds.size(), 10u);
  EXPECT_EQ(csvRows(path("success.csv")), kRows);
  EXPECT_EQ(csvRows(path("errors.csv")), 0u);
  expectEachRowOnce(kRows);

  for (const int parallel : {1, 3}) {
    SCOPED_TRACE("parallelDownloads " + std::to_string(parallel));
    QueryOptions query;
    query.api = BulkApi::V2;
    query.maxRecordsPerPage = 7'000;
    query.parallelDownloads = parallel;
    query.pollMinInterval = 5ms;
    query.pollMaxInterval = 50ms;
    std::uint64_t rows = 0;
    std::map<std::string, int> counts;
    {
      FaultSequence faults(*server, {
                                        fault("queryResult", 0, 0, 0, 1),
                                        fault("queryResult", 2, 0, 0, 0, 2),
                                        fault("queryResult", 0, 0, 1, 0, 3),
                                        fault("queryResult", 0, 0, 0, 1, 5),
                                    });
      counts = queriedEmails(query, rows);
    }
    EXPECT_EQ(rows, kRows);
    EXPECT_EQ(counts.size(), kRows);
    std::size_t repeated = 0;
    for (const auto& [email, n] : counts) repeated += n > 1 ? 1 : 0;
    EXPECT_EQ(repeated, 0u) << "rows returned more than once";
  }
}

// An upload whose answer is lost may or may not have reached the job; the load must not
// send it to the same job again (a second upload fails the whole job) but abort that job
// and start over with a new one.
TEST_F(Bulk2FaultTest, LostUploadAnswerRedoesTheJobInsteadOfUploadingTwice) {
  const std::string file = writeContacts("in.csv", 3'000);
  server->setFaults(fault("addBatch", 0, 0, 1, 0));
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), bulk2Options());
  EXPECT_EQ(server->faults().dropBeforeResponse, 0) << "the fault never fired";
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.succeeded, 3'000u);
  expectEachRowOnce(3'000);
  // No job of this load got two uploads.
  const auto stats = server->stats();
  for (const auto& [jobId, counters] : stats["jobs"].items()) {
    EXPECT_LE(counters.value("PUT /jobs/ingest/{id}/batches", 0), 1) << jobId;
  }
}

}  // namespace
}  // namespace sfdc::bulk::testing
