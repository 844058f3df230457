// Lock retries: which rows may be sent again (never one that succeeded), how retry
// batches are rebuilt from spooled bodies round by round, and how the result emitter
// holds retried rows back so that each row is reported once with its final outcome.

#include <gtest/gtest.h>

#include <fstream>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/load.hpp>
#include <sstream>

#include "load/lock_retry.hpp"
#include "load/result_emitter.hpp"
#include "support/load_test_support.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using testing::readFile;

RowResult succeeded(std::uint64_t row) {
  RowResult result;
  result.row = row;
  result.success = true;
  result.id = "003" + std::to_string(row);
  return result;
}

RowResult failedWith(std::uint64_t row, std::vector<std::string> codes) {
  RowResult result;
  result.row = row;
  for (auto& code : codes) result.errors.push_back(RecordError{code, "message", {}});
  return result;
}

RowResult unprocessed(std::uint64_t row) {
  RowResult result = failedWith(row, {"Failed"});
  result.notProcessed = true;
  return result;
}

BatchInfo batch(BatchState state, std::int64_t processed, std::string message = {}) {
  BatchInfo info;
  info.id = "751x";
  info.state = state;
  info.numberRecordsProcessed = processed;
  info.stateMessage = std::move(message);
  return info;
}

TEST(LockRetrySelection, OnlyRowsThatFailedForALockAreSentAgain) {
  const std::vector<RowResult> rows = {
      succeeded(1), failedWith(2, {"UNABLE_TO_LOCK_ROW"}),
      failedWith(3, {"REQUIRED_FIELD_MISSING"}),
      failedWith(4, {"FIELD_CUSTOM_VALIDATION_EXCEPTION", "UNABLE_TO_LOCK_ROW"}), succeeded(5)};
  EXPECT_EQ(lockRetryOffsets(batch(BatchState::Completed, 5), rows),
            (std::vector<std::size_t>{1, 3}));
  EXPECT_FALSE(isLockFailure(succeeded(1)));
  // A row without a result is not a lock failure of its own.
  RowResult locked = unprocessed(1);
  locked.errors[0].statusCode = "UNABLE_TO_LOCK_ROW";
  EXPECT_FALSE(isLockFailure(locked));
}

TEST(LockRetrySelection, ABatchThatFailedForLocksBeforeWritingIsSentAgainWhole) {
  const std::vector<RowResult> rows = {unprocessed(7), unprocessed(8), unprocessed(9)};
  const std::string message = "TooManyLockFailure : Too many lock failure 200 Trying again later.";
  EXPECT_TRUE(isLockFailedBatch(batch(BatchState::Failed, 0, message)));
  EXPECT_EQ(lockRetryOffsets(batch(BatchState::Failed, 0, message), rows),
            (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(isLockFailedBatch(batch(BatchState::Failed, 0, "Too many lock failures")));
  // Other failures, or a batch that wrote part of its records, keep their rows.
  EXPECT_TRUE(lockRetryOffsets(batch(BatchState::Failed, 0, "InvalidBatch : bad"), rows).empty());
  const std::vector<RowResult> partial = {succeeded(7), failedWith(8, {"UNABLE_TO_LOCK_ROW"}),
                                          unprocessed(9)};
  EXPECT_EQ(lockRetryOffsets(batch(BatchState::Failed, 2, message), partial),
            (std::vector<std::size_t>{1}));
}

TEST(LockRetryQueue, RebuildsCsvBodiesFromTheFailedRowsRoundByRound) {
  SpoolDir spool;
  const std::string body = spool.create("b0.body");
  {
    std::ofstream out(body, std::ios::binary);
    out << "Name,Note\r\nr1,a\r\n\"r2\",\"multi\nline\"\r\nr3,c\r\nr4,d\r\n";
  }
  BatchLimits limits;
  limits.maxRecords = 2;
  LockRetryQueue queue(ContentType::CSV, limits, 2, spool);
  EXPECT_TRUE(queue.accepting());
  queue.add(body, {1, 2, 3}, {{0, 1, 12}, {0, 2, 13}, {0, 3, 14}});
  EXPECT_EQ(queue.waiting(), 3u);

  auto first = queue.next(5);
  ASSERT_TRUE(first);
  EXPECT_EQ(queue.round(), 1);
  EXPECT_EQ(first->split.index, 5u);
  EXPECT_EQ(readFile(first->split.bodyPath), "Name,Note\r\n\"r2\",\"multi\nline\"\r\nr3,c\r\n");
  EXPECT_EQ(first->split.rows, (std::vector<std::uint64_t>{12, 13}));
  EXPECT_EQ(first->split.firstRow, 12u);
  EXPECT_EQ(first->origins[1].offset, 2u);
  auto second = queue.next(6);
  ASSERT_TRUE(second);
  EXPECT_EQ(readFile(second->split.bodyPath), "Name,Note\r\nr4,d\r\n");
  EXPECT_EQ(second->split.bodyBytes, readFile(second->split.bodyPath).size());

  // A row of round 1 that fails again goes to round 2, the last one.
  EXPECT_TRUE(queue.accepting());
  queue.add(second->split.bodyPath, {0}, {second->origins[0]});
  auto third = queue.next(7);
  ASSERT_TRUE(third);
  EXPECT_EQ(queue.round(), 2);
  EXPECT_EQ(third->split.rows, (std::vector<std::uint64_t>{14}));
  EXPECT_EQ(readFile(third->split.bodyPath), "Name,Note\r\nr4,d\r\n");
  EXPECT_FALSE(queue.accepting());
  EXPECT_FALSE(queue.next(8));
}

TEST(LockRetryQueue, RebuildsJsonBodiesWithinTheByteLimit) {
  SpoolDir spool;
  const std::string body = spool.create("b0.body");
  {
    std::ofstream out(body, std::ios::binary);
    out << R"([{"LastName":"a"},{"LastName":"b","AccountId":"001"},{"LastName":"c"}])";
  }
  BatchLimits limits;
  limits.maxBytes = 40;
  LockRetryQueue queue(ContentType::JSON, limits, 1, spool);
  queue.add(body, {0, 1, 2}, {{0, 0, 1}, {0, 1, 2}, {0, 2, 3}});
  auto first = queue.next(3);
  ASSERT_TRUE(first);
  EXPECT_EQ(readFile(first->split.bodyPath), R"([{"LastName":"a"}])");
  auto second = queue.next(4);
  ASSERT_TRUE(second);
  EXPECT_EQ(readFile(second->split.bodyPath), R"([{"AccountId":"001","LastName":"b"}])");
  auto third = queue.next(5);
  ASSERT_TRUE(third);
  EXPECT_EQ(nlohmann::json::parse(readFile(third->split.bodyPath)).size(), 1u);
  EXPECT_FALSE(queue.next(6));
}

class EmitterHold : public ::testing::Test {
 protected:
  EmitterHold() {
    options.onResult = [this](const RowResult& row) { emitted.push_back(row); };
  }
  LoadOptions options;
  LoadResult result;
  SpoolDir spool;
  std::vector<RowResult> emitted;
};

TEST_F(EmitterHold, RetriedRowsAreReportedOnceWithTheirFinalOutcome) {
  ResultEmitter emitter(options, result, spool);
  emitter.deliver(0, "", {succeeded(1), failedWith(2, {"UNABLE_TO_LOCK_ROW"}), succeeded(3)}, {1});
  emitter.deliver(1, "", {succeeded(4)});
  EXPECT_TRUE(emitted.empty());  // batch 0 waits for its retried row, batch 1 for batch 0
  emitter.settle(0, 1, succeeded(2));
  ASSERT_EQ(emitted.size(), 4u);
  for (std::size_t i = 0; i < emitted.size(); ++i) {
    EXPECT_EQ(emitted[i].row, i + 1);
    EXPECT_TRUE(emitted[i].success);
  }
  EXPECT_EQ(result.succeeded, 4u);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_THROW(emitter.settle(0, 1, succeeded(2)), Error);
  emitter.finish();
}

TEST_F(EmitterHold, RowsStillPendingWhenRetriesEndKeepTheirFailure) {
  ResultEmitter emitter(options, result, spool);
  emitter.deliver(0, "",
                  {failedWith(1, {"UNABLE_TO_LOCK_ROW"}), failedWith(2, {"UNABLE_TO_LOCK_ROW"})},
                  {0, 1});
  emitter.settle(0, 0, succeeded(1));
  EXPECT_TRUE(emitted.empty());
  EXPECT_THROW(emitter.finish(), Error);  // a batch still waits
  emitter.settleRemaining();
  ASSERT_EQ(emitted.size(), 2u);
  EXPECT_TRUE(emitted[0].success);
  EXPECT_FALSE(emitted[1].success);
  EXPECT_EQ(emitted[1].errors.at(0).statusCode, "UNABLE_TO_LOCK_ROW");
  EXPECT_EQ(result.succeeded, 1u);
  EXPECT_EQ(result.failed, 1u);
  emitter.finish();
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
