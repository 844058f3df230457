// Parent-record locks: parallel batches writing children of one Account wait for each
// other chunk by chunk, fail records with UNABLE_TO_LOCK_ROW when the wait runs out,
// retry a batch locked out of a whole chunk and finally fail it with TooManyLockFailure;
// Serial jobs take no locks.

#include "org.hpp"
#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using namespace std::chrono_literals;

EmulatorOptions lockOptions(std::chrono::microseconds costPerRecord,
                            std::chrono::milliseconds lockWait, int lockRetries = 10,
                            bool parentLocks = true) {
  EmulatorOptions o;
  o.workers = 4;
  o.costPerRecord = costPerRecord;
  o.lockWait = lockWait;
  o.lockRetries = lockRetries;
  o.parentLocks = parentLocks;
  return o;
}

class LockTest : public ServerTest {
 protected:
  explicit LockTest(EmulatorOptions options) : ServerTest(std::move(options)) {}

  /// Inserts Accounts named `names`; returns their ids.
  std::vector<std::string> accounts(const std::vector<std::string>& names) {
    const std::string jobId = createJob("insert", "Account", "CSV");
    std::string body = "Name\n";
    for (const auto& n : names) body += n + "\n";
    const std::string batchId = addBatch(jobId, body, "text/csv");
    waitForBatch(jobId, batchId);
    return allMatches(result(jobId, batchId), "\"(001\\w{15})\"");
  }

  static std::string contacts(const std::string& accountId, int count, const std::string& tag) {
    std::string body = "LastName,AccountId\n";
    for (int i = 0; i < count; ++i) body += tag + std::to_string(i) + "," + accountId + "\n";
    return body;
  }

  std::string result(const std::string& jobId, const std::string& batchId) {
    auto r = get("/job/" + jobId + "/batch/" + batchId + "/result");
    EXPECT_TRUE(r);
    return r ? r->body : std::string();
  }

  /// Waits until some batch holds a parent lock.
  void waitForHeldLock() {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (emulator_.stats()["throughput"]["locks"]["held"].get<long long>() == 0) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no lock was taken";
      std::this_thread::sleep_for(1ms);
    }
  }

  long long lockStat(const char* name) {
    return emulator_.stats()["throughput"]["locks"][name].get<long long>();
  }
};

// Two batches of 400 Contacts of one Account: each chunk waits for the other batch's
// chunk (20 ms) and nothing fails.
class ContendingBatchesTest : public LockTest {
 protected:
  ContendingBatchesTest() : LockTest(lockOptions(100us, 2000ms)) {}
};

TEST_F(ContendingBatchesTest, WaitForEachOtherAndAllSucceed) {
  const std::string parent = accounts({"P"}).at(0);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string a = addBatch(jobId, contacts(parent, 400, "a"), "text/csv");
  const std::string b = addBatch(jobId, contacts(parent, 400, "b"), "text/csv");
  for (const auto& batchId : {a, b}) {
    const std::string info = waitForBatch(jobId, batchId);
    EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
    EXPECT_EQ(xmlValue(info, "numberRecordsFailed"), "0") << info;
  }
  EXPECT_GT(lockStat("waited"), 0);
  EXPECT_EQ(lockStat("timedOut"), 0);
  EXPECT_EQ(lockStat("held"), 0);
  EXPECT_EQ(emulator_.org().count("Contact"), 800u);
}

// A chunk holds its parent for 200 × 2 ms = 400 ms; another batch waits 50 ms for it.
class LongChunkTest : public LockTest {
 protected:
  LongChunkTest() : LockTest(lockOptions(2000us, 50ms, 2)) {}
};

TEST_F(LongChunkTest, RecordNeedingALockedParentFailsWithTheParentNamed) {
  const auto ids = accounts({"P", "Q"});
  ASSERT_EQ(ids.size(), 2u);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string holder = addBatch(jobId, contacts(ids[0], 200, "h"), "text/csv");
  waitForHeldLock();
  const std::string mixed =
      addBatch(jobId, "LastName,AccountId\nonP," + ids[0] + "\nonQ," + ids[1] + "\n", "text/csv");
  const std::string info = waitForBatch(jobId, mixed);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "2");
  EXPECT_EQ(xmlValue(info, "numberRecordsFailed"), "1");
  const std::string rows = result(jobId, mixed);
  EXPECT_NE(rows.find("\"\",\"false\",\"false\",\"UNABLE_TO_LOCK_ROW:unable to obtain exclusive "
                      "access to this record or 1 records: " +
                      ids[0]),
            std::string::npos)
      << rows;
  EXPECT_TRUE(std::regex_search(rows, std::regex(R"("003\w{15}","true","true","")"))) << rows;
  EXPECT_EQ(xmlValue(waitForBatch(jobId, holder), "numberRecordsFailed"), "0");
  EXPECT_GE(lockStat("timedOut"), 1);
}

TEST_F(LongChunkTest, BatchLockedOutOfAWholeChunkIsRetriedThenFails) {
  const std::string parent = accounts({"P"}).at(0);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string holder = addBatch(jobId, contacts(parent, 200, "h"), "text/csv");
  waitForHeldLock();
  const std::string locked = addBatch(jobId, contacts(parent, 10, "l"), "text/csv");
  const std::string info = waitForBatch(jobId, locked);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "TooManyLockFailure : Too many lock failure 10 Trying again later.");
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "0");
  // Nothing was written, so there is nothing to download.
  auto r = get("/job/" + jobId + "/batch/" + locked + "/result");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  // The first attempt and the two retries the options allow.
  EXPECT_EQ(xmlValue(get("/job/" + jobId)->body, "numberRetries"), "2");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, holder), "numberRecordsFailed"), "0");
  EXPECT_EQ(emulator_.org().count("Contact"), 200u);
}

TEST_F(LongChunkTest, DisableBatchRetryFailsAtTheFirstLockOut) {
  const std::string parent = accounts({"P"}).at(0);
  const std::string jobId =
      createJob("insert", "Contact", "CSV", "", {{"Sforce-Disable-Batch-Retry", "TRUE"}});
  addBatch(jobId, contacts(parent, 200, "h"), "text/csv");
  waitForHeldLock();
  const std::string locked = addBatch(jobId, contacts(parent, 3, "l"), "text/csv");
  const std::string info = waitForBatch(jobId, locked);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "TooManyLockFailure : Too many lock failure 3 Trying again later.");
  EXPECT_EQ(xmlValue(get("/job/" + jobId)->body, "numberRetries"), "0");
}

TEST_F(LongChunkTest, SerialJobsTakeNoLocks) {
  const std::string parent = accounts({"P"}).at(0);
  const std::string parallel = createJob("insert", "Contact", "CSV");
  addBatch(parallel, contacts(parent, 200, "h"), "text/csv");
  waitForHeldLock();
  const std::string serial =
      createJob("insert", "Contact", "CSV", "<concurrencyMode>Serial</concurrencyMode>");
  const std::string batchId = addBatch(serial, contacts(parent, 3, "s"), "text/csv");
  const std::string info = waitForBatch(serial, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsFailed"), "0") << info;
}

// The lock-out lasts 200 × 0.6 ms = 120 ms; ten retries of 30 ms outlast it.
class RetriedBatchTest : public LockTest {
 protected:
  RetriedBatchTest() : LockTest(lockOptions(600us, 30ms, 10)) {}
};

TEST_F(RetriedBatchTest, RequeuedBatchCompletesOnceTheParentIsFree) {
  const std::string parent = accounts({"P"}).at(0);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  addBatch(jobId, contacts(parent, 200, "h"), "text/csv");
  waitForHeldLock();
  const std::string later = addBatch(jobId, contacts(parent, 5, "l"), "text/csv");
  const std::string info = waitForBatch(jobId, later);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsFailed"), "0") << info;
  EXPECT_GE(std::stoi(xmlValue(get("/job/" + jobId)->body, "numberRetries")), 1);
  EXPECT_EQ(emulator_.org().count("Contact"), 205u);
}

class NoParentLocksTest : public LockTest {
 protected:
  NoParentLocksTest() : LockTest(lockOptions(2000us, 10ms, 0, false)) {}
};

TEST_F(NoParentLocksTest, ParallelBatchesOnOneParentDoNotContend) {
  const std::string parent = accounts({"P"}).at(0);
  const std::string jobId = createJob("insert", "Contact", "CSV");
  const std::string a = addBatch(jobId, contacts(parent, 200, "a"), "text/csv");
  const std::string b = addBatch(jobId, contacts(parent, 3, "b"), "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, b), "numberRecordsFailed"), "0");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, a), "numberRecordsFailed"), "0");
  EXPECT_EQ(lockStat("taken"), 0);
}

}  // namespace
}  // namespace sfdc::emulator::testing
