// The loader's lock retries against an in-memory server: a batch that failed for locks
// before writing and single rows failed with UNABLE_TO_LOCK_ROW are sent again after the
// load's own batches, one batch at a time, before the job is closed; succeeded rows
// never go out twice.

#include <gtest/gtest.h>

#include <sstream>

#include "load/loader.hpp"
#include "support/fake_load_connection.hpp"
#include "support/load_test_support.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using namespace std::chrono_literals;
using testing::FakeLoadConnection;
using testing::fastTuning;
using testing::rowsCsv;

class LoaderLockRetry : public ::testing::Test {
 protected:
  LoaderLockRetry() {
    options.pollMinInterval = 1ms;
    options.pollMaxInterval = 4ms;
    options.timeout = 20s;
    options.batchSize = 4;
    options.concurrency = 1;
    api.onComplete = [this](testing::FakeBatch& batch) {
      if (batch.body.find("L1\n") != std::string::npos && !failedWhole) {
        // Rows 1-4: the whole batch fails for locks before writing anything.
        failedWhole = true;
        batch.info.state = BatchState::Failed;
        batch.info.stateMessage =
            "TooManyLockFailure : Too many lock failure 200 Trying again later.";
        batch.info.numberRecordsProcessed = 0;
      }
    };
    api.resultFor = [this](const testing::FakeBatch& batch, std::size_t i) {
      // Row 6 (second of rows 5-8) loses the lock the first time.
      const bool lockedRow = batch.body.find("F5,L5") != std::string::npos && i == 1;
      if (lockedRow && !lockedOnce) {
        lockedOnce = true;
        return RecordResult{"", false, false, {RecordError{"UNABLE_TO_LOCK_ROW", "locked", {}}}};
      }
      return RecordResult{"003" + batch.info.id.substr(3, 9) + std::to_string(i), true, true, {}};
    };
  }

  FakeLoadConnection api;
  LoadOptions options;
  bool failedWhole = false;
  bool lockedOnce = false;
};

TEST_F(LoaderLockRetry, LockedRowsAreSentAgainOnceInTheSameJob) {
  options.retryLockFailures = true;
  std::vector<LoadProgress> progress;
  options.onProgress = [&](const LoadProgress& p) { progress.push_back(p); };
  std::istringstream input(rowsCsv(12));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());
  EXPECT_TRUE(result.allSucceeded());
  ASSERT_EQ(result.rows.size(), 12u);
  for (std::size_t i = 0; i < 12; ++i) {
    EXPECT_EQ(result.rows[i].row, i + 1);
    EXPECT_TRUE(result.rows[i].success) << i + 1;
  }
  // 3 batches, then rows 1-4 and 6 again: one batch of 4 and one of 1.
  ASSERT_EQ(api.batches.size(), 5u);
  EXPECT_EQ(api.batches[3].body, "FirstName,LastName\nF1,L1\nF2,L2\nF3,L3\nF4,L4\n");
  EXPECT_EQ(api.batches[4].body, "FirstName,LastName\nF6,L6\n");
  EXPECT_EQ(api.recordsInBatches(), 12u + 5u);
  EXPECT_TRUE(api.closed);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().lockFailures, 5u);
  EXPECT_EQ(progress.back().recordsRetried, 5u);
  EXPECT_EQ(progress.back().recordsSent, 12u);
  // The ids are those of the batches that wrote the rows.
  EXPECT_EQ(result.rows[0].id.substr(3, 9), api.batches[3].info.id.substr(3, 9));
  EXPECT_EQ(result.rows[5].id.substr(3, 9), api.batches[4].info.id.substr(3, 9));
}

TEST_F(LoaderLockRetry, WithoutTheOptionLockFailuresAreReportedAsTheyCame) {
  std::istringstream input(rowsCsv(12));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());
  EXPECT_EQ(api.batches.size(), 3u);
  EXPECT_EQ(result.notProcessed, 4u);
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(result.rows[5].errors.at(0).statusCode, "UNABLE_TO_LOCK_ROW");
}

TEST(LoadOptionsLockAware, OptionsThatCannotApplyAreRefused) {
  LoadOptions options;
  options.retryLockFailures = true;
  options.contentType = ContentType::XML;
  EXPECT_THROW(validateLoadOptions(Operation::Insert, "Contact", options), InvalidArgument);
  options.contentType = ContentType::CSV;
  options.lockRetryRounds = 0;
  EXPECT_THROW(validateLoadOptions(Operation::Insert, "Contact", options), InvalidArgument);
  options.lockRetryRounds = 3;
  EXPECT_NO_THROW(validateLoadOptions(Operation::Insert, "Contact", options));
  options.api = BulkApi::V2;
  EXPECT_THROW(validateLoadOptions(Operation::Insert, "Contact", options), InvalidArgument);
  options.retryLockFailures = false;
  options.groupBy = "AccountId";
  try {
    validateLoadOptions(Operation::Insert, "Contact", options);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("groupBy applies to Bulk API v1 loads"),
              std::string::npos);
  }
}

TEST(LoadOptionsLockAware, AJournalIsNotCombinedWithGroupingOrLockRetries) {
  LoadOptions options;
  options.journalFile = "load.journal";
  EXPECT_NO_THROW(validateLoadOptions(Operation::Insert, "Contact", options));
  options.groupBy = "AccountId";
  try {
    validateLoadOptions(Operation::Insert, "Contact", options);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("journalFile cannot be combined with groupBy"),
              std::string::npos);
  }
  options.groupBy.clear();
  options.retryLockFailures = true;
  try {
    validateLoadOptions(Operation::Insert, "Contact", options);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("journalFile cannot be combined with retryLockFailures"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
