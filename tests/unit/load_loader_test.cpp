// The loader against an in-memory server: results in row order whatever order batches
// finish in, one batch-list request per poll with backoff, monotone progress, timeouts
// that leave the job open, cancellation, failed batches and the result files.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>
#include <thread>

#include "load/batch_outcome.hpp"
#include "load/loader.hpp"
#include "load/spool.hpp"
#include "poll_backoff.hpp"
#include "support/fake_load_connection.hpp"
#include "support/fake_transport.hpp"
#include "support/load_test_support.hpp"
#include "support/responses.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using namespace std::chrono_literals;
using testing::FakeLoadConnection;
using testing::fastTuning;
using testing::readFile;
using testing::rowsCsv;

/// The real Client over a scripted transport, with a static access token.
Client scriptedClient(std::shared_ptr<testing::FakeTransport> transport) {
  Config config;
  config.baseUrl = "https://example.my.salesforce.com";
  config.clientConfig = AccessTokenConfig{"TOKEN"};
  return Client(config, std::move(transport));
}

LoadOptions fastOptions() {
  LoadOptions options;
  options.pollMinInterval = 1ms;
  options.pollMaxInterval = 4ms;
  options.timeout = 20s;
  return options;
}

TEST(LoadPollBackoff, DoublesWhileIdleHalvesOnChangeWithinBounds) {
  const auto start = PollBackoff::Clock::now();
  const auto later = start + std::chrono::hours(1);  // far past the lateness cap
  PollBackoff backoff(200ms, 1000ms, start);
  std::vector<long> seen;
  for (int i = 0; i < 5; ++i) {
    seen.push_back(static_cast<long>(backoff.current(later).count()));
    backoff.onPoll(false);
  }
  EXPECT_EQ(seen, (std::vector<long>{200, 400, 800, 1000, 1000}));
  backoff.onPoll(true);
  EXPECT_EQ(backoff.current(later), 500ms);
  backoff.onPoll(true);
  backoff.onPoll(true);
  EXPECT_EQ(backoff.current(later), 200ms);
  backoff.onPoll(false);
  backoff.reset(start);
  EXPECT_EQ(backoff.current(later), 200ms);
}

// A job that finishes is seen at most a sixteenth of the time waited later (or four times
// the minimum): after 80 s of idle polls the wait is 5 s, not the 10 s doubling reached.
TEST(LoadPollBackoff, WaitStaysUnderASixteenthOfTheTimeWaited) {
  const auto start = PollBackoff::Clock::now();
  PollBackoff backoff(200ms, 10'000ms, start);
  EXPECT_EQ(backoff.current(start), 200ms) << "doubling starts at the minimum";
  for (int i = 0; i < 10; ++i) backoff.onPoll(false);
  EXPECT_EQ(backoff.current(start), 800ms) << "four times the minimum at first";
  EXPECT_EQ(backoff.current(start + 8s), 800ms);
  EXPECT_EQ(backoff.current(start + 80s), 5'000ms);
  EXPECT_EQ(backoff.current(start + 800s), 10'000ms) << "never over the maximum";
  backoff.reset(start + 800s);
  for (int i = 0; i < 10; ++i) backoff.onPoll(false);
  EXPECT_EQ(backoff.current(start + 880s), 5'000ms) << "reset counts time from then";
}

// A failing poll (an outage) waits at least a second, growing, whatever the cap says.
TEST(LoadPollBackoff, FailedPollsWaitAtLeastASecondUntilAPollSucceeds) {
  const auto start = PollBackoff::Clock::now();
  PollBackoff backoff(200ms, 10'000ms, start);
  backoff.onFailure();
  EXPECT_EQ(backoff.current(start), 1'000ms);
  backoff.onFailure();
  EXPECT_EQ(backoff.current(start), 2'000ms);
  backoff.onPoll(false);
  EXPECT_EQ(backoff.current(start + 16s), 1'000ms);
}

TEST(LoadLoader, LoadsEveryRowOnceInRowOrderWithMonotoneProgress) {
  FakeLoadConnection api;
  api.completeNewestFirst = true;  // later batches finish first
  LoadOptions options = fastOptions();
  options.concurrency = 3;
  std::vector<std::uint64_t> order;
  options.onResult = [&](const RowResult& row) { order.push_back(row.row); };
  std::vector<LoadProgress> progress;
  options.onProgress = [&](const LoadProgress& p) { progress.push_back(p); };
  std::istringstream input(rowsCsv(25'001));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());

  EXPECT_EQ(api.batches.size(), 3u);
  EXPECT_EQ(api.recordsInBatches(), 25'001u);
  ASSERT_EQ(order.size(), 25'001u);
  for (std::size_t i = 0; i < order.size(); ++i) ASSERT_EQ(order[i], i + 1);
  EXPECT_EQ(result.succeeded, 25'001u);
  EXPECT_EQ(result.recordsRead, 25'001u);
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.rows.size(), 25'001u);
  EXPECT_EQ(result.rows[10'000].row, 10'001u);
  EXPECT_EQ(result.batches.size(), 3u);
  EXPECT_TRUE(api.closed);
  EXPECT_FALSE(api.aborted);
  EXPECT_EQ(api.getBatchResultCalls, 3);
  EXPECT_EQ(api.jobOptions.concurrencyMode, ConcurrencyMode::Parallel);

  ASSERT_FALSE(progress.empty());
  for (std::size_t i = 1; i < progress.size(); ++i) {
    EXPECT_GE(progress[i].recordsRead, progress[i - 1].recordsRead);
    EXPECT_GE(progress[i].recordsSent, progress[i - 1].recordsSent);
    EXPECT_GE(progress[i].recordsProcessed, progress[i - 1].recordsProcessed);
    EXPECT_GE(progress[i].recordsFailed, progress[i - 1].recordsFailed);
  }
  EXPECT_EQ(progress.back().recordsSent, 25'001u);
  EXPECT_EQ(progress.back().recordsProcessed, 25'001u);
  EXPECT_EQ(progress.back().batchesCompleted, 3);
  EXPECT_EQ(progress.back().jobId, result.jobId);
}

TEST(LoadLoader, EmptySourceCreatesNoJob) {
  FakeLoadConnection api;
  std::istringstream input("FirstName,LastName\n");
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), fastOptions(), fastTuning());
  EXPECT_EQ(api.createJobCalls, 0);
  EXPECT_TRUE(result.jobId.empty());
  EXPECT_TRUE(result.rows.empty());
}

TEST(LoadLoader, BadFirstRowSendsNothing) {
  FakeLoadConnection api;
  std::istringstream input("A,B\n1\n");
  EXPECT_THROW(runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input),
                       fastOptions(), fastTuning()),
               InvalidArgument);
  EXPECT_EQ(api.createJobCalls, 0);
}

TEST(LoadLoader, BadRowLaterLoadsTheRowsBeforeItThenThrows) {
  FakeLoadConnection api;
  LoadOptions options = fastOptions();
  options.batchSize = 4;
  std::vector<std::uint64_t> rows;
  options.onResult = [&](const RowResult& row) { rows.push_back(row.row); };
  std::istringstream input("A,B\n1,1\n2,2\n3,3\n4,4\n5,5\n6\n7,7\n");
  try {
    runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options,
            fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& e) {
    EXPECT_NE(std::string(e.what()).find("row 6"), std::string::npos) << e.what();
    EXPECT_THROW(e.rethrowCause(), InvalidArgument);
    EXPECT_EQ(e.result().succeeded, 5u);
  }
  // Every row has its outcome: 1-5 loaded, 6 invalid, 7 not sent.
  EXPECT_EQ(rows, (std::vector<std::uint64_t>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(api.recordsInBatches(), 5u);
  EXPECT_TRUE(api.closed);
}

TEST(LoadLoader, PollsWithOneListRequestPerTickAndBacksOff) {
  FakeLoadConnection api;
  api.autoComplete = false;
  LoadOptions options = fastOptions();
  options.pollMinInterval = 10ms;
  options.pollMaxInterval = 40ms;
  std::istringstream input(rowsCsv(3));
  std::thread finisher([&] {
    std::this_thread::sleep_for(400ms);
    api.completeAll();
  });
  runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options, fastTuning());
  finisher.join();
  // 400 ms at 10, 20, 40, 40, … ms: about a dozen polls, far fewer than at a fixed 10 ms.
  EXPECT_GE(api.getAllBatchesCalls, 5);
  EXPECT_LE(api.getAllBatchesCalls, 16);
}

// Salesforce's own retries (the job's numberRetries) are read with the job's info while
// batches run, at most once per jobInfoInterval, and from the close at the end.
TEST(LoadLoader, ServerRetriesShowInProgressWhileBatchesRunAndInTheResult) {
  FakeLoadConnection api;
  api.autoComplete = false;
  api.numberRetries = 2;
  LoadOptions options = fastOptions();
  std::mutex mutex;
  std::vector<std::int64_t> seen;
  options.onProgress = [&](const LoadProgress& p) {
    std::lock_guard<std::mutex> lock(mutex);
    seen.push_back(p.serverRetries);
  };
  auto tuning = fastTuning();
  tuning.jobInfoInterval = 50ms;
  std::istringstream input(rowsCsv(3));
  std::thread finisher([&] {
    std::this_thread::sleep_for(300ms);
    api.numberRetries = 5;
    api.completeAll();
  });
  const LoadResult result =
      runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options, tuning);
  finisher.join();
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.serverRetries, 5);
  // About one read per 50 ms over 300 ms, not one per poll.
  EXPECT_GE(api.getJobInfoCalls, 2);
  EXPECT_LE(api.getJobInfoCalls, 8);
  ASSERT_FALSE(seen.empty());
  EXPECT_NE(std::find(seen.begin(), seen.end(), 2), seen.end()) << "not shown while running";
  EXPECT_EQ(seen.back(), 5);
}

TEST(LoadLoader, ShortLoadReadsServerRetriesFromTheCloseOnly) {
  FakeLoadConnection api;
  api.numberRetries = 3;
  std::istringstream input(rowsCsv(3));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), fastOptions(), fastTuning());
  EXPECT_EQ(result.serverRetries, 3);
  EXPECT_EQ(api.getJobInfoCalls, 0);
}

TEST(LoadLoader, TimeoutNamesJobAndBatchAndLeavesTheJobOpen) {
  FakeLoadConnection api;
  api.autoComplete = false;
  LoadOptions options = fastOptions();
  options.timeout = 100ms;
  options.batchSize = 2;
  std::istringstream input(rowsCsv(5));
  try {
    runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options,
            fastTuning());
    FAIL() << "expected LoadIncompleteError";
  } catch (const LoadIncompleteError& incomplete) {
    EXPECT_EQ(incomplete.result().jobId, "750000000000001AAA");
    EXPECT_EQ(incomplete.result().notProcessed, 5u);  // sent, results unknown
    bool timedOut = false;
    try {
      incomplete.rethrowCause();
    } catch (const TimeoutError& e) {
      timedOut = true;
      EXPECT_EQ(e.jobId(), "750000000000001AAA");
      // The first unfinished batch in row order: the one holding rows 1-2 (uploads run
      // in parallel, so it need not be the first the server created).
      std::string first;
      for (const auto& batch : api.batches) {
        if (batch.body.find("\nF1,L1\n") != std::string::npos) first = batch.info.id;
      }
      EXPECT_EQ(e.batchId(), first);
      EXPECT_NE(std::string(e.what()).find("left open"), std::string::npos);
    }
    EXPECT_TRUE(timedOut);
  }
  EXPECT_FALSE(api.closed);
  EXPECT_FALSE(api.aborted);
}

TEST(LoadLoader, CancellationAbortsAndReportsUnsentRowsNotProcessed) {
  FakeLoadConnection api;
  api.autoComplete = false;
  LoadOptions options = fastOptions();
  options.batchSize = 10;
  options.concurrency = 1;
  options.cancel = std::make_shared<CancellationToken>();
  options.onProgress = [&](const LoadProgress& p) {
    if (p.recordsSent >= 10) options.cancel->cancel();
  };
  std::istringstream input(rowsCsv(50));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());
  EXPECT_TRUE(api.aborted);
  EXPECT_FALSE(api.closed);
  EXPECT_EQ(result.succeeded, 0u);
  EXPECT_EQ(result.notProcessed, result.rows.size());
  // Uploading stopped; the rows never read are read now only to be reported not sent.
  EXPECT_EQ(result.rows.size(), 50u);
  EXPECT_LT(api.recordsInBatches(), 50u);
  for (std::size_t i = 0; i < result.rows.size(); ++i) EXPECT_EQ(result.rows[i].row, i + 1);
}

TEST(LoadLoader, FailedAndNotProcessedBatchesReportTheirRows) {
  FakeLoadConnection api;
  int completed = 0;
  api.onComplete = [&](testing::FakeBatch& batch) {
    ++completed;
    if (completed == 1) {
      batch.info.state = BatchState::Failed;
      batch.info.stateMessage = "InvalidBatch : Field name not found : Nmae";
      batch.info.numberRecordsProcessed = 0;
    } else if (completed == 2) {
      batch.info.state = BatchState::Failed;
      batch.info.stateMessage = "Unknown : internal error";
      batch.info.numberRecordsProcessed = 2;  // two records made it before the failure
    }
  };
  LoadOptions options = fastOptions();
  options.batchSize = 4;
  options.concurrency = 1;
  std::istringstream input(rowsCsv(12));
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());
  ASSERT_EQ(result.rows.size(), 12u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(result.rows[i].notProcessed);
    ASSERT_EQ(result.rows[i].errors.size(), 1u);
    EXPECT_EQ(result.rows[i].errors[0].statusCode, "InvalidBatch");
    EXPECT_EQ(result.rows[i].errors[0].message, "Field name not found : Nmae");
  }
  EXPECT_TRUE(result.rows[4].success);
  EXPECT_TRUE(result.rows[5].success);
  EXPECT_TRUE(result.rows[6].notProcessed);
  EXPECT_TRUE(result.rows[7].notProcessed);
  for (int i = 8; i < 12; ++i) EXPECT_TRUE(result.rows[i].success);
  EXPECT_EQ(result.notProcessed, 6u);
  EXPECT_EQ(result.succeeded, 6u);
  EXPECT_FALSE(result.allSucceeded());
}

TEST(LoadLoader, ResultCountMismatchIsReportedOnEveryRowOfTheBatch) {
  BatchInfo info;
  info.id = "751X";
  info.state = BatchState::Completed;
  std::string mismatch;
  std::vector<RecordResult> results(2, RecordResult{"001", true, true, {}});
  const auto rows = mapBatchResults(info, 11, 3, results, mismatch);
  EXPECT_NE(mismatch.find("2 results for 3 rows"), std::string::npos);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) {
    EXPECT_FALSE(row.success);
    EXPECT_FALSE(row.notProcessed);
    EXPECT_EQ(row.errors.at(0).statusCode, "RESULT_COUNT_MISMATCH");
  }
  EXPECT_EQ(rows[0].row, 11u);
}

TEST(LoadLoader, WritesSuccessAndErrorFilesWithTheInputRows) {
  FakeLoadConnection api;
  api.resultFor = [](const testing::FakeBatch&, std::size_t i) {
    if (i == 1) {
      return RecordResult{
          "",
          false,
          false,
          {RecordError{
              "REQUIRED_FIELD_MISSING", "Required fields are missing: [LastName]", {"LastName"}}}};
    }
    return RecordResult{"003000000000000AA" + std::to_string(i), true, true, {}};
  };
  SpoolDir dir;
  LoadOptions options = fastOptions();
  options.successFile = dir.file("success.csv");
  options.errorFile = dir.file("error.csv");
  options.keepResults = false;
  std::istringstream input(
      "FirstName,LastName\r\n\"Zoë, \"\"Z\"\"\",East\r\n\"multi\nline\",\r\nAda,Lovelace\r\n");
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::csvStream(input), options, fastTuning());
  EXPECT_TRUE(result.rows.empty());
  EXPECT_EQ(result.succeeded, 2u);
  EXPECT_EQ(result.failed, 1u);
  EXPECT_EQ(readFile(options.successFile),
            "FirstName,LastName,sf__Id,sf__Created\n"
            "\"Zoë, \"\"Z\"\"\",East,003000000000000AA0,true\n"
            "Ada,Lovelace,003000000000000AA2,true\n");
  EXPECT_EQ(readFile(options.errorFile),
            "FirstName,LastName,sf__Error\n"
            "\"multi\nline\",,REQUIRED_FIELD_MISSING:Required fields are missing: "
            "[LastName]:LastName --\n");
}

TEST(LoadLoader, JsonJobFromRecordsWritesResultFilesFromFlattenedRecords) {
  FakeLoadConnection api;
  SpoolDir dir;
  LoadOptions options = fastOptions();
  options.contentType = ContentType::JSON;
  options.successFile = dir.file("success.csv");
  std::vector<nlohmann::json> records = {{{"LastName", "A"}, {"Account", {{"Ext__c", "X1"}}}},
                                         {{"LastName", "B"}, {"Account", {{"Ext__c", "X2"}}}}};
  const LoadResult result = runLoad(api, Operation::Insert, "Contact",
                                    RecordSource::records(records), options, fastTuning());
  EXPECT_EQ(result.succeeded, 2u);
  const std::string success = readFile(options.successFile);
  EXPECT_EQ(success.rfind("Account.Ext__c,LastName,sf__Id,sf__Created\nX1,A,", 0), 0u) << success;
}

TEST(LoadLoader, RefusesBadOptionsBeforeAnyRequest) {
  FakeLoadConnection api;
  auto expectRefused = [&](LoadOptions options, Operation op = Operation::Insert) {
    std::istringstream input(rowsCsv(1));
    EXPECT_THROW(runLoad(api, op, "Contact", RecordSource::csvStream(input), options, fastTuning()),
                 InvalidArgument);
  };
  LoadOptions options = fastOptions();
  options.batchSize = 10'001;
  expectRefused(options);
  options = fastOptions();
  options.maxBatchBytes = kMaxBatchBytes + 1;
  expectRefused(options);
  options = fastOptions();
  options.concurrency = 0;
  expectRefused(options);
  expectRefused(fastOptions(), Operation::Upsert);  // no external id field
  expectRefused(fastOptions(), Operation::Query);
  options = fastOptions();
  options.contentType = ContentType::ZIP_CSV;
  expectRefused(options);
  EXPECT_EQ(api.createJobCalls, 0);
}

TEST(LoadLoader, EveryUploadCarriesTheLoadsGzipChoice) {
  for (std::optional<bool> gzip :
       {std::optional<bool>(), std::optional<bool>(true), std::optional<bool>(false)}) {
    FakeLoadConnection api;
    LoadOptions options = fastOptions();
    options.gzip = gzip;
    std::istringstream input(rowsCsv(25'001));
    runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options,
            fastTuning());
    // Unset is passed on unset: the connection applies Config::gzipRequests.
    EXPECT_EQ(api.gzipChoices, std::vector<std::optional<bool>>(3, gzip));
  }
}

// Through the real Client and a scripted transport: the requests load() sends.
TEST(LoadLoader, ClientLoadSendsTheExpectedRequests) {
  auto transport = std::make_shared<testing::FakeTransport>();
  Client client = scriptedClient(transport);
  const std::string job = "750D00000004SkLIAU";
  const std::string batch = "751D0000000004rIAA";
  transport->pushXml(201, testing::jobInfoXml(job, "insert", "Contact", "Open", "CSV"));
  transport->pushXml(201, testing::batchInfoXml(batch, job, "Queued"));
  transport->pushXml(
      200,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><batchInfoList "
      "xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">"
      "<batchInfo><id>" +
          batch + "</id><jobId>" + job +
          "</jobId><state>Completed</state><createdDate>2009-04-14T18:15:59.000Z</createdDate>"
          "<numberRecordsProcessed>2</numberRecordsProcessed><numberRecordsFailed>1</"
          "numberRecordsFailed>"
          "</batchInfo></batchInfoList>");
  transport->push(200,
                  "\"Id\",\"Success\",\"Created\",\"Error\"\n"
                  "\"003D000000Q89kQIAR\",\"true\",\"true\",\"\"\n"
                  "\"\",\"false\",\"false\",\"REQUIRED_FIELD_MISSING:Required fields are missing: "
                  "[LastName]:LastName --\"\n",
                  {{"Content-Type", "text/csv"}});
  transport->pushXml(200, testing::jobInfoXml(job, "insert", "Contact", "Closed", "CSV"));
  LoadOptions options;
  options.pollMinInterval = 1ms;
  options.pollMaxInterval = 2ms;
  std::istringstream input("FirstName,LastName\nAda,Lovelace\nNo,\n");
  const LoadResult result =
      client.load(Operation::Insert, "Contact", RecordSource::csvStream(input), options);
  const auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_NE(requests[1].url.find("/job/" + job + "/batch"), std::string::npos);
  EXPECT_EQ(requests[1].body, "FirstName,LastName\nAda,Lovelace\nNo,\n");
  EXPECT_EQ(requests[1].header("Content-Type"), "text/csv; charset=UTF-8");
  EXPECT_FALSE(requests[1].gzipBody);
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_NE(requests[4].body.find("Closed"), std::string::npos);
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].id, "003D000000Q89kQIAR");
  EXPECT_FALSE(result.rows[1].success);
  EXPECT_EQ(result.rows[1].errors.at(0).statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(client.requestCount(), 5u);
}

// A real org refuses an oversized body while reading it (400 ClientInputError, "Failed to
// read request. Exceeded max size limit of 10000000"): the upload is not sent again, and
// the load stops saying which batch and which limit, its rows reported not sent.
TEST(LoadLoader, ClientInputErrorOnUploadIsNotRetriedAndNamesTheBatchAndLimit) {
  auto transport = std::make_shared<testing::FakeTransport>();
  Client client = scriptedClient(transport);
  const std::string job = "750D00000004SkLIAU";
  transport->pushXml(201, testing::jobInfoXml(job, "insert", "Contact", "Open", "CSV"));
  transport->pushXml(400, testing::errorXml("ClientInputError",
                                            "Failed to read request. Exceeded max size limit of "
                                            "10000000"));
  for (int i = 0; i < 4; ++i) {
    transport->pushXml(200, testing::jobInfoXml(job, "insert", "Contact", "Aborted", "CSV"));
  }
  LoadOptions options;
  options.pollMinInterval = 1ms;
  options.pollMaxInterval = 2ms;
  std::istringstream input("FirstName,LastName\nAda,Lovelace\nGrace,Hopper\n");
  try {
    client.load(Operation::Insert, "Contact", RecordSource::csvStream(input), options);
    FAIL() << "the load should stop";
  } catch (const LoadIncompleteError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ClientInputError"), std::string::npos) << message;
    EXPECT_NE(message.find("Exceeded max size limit of 10000000"), std::string::npos) << message;
    EXPECT_NE(message.find("batch 1 (rows 1-2)"), std::string::npos) << message;
    EXPECT_EQ(e.result().rows.size(), 2u);
    for (const auto& row : e.result().rows) {
      EXPECT_TRUE(row.notProcessed);
      ASSERT_FALSE(row.errors.empty());
      EXPECT_EQ(row.errors[0].statusCode, "NOT_SENT");
    }
  }
  int uploads = 0;
  for (const auto& request : transport->requests()) {
    if (request.method == "POST" && request.url.find("/batch") != std::string::npos) ++uploads;
  }
  EXPECT_EQ(uploads, 1);
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
