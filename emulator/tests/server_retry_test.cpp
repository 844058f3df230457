// The service's own retries of Bulk API 1.0 batches (gaps rows 86, 87, 88): a transient
// failure or the processing time limit puts a batch back in the queue (numberRetries),
// where it carries on with the records it has not written; past 10 retries (15 for
// queries) it fails "Retried more than ten times"; Sforce-Disable-Batch-Retry fails it at
// once; a query longer than the query time limit fails QUERY_TIMEOUT.

#include <set>

#include "org.hpp"
#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using namespace std::chrono_literals;

class RetryTest : public ServerTest {
 protected:
  explicit RetryTest(EmulatorOptions options = defaultOptions()) : ServerTest(std::move(options)) {}

  static std::string contacts(int count) {
    std::string body = "LastName\n";
    for (int i = 0; i < count; ++i) body += "c" + std::to_string(i) + "\n";
    return body;
  }

  void insertAccounts(int count) {
    const std::string jobId = createJob("insert", "Account", "CSV");
    std::string body = "Name\n";
    for (int i = 0; i < count; ++i) body += "A" + std::to_string(i) + "\n";
    const std::string batchId = addBatch(jobId, body, "text/csv");
    ASSERT_EQ(xmlValue(waitForBatch(jobId, batchId), "state"), "Completed");
  }

  void transientFailures(int n) {
    Faults f;
    f.transientBatchFailures = n;
    emulator_.setFaults(f);
  }

  std::string jobField(const std::string& jobId, const std::string& name) {
    auto r = get("/job/" + jobId);
    EXPECT_TRUE(r);
    return r ? xmlValue(r->body, name) : std::string();
  }

  /// The created ids in a batch's result; fails the test when one appears twice.
  std::set<std::string> resultIds(const std::string& jobId, const std::string& batchId) {
    auto r = get("/job/" + jobId + "/batch/" + batchId + "/result");
    EXPECT_TRUE(r);
    if (!r) return {};
    const auto ids = allMatches(r->body, "\"(003\\w{15})\",\"true\",\"true\"");
    const std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "a record is reported twice";
    return unique;
  }
};

// Row 86: two interruptions, the batch carries on where it stopped each time.
TEST_F(RetryTest, TransientFailureRequeuesTheBatchWhichCarriesOnWhereItStopped) {
  transientFailures(2);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string batchId = addBatch(jobId, contacts(1000), "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "1000");
  EXPECT_EQ(xmlValue(info, "numberRecordsFailed"), "0");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "2");
  EXPECT_EQ(resultIds(jobId, batchId).size(), 1000u);
  EXPECT_EQ(emulator_.org().count("Contact"), 1000u);
  EXPECT_EQ(emulator_.faults().transientBatchFailures, 0);
}

// Row 86: a one-chunk batch is interrupted before it writes anything.
TEST_F(RetryTest, OneChunkBatchIsInterruptedBeforeWriting) {
  transientFailures(1);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string batchId = addBatch(jobId, contacts(150), "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, batchId), "state"), "Completed");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "1");
  EXPECT_EQ(resultIds(jobId, batchId).size(), 150u);
  EXPECT_EQ(emulator_.org().count("Contact"), 150u);
}

// Row 86: the eleventh interruption fails the batch; the chunks it wrote keep their
// results (one chunk per attempt here: 11 × 200 records).
TEST_F(RetryTest, UploadFailsAfterTenRetries) {
  transientFailures(11);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string batchId = addBatch(jobId, contacts(3000), "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_EQ(xmlValue(info, "stateMessage"), "InternalServerError : Retried more than ten times");
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "2200");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "10");
  EXPECT_EQ(resultIds(jobId, batchId).size(), 2200u);
  EXPECT_EQ(emulator_.org().count("Contact"), 2200u);
}

// Row 89 with row 86: Sforce-Disable-Batch-Retry fails the batch at the first interruption.
TEST_F(RetryTest, DisableBatchRetryFailsAtTheFirstInterruption) {
  transientFailures(1);
  const std::string jobId =
      createJob("insert", "Contact", "CSV", "", {{"Sforce-Disable-Batch-Retry", "TRUE"}});
  const std::string batchId = addBatch(jobId, contacts(400), "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_NE(xmlValue(info, "stateMessage").find("Sforce-Disable-Batch-Retry"), std::string::npos)
      << info;
  EXPECT_EQ(jobField(jobId, "numberRetries"), "0");
  EXPECT_EQ(resultIds(jobId, batchId).size(), 200u);
}

// Row 86: query batches are retried up to 15 times, then fail "fifteen".
TEST_F(RetryTest, QueryBatchIsRetriedThenFailsAfterFifteenRetries) {
  insertAccounts(1);
  transientFailures(3);
  const std::string jobId = createJob("query", "Account", "CSV");
  const std::string ok = addBatch(jobId, "SELECT Name FROM Account", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, ok), "state"), "Completed");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "3");

  transientFailures(16);
  const std::string failed = addBatch(jobId, "SELECT Name FROM Account", "text/csv");
  const std::string info = waitForBatch(jobId, failed);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "InternalServerError : Retried more than fifteen times");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "18");
}

EmulatorOptions timeLimit(std::chrono::microseconds costPerRecord,
                          std::chrono::milliseconds batchLimit,
                          std::chrono::milliseconds queryLimit = 2min) {
  EmulatorOptions o;
  o.workers = 4;
  o.costPerRecord = costPerRecord;
  o.batchTimeLimit = batchLimit;
  o.queryTimeLimit = queryLimit;
  return o;
}

// Row 87: a chunk takes 20 ms and an attempt may take 30, so each attempt writes two
// chunks at most; the batch is requeued until it is done.
class BatchTimeLimitTest : public RetryTest {
 protected:
  BatchTimeLimitTest() : RetryTest(timeLimit(100us, 30ms)) {}
};

TEST_F(BatchTimeLimitTest, LongBatchIsRequeuedForTheRest) {
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string batchId = addBatch(jobId, contacts(1000), "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "1000");
  const int retries = std::stoi(jobField(jobId, "numberRetries"));
  EXPECT_GE(retries, 2);
  EXPECT_LE(retries, 4);
  EXPECT_EQ(resultIds(jobId, batchId).size(), 1000u);
  EXPECT_EQ(emulator_.org().count("Contact"), 1000u);
}

// Row 87: with a limit shorter than one chunk, every attempt writes one chunk; the
// eleventh attempt that runs out of time fails the batch.
class TinyTimeLimitTest : public RetryTest {
 protected:
  TinyTimeLimitTest() : RetryTest(timeLimit(10us, 1ms)) {}
};

TEST_F(TinyTimeLimitTest, BatchFailsAfterTenAttemptsRanOutOfTime) {
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string batchId = addBatch(jobId, contacts(3000), "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_EQ(xmlValue(info, "stateMessage"), "InternalServerError : Retried more than ten times");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "10");
  EXPECT_EQ(emulator_.org().count("Contact"), 2200u);
}

// Row 88: a query whose modelled time passes the query time limit fails QUERY_TIMEOUT,
// without retries.
class QueryTimeLimitTest : public RetryTest {
 protected:
  QueryTimeLimitTest() : RetryTest(timeLimit(100us, 10min, 20ms)) {}
};

TEST_F(QueryTimeLimitTest, LongQueryFailsWithQueryTimeout) {
  insertAccounts(300);
  const std::string jobId = createJob("query", "Account", "CSV");
  const std::string slow = addBatch(jobId, "SELECT Name FROM Account", "text/csv");
  const std::string info = waitForBatch(jobId, slow);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "InvalidBatch : Failed to process query: QUERY_TIMEOUT: Your query request was "
            "running for too long.");
  EXPECT_EQ(jobField(jobId, "numberRetries"), "0");
  // A query that fits in the limit (100 rows: 10 ms) runs.
  const std::string fast = addBatch(jobId, "SELECT Name FROM Account LIMIT 100", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, fast), "state"), "Completed");
}

}  // namespace
}  // namespace sfdc::emulator::testing
