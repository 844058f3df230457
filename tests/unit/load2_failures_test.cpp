// The Bulk API 2.0 load when things go wrong: ambiguous creates, uploads and closes
// (nothing processed twice), whole-job failures, cancellation, timeouts, refused
// uploads, bad input, options refused up front, and how far the source is read ahead.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>

#include "load2_test_support.hpp"

namespace sfdc::bulk::detail::load2 {
namespace {

using testing::FakeBulk2Ingest;

std::size_t logsContaining(const FakeBulk2Ingest& fake, const std::string& text) {
  const auto logs = fake.logs();
  return static_cast<std::size_t>(std::count_if(logs.begin(), logs.end(), [&](const auto& line) {
    return line.find(text) != std::string::npos;
  }));
}

void expectEveryRowLoadedOnce(const FakeBulk2Ingest& fake, int rows) {
  const auto processed = fake.processedRows();
  ASSERT_EQ(processed.size(), static_cast<std::size_t>(rows));
  for (const auto& [row, times] : processed) EXPECT_EQ(times, 1) << row;
}

TEST(Load2Failures, AmbiguousUploadAbortsTheJobAndRedoesItOnANewOne) {
  FakeBulk2Ingest fake;
  fake.ambiguousPuts = 1;
  std::istringstream in(numberedCsv(30));
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  options.concurrency = 1;
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.succeeded, 30u);
  const auto jobs = fake.jobs();
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[0].info.state, Bulk2JobState::Aborted);
  EXPECT_EQ(jobs[0].puts, 1);
  EXPECT_FALSE(jobs[0].processed);
  EXPECT_EQ(result.jobIds.size(), 3u);
  EXPECT_EQ(std::count(result.jobIds.begin(), result.jobIds.end(), jobs[0].info.id), 0);
  expectEveryRowLoadedOnce(fake, 30);
  EXPECT_EQ(logsContaining(fake, "aborted"), 1u);
}

TEST(Load2Failures, AmbiguousCreateIsLoggedAndCreatedAgain) {
  FakeBulk2Ingest fake;
  fake.ambiguousCreates = 1;
  std::istringstream in(numberedCsv(5));
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  EXPECT_TRUE(result.allSucceeded());
  const auto jobs = fake.jobs();
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].info.state, Bulk2JobState::Open);  // empty: it processes nothing
  EXPECT_EQ(jobs[0].puts, 0);
  EXPECT_EQ(logsContaining(fake, "stays empty and Open"), 1u);
  expectEveryRowLoadedOnce(fake, 5);
}

TEST(Load2Failures, CloseWhoseAnswerWasLostIsResolvedByTheJobState) {
  FakeBulk2Ingest fake;
  fake.ambiguousCloses = 1;
  std::istringstream in(numberedCsv(5));
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(fake.jobs().size(), 1u);
  expectEveryRowLoadedOnce(fake, 5);
}

TEST(Load2Failures, RefusedCloseOfAnOpenJobReportsItsRowsNotSent) {
  FakeBulk2Ingest fake;
  fake.refusedCloses = 1;
  std::istringstream in(numberedCsv(5));
  try {
    runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in), v2Options(),
             fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    EXPECT_THROW(e.rethrowCause(), ApiError);
    ASSERT_EQ(e.result().rows.size(), 5u);
    for (const auto& row : e.result().rows) EXPECT_EQ(row.errors.at(0).statusCode, "NOT_SENT");
  }
  ASSERT_EQ(fake.jobs().size(), 1u);
  EXPECT_EQ(fake.jobs()[0].info.state, Bulk2JobState::Aborted);
  EXPECT_TRUE(fake.processedRows().empty());
}

TEST(Load2Failures, CloseThatMayHaveHappenedReportsItsRowsUnknown) {
  FakeBulk2Ingest fake;
  fake.ambiguousCloses = 1;   // the close happens, its answer is lost
  fake.refusedInfoReads = 1;  // and the state cannot be read to settle it
  std::istringstream in(numberedCsv(5));
  try {
    runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in), v2Options(),
             fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    ASSERT_EQ(e.result().rows.size(), 5u);
    for (const auto& row : e.result().rows) {
      EXPECT_EQ(row.errors.at(0).statusCode, "RESULT_UNKNOWN");
    }
  }
}

TEST(Load2Failures, WholeJobFailureReportsEveryRowWithTheMessageLoggedOncePerJob) {
  FakeBulk2Ingest fake;
  const std::string message = "InvalidBatch : Field name not found : Foo__c";
  fake.jobFailure = [&](const auto&) { return message; };
  std::istringstream in(numberedCsv(20));
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  ASSERT_EQ(result.rows.size(), 20u);
  EXPECT_EQ(result.notProcessed, 20u);
  for (const auto& row : result.rows) {
    ASSERT_TRUE(row.notProcessed);
    ASSERT_EQ(row.errors.size(), 1u);
    EXPECT_EQ(row.errors[0].statusCode, "InvalidBatch");
    // The text after the code, as for a batch: "code: message" never repeats the code.
    EXPECT_EQ(row.errors[0].message, "Field name not found : Foo__c");
  }
  EXPECT_EQ(logsContaining(fake, message), 2u);  // two jobs, once each
  EXPECT_EQ(fake.resultDownloads(), 0);
}

TEST(Load2Failures, CancelAbortsJobsInFlightAndReportsTheRestNotSent) {
  FakeBulk2Ingest fake;
  fake.pollsUntilDone = -1;  // jobs run until aborted
  auto token = std::make_shared<CancellationToken>();
  fake.onPoll = [&](std::size_t) { token->cancel(); };
  std::istringstream in(numberedCsv(100));
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  options.concurrency = 2;
  options.cancel = token;
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  ASSERT_EQ(result.rows.size(), 100u);
  EXPECT_EQ(result.notProcessed, 100u);
  std::size_t notSent = 0;
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const RowResult& row = result.rows[i];
    ASSERT_EQ(row.row, i + 1);
    ASSERT_TRUE(row.notProcessed);
    ASSERT_EQ(row.errors.size(), 1u);
    if (row.errors[0].statusCode == "NOT_SENT") ++notSent;
  }
  EXPECT_GE(notSent, 80u);
  for (const auto& job : fake.jobs()) EXPECT_EQ(job.info.state, Bulk2JobState::Aborted);
}

TEST(Load2Failures, TimeoutReportsSentRowsUnknownAndThrowsLoadIncomplete) {
  FakeBulk2Ingest fake;
  fake.pollsUntilDone = -1;
  std::istringstream in(numberedCsv(30));
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  options.concurrency = 1;
  options.timeout = 150ms;
  try {
    runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in), options,
             fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    EXPECT_THROW(e.rethrowCause(), TimeoutError);
    const LoadResult& result = e.result();
    ASSERT_EQ(result.rows.size(), 30u);
    for (std::size_t i = 0; i < 10; ++i)
      EXPECT_EQ(result.rows[i].errors[0].statusCode, "RESULT_UNKNOWN");
    for (std::size_t i = 10; i < 30; ++i)
      EXPECT_EQ(result.rows[i].errors[0].statusCode, "NOT_SENT");
    EXPECT_EQ(result.jobIds.size(), 1u);
  }
}

TEST(Load2Failures, RefusedUploadStopsTheLoadWithEveryRowReported) {
  FakeBulk2Ingest fake;
  fake.refusedPuts = 1;
  std::istringstream in(numberedCsv(30));
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  options.concurrency = 1;
  try {
    runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in), options,
             fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    EXPECT_THROW(e.rethrowCause(), ApiError);
    ASSERT_EQ(e.result().rows.size(), 30u);
    for (const auto& row : e.result().rows) EXPECT_EQ(row.errors.at(0).statusCode, "NOT_SENT");
  }
  EXPECT_TRUE(fake.processedRows().empty());
}

TEST(Load2Failures, BadRowPartWaySendsTheRowsBeforeItAndReportsTheRest) {
  FakeBulk2Ingest fake;
  std::string csv = "Name,Amount\n";
  for (int i = 1; i <= 30; ++i) {
    csv += i == 15 ? std::string("Bad\"quote,15\n")
                   : "N" + std::to_string(i) + "," + std::to_string(i) + "\n";
  }
  std::istringstream in(csv);
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  options.concurrency = 1;
  try {
    runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in), options,
             fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    EXPECT_THROW(e.rethrowCause(), InvalidArgument);
    const auto& rows = e.result().rows;
    ASSERT_EQ(rows.size(), 30u);
    for (std::size_t i = 0; i < 14; ++i) EXPECT_TRUE(rows[i].success) << i;
    EXPECT_EQ(rows[14].errors.at(0).statusCode, "INVALID_ROW");
    EXPECT_NE(rows[14].errors[0].message.find("row 15"), std::string::npos);
    for (std::size_t i = 15; i < 30; ++i) EXPECT_EQ(rows[i].errors.at(0).statusCode, "NOT_SENT");
  }
  expectEveryRowLoadedOnce(fake, 14);
}

TEST(Load2Failures, BadFirstRowIsRefusedBeforeAnyRequest) {
  FakeBulk2Ingest fake;
  std::istringstream in("Name,Amount\nBad\"quote,1\nN2,2\n");
  EXPECT_THROW(runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in),
                        v2Options(), fastTuning()),
               InvalidArgument);
  EXPECT_TRUE(fake.jobs().empty());
}

TEST(Load2Failures, SourceIsReadNoFurtherThanTheJobsInFlightNeed) {
  // A source that counts the rows taken from it.
  struct CountingReader : RecordSource::Reader {
    std::atomic<int> taken{0};
    int rows = 1000;
    const std::vector<std::string>& csvHeader() override { return header; }
    bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override {
      if (taken >= rows) return false;
      const int n = ++taken;
      fields = {"N" + std::to_string(n), std::to_string(n)};
      raw = fields[0] + "," + fields[1] + "\n";
      return true;
    }
    bool nextRecord(nlohmann::json&) override { return false; }
    bool isCsv() const override { return true; }
    std::vector<std::string> header{"Name", "Amount"};
  };
  auto reader = std::make_shared<CountingReader>();
  FakeBulk2Ingest fake;
  fake.pollsUntilDone = 3;
  // At every poll: rows read beyond what `concurrency` jobs past the finished ones hold.
  std::atomic<int> polls{0};
  std::atomic<int> worstExcess{-1'000'000};
  fake.onPoll = [&](std::size_t) {
    ++polls;
    const int allowed = static_cast<int>(fake.terminalJobs() + 2) * 100 + 1;
    const int excess = reader->taken.load() - allowed;
    for (int seen = worstExcess.load();
         excess > seen && !worstExcess.compare_exchange_weak(seen, excess);) {
    }
  };
  LoadOptions options = v2Options();
  options.maxJobRecords = 100;
  options.concurrency = 2;
  options.keepResults = false;
  const LoadResult result =
      runLoad2(fake, Operation::Insert, "Account", RecordSource(reader), options, fastTuning());
  EXPECT_EQ(result.succeeded, 1000u);
  EXPECT_GT(polls.load(), 10);
  // Two jobs in flight past the finished ones, plus the one row read to learn that the
  // last of them is full.
  EXPECT_LE(worstExcess.load(), 0);
}

TEST(Load2Failures, ProgressCountsJobsAndOnlyGrows) {
  FakeBulk2Ingest fake;
  std::istringstream in(numberedCsv(50));
  LoadOptions options = v2Options();
  options.maxJobRecords = 10;
  std::vector<LoadProgress> seen;
  options.onProgress = [&](const LoadProgress& p) { seen.push_back(p); };
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  ASSERT_FALSE(seen.empty());
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_GE(seen[i].recordsSent, seen[i - 1].recordsSent);
    EXPECT_GE(seen[i].recordsProcessed, seen[i - 1].recordsProcessed);
  }
  EXPECT_EQ(seen.back().recordsSent, 50u);
  EXPECT_EQ(seen.back().recordsProcessed, 50u);
  EXPECT_EQ(seen.back().batchesCompleted, 5);
  EXPECT_EQ(seen.back().jobId, result.jobId);
}

TEST(Load2Options, RefusedUpFrontWithTheReason) {
  auto expectRefused = [](LoadOptions options, Operation operation, const std::string& text) {
    try {
      validateLoad2Options(operation, "Account", options);
      ADD_FAILURE() << "accepted; expected: " << text;
    } catch (const InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  LoadOptions serial = v2Options();
  serial.concurrencyMode = ConcurrencyMode::Serial;
  expectRefused(serial, Operation::Insert, "Bulk API 2.0 has no serial mode");
  LoadOptions json = v2Options();
  json.contentType = ContentType::JSON;
  expectRefused(json, Operation::Insert, "CSV jobs only");
  LoadOptions noBytes = v2Options();
  noBytes.maxJobBytes = 0;
  expectRefused(noBytes, Operation::Insert, "maxJobBytes");
  LoadOptions tooManyBytes = v2Options();
  tooManyBytes.maxJobBytes = kMaxBulk2UploadBytes + 1;
  expectRefused(tooManyBytes, Operation::Insert, "maxJobBytes");
  LoadOptions noRecords = v2Options();
  noRecords.maxJobRecords = 0;
  expectRefused(noRecords, Operation::Insert, "maxJobRecords");
  expectRefused(v2Options(), Operation::Upsert, "externalIdFieldName");
  EXPECT_NO_THROW(validateLoad2Options(Operation::Insert, "Account", v2Options()));
}

TEST(Load2Options, ClientRefusesV2OverAConnectionWithoutABulk2Side) {
  struct V1Only : Connection {};
  Client client(std::make_shared<V1Only>());
  std::istringstream in(numberedCsv(1));
  try {
    client.load(Operation::Insert, "Account", RecordSource::csvStream(in), v2Options());
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("no Bulk API 2.0 side"), std::string::npos);
  }
}

}  // namespace
}  // namespace sfdc::bulk::detail::load2
