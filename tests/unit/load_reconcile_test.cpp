// Reconciliation after an addBatch whose answer was lost: a batch that exists is never
// sent again, one that does not is sent exactly once more.

#include <gtest/gtest.h>

#include <fstream>
#include <sfdc/bulk/load.hpp>
#include <sstream>

#include "load/loader.hpp"
#include "load/reconcile.hpp"
#include "load/spool.hpp"
#include "support/fake_load_connection.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using testing::AddFault;
using testing::FakeLoadConnection;

BatchInfo batch(const std::string& id, BatchState state, std::int64_t processed,
                const std::string& created = "2024-01-01T00:00:00.000Z") {
  BatchInfo info;
  info.id = id;
  info.state = state;
  info.numberRecordsProcessed = processed;
  info.createdDate = created;
  return info;
}

std::string writeFile(const SpoolDir& spool, const std::string& name, const std::string& text) {
  const std::string path = spool.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

auto noFetch = [](const std::string& id) -> std::string {
  ADD_FAILURE() << "unexpected body fetch of " << id;
  return {};
};

TEST(LoadReconcile, SingleUnknownBatchMatchesWithoutFetchingBodies) {
  const std::vector<BatchInfo> list = {batch("751A", BatchState::Completed, 10),
                                       batch("751B", BatchState::Queued, 0)};
  const ReconcileOutcome outcome =
      matchUploads(list, {"751A"}, {AmbiguousUpload{1, 10, 100, ""}}, noFetch);
  ASSERT_EQ(outcome.found.size(), 1u);
  EXPECT_EQ(outcome.found.at(1).id, "751B");
  EXPECT_TRUE(outcome.notFound.empty());
  EXPECT_TRUE(outcome.strays.empty());
  EXPECT_EQ(outcome.bodiesFetched, 0);
}

TEST(LoadReconcile, NoUnknownBatchMeansNotCreated) {
  const std::vector<BatchInfo> list = {batch("751A", BatchState::Completed, 10)};
  const ReconcileOutcome outcome =
      matchUploads(list, {"751A"}, {AmbiguousUpload{1, 10, 100, ""}}, noFetch);
  EXPECT_TRUE(outcome.found.empty());
  EXPECT_EQ(outcome.notFound, std::vector<std::uint64_t>{1});
}

TEST(LoadReconcile, CompletedBatchWithOtherRecordCountIsNotOurs) {
  const std::vector<BatchInfo> list = {batch("751X", BatchState::Completed, 7)};
  const ReconcileOutcome outcome =
      matchUploads(list, {}, {AmbiguousUpload{0, 10, 100, ""}}, noFetch);
  EXPECT_EQ(outcome.notFound, std::vector<std::uint64_t>{0});
  ASSERT_EQ(outcome.strays.size(), 1u);
  EXPECT_EQ(outcome.strays[0].id, "751X");
}

TEST(LoadReconcile, RecordCountsPairSeveralUploadsWithoutFetching) {
  const std::vector<BatchInfo> list = {batch("751P", BatchState::Completed, 5),
                                       batch("751Q", BatchState::Completed, 3)};
  const ReconcileOutcome outcome = matchUploads(
      list, {}, {AmbiguousUpload{0, 3, 30, ""}, AmbiguousUpload{1, 5, 50, ""}}, noFetch);
  ASSERT_EQ(outcome.found.size(), 2u);
  EXPECT_EQ(outcome.found.at(0).id, "751Q");
  EXPECT_EQ(outcome.found.at(1).id, "751P");
}

TEST(LoadReconcile, AmbiguousPairsAreSettledByComparingBodies) {
  SpoolDir spool;
  const std::string bodyA = "Name\nalpha\n";
  const std::string bodyB = "Name\nbravo\n";
  const std::string pathA = writeFile(spool, "a", bodyA);
  const std::string pathB = writeFile(spool, "b", bodyB);
  // Both queued: counts cannot tell them apart. Listed B first.
  const std::vector<BatchInfo> list = {batch("751B", BatchState::Queued, 0),
                                       batch("751A", BatchState::Queued, 0)};
  int fetches = 0;
  auto fetch = [&](const std::string& id) {
    ++fetches;
    return id == "751A" ? bodyA : bodyB;
  };
  const ReconcileOutcome outcome = matchUploads(
      list, {},
      {AmbiguousUpload{0, 1, bodyA.size(), pathA}, AmbiguousUpload{1, 1, bodyB.size(), pathB}},
      fetch);
  ASSERT_EQ(outcome.found.size(), 2u);
  EXPECT_EQ(outcome.found.at(0).id, "751A");
  EXPECT_EQ(outcome.found.at(1).id, "751B");
  EXPECT_EQ(fetches, 2);  // each candidate body fetched once
}

TEST(LoadReconcile, DuplicateOfOneUploadIsReportedAsStray) {
  SpoolDir spool;
  const std::string body = "Name\nalpha\n";
  const std::string path = writeFile(spool, "a", body);
  const std::vector<BatchInfo> list = {
      batch("751A", BatchState::Queued, 0, "2024-01-01T00:00:01.000Z"),
      batch("751D", BatchState::Queued, 0, "2024-01-01T00:00:02.000Z")};
  const ReconcileOutcome outcome =
      matchUploads(list, {}, {AmbiguousUpload{0, 1, body.size(), path}},
                   [&](const std::string&) { return body; });
  ASSERT_EQ(outcome.found.size(), 1u);
  EXPECT_EQ(outcome.found.at(0).id, "751A");  // the earlier one
  ASSERT_EQ(outcome.strays.size(), 1u);
  EXPECT_EQ(outcome.strays[0].id, "751D");
}

TEST(LoadReconcile, FileEqualsComparesSizeAndBytes) {
  SpoolDir spool;
  const std::string path = writeFile(spool, "f", "abc");
  EXPECT_TRUE(fileEquals(path, "abc"));
  EXPECT_FALSE(fileEquals(path, "abd"));
  EXPECT_FALSE(fileEquals(path, "abcd"));
  EXPECT_FALSE(fileEquals(path, "ab"));
}

// --- the loader with a lossy server ---------------------------------------------------

LoadTuning fastTuning() {
  LoadTuning tuning;
  tuning.reconcileSettle = std::chrono::milliseconds(1);
  tuning.resendDelay = std::chrono::milliseconds(1);
  tuning.createJobRetryDelay = std::chrono::milliseconds(1);
  tuning.wakeInterval = std::chrono::milliseconds(5);
  return tuning;
}

LoadOptions fastOptions() {
  LoadOptions options;
  options.batchSize = 10;
  options.concurrency = 1;
  options.pollMinInterval = std::chrono::milliseconds(1);
  options.pollMaxInterval = std::chrono::milliseconds(5);
  options.timeout = std::chrono::seconds(20);
  return options;
}

std::string rowsCsv(int rows) {
  std::string text = "LastName\n";
  for (int i = 1; i <= rows; ++i) text += "L" + std::to_string(i) + "\n";
  return text;
}

void expectEveryRowOnce(const LoadResult& result, int rows) {
  ASSERT_EQ(result.rows.size(), static_cast<std::size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    EXPECT_EQ(result.rows[i].row, static_cast<std::uint64_t>(i + 1));
    EXPECT_TRUE(result.rows[i].success);
  }
  EXPECT_EQ(result.succeeded, static_cast<std::uint64_t>(rows));
}

TEST(LoadReconcile, LostAnswerAfterCreateIsFoundAndNotResent) {
  FakeLoadConnection api;
  api.addFaults = {AddFault::None, AddFault::LoseAnswerAfterCreate};
  std::istringstream input(rowsCsv(30));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), fastOptions(), fastTuning());
  EXPECT_EQ(api.addBatchCalls, 3);
  EXPECT_EQ(api.batches.size(), 3u);
  EXPECT_EQ(api.recordsInBatches(), 30u);
  EXPECT_EQ(api.getBatchRequestCalls, 0);
  expectEveryRowOnce(result, 30);
  EXPECT_EQ(result.batches.size(), 3u);
  EXPECT_TRUE(api.closed);
}

TEST(LoadReconcile, LostRequestIsResentExactlyOnce) {
  FakeLoadConnection api;
  api.addFaults = {AddFault::DropBeforeCreate};
  std::istringstream input(rowsCsv(25));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), fastOptions(), fastTuning());
  EXPECT_EQ(api.addBatchCalls, 4);  // 3 batches + 1 resend
  EXPECT_EQ(api.batches.size(), 3u);
  EXPECT_EQ(api.recordsInBatches(), 25u);
  expectEveryRowOnce(result, 25);
}

TEST(LoadReconcile, ConcurrentUploadsWithSeveralLostAnswers) {
  FakeLoadConnection api;
  api.addFaults = {AddFault::LoseAnswerAfterCreate, AddFault::DropBeforeCreate,
                   AddFault::LoseAnswerAfterCreate, AddFault::Unavailable503};
  LoadOptions options = fastOptions();
  options.concurrency = 4;
  std::istringstream input(rowsCsv(95));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());
  EXPECT_EQ(api.batches.size(), 10u);
  EXPECT_EQ(api.recordsInBatches(), 95u);
  expectEveryRowOnce(result, 95);
}

TEST(LoadReconcile, RefusedUploadStopsTheLoadAfterAccountingForSentRows) {
  FakeLoadConnection api;
  api.autoComplete = true;
  api.addFaults = {AddFault::None, AddFault::Refuse400};
  std::istringstream input(rowsCsv(30));
  LoadOptions options = fastOptions();
  std::vector<RowResult> seen;
  options.onResult = [&](const RowResult& row) { seen.push_back(row); };
  try {
    runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options,
            fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    EXPECT_THROW(e.rethrowCause(), ApiError);
  }
  // Every row is reported: the sent batch's results, then the rest not sent.
  ASSERT_EQ(seen.size(), 30u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_TRUE(seen[i].success);
  for (std::size_t i = 10; i < 30; ++i) EXPECT_TRUE(seen[i].notProcessed);
  EXPECT_EQ(api.batches.size(), 1u);
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
