// Client::query waiting for its job: timeout, failed batches, aborted jobs, cancellation.

#include <gtest/gtest.h>

#include <thread>

#include "support/query_test_support.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(QueryTest, TimeoutNamesJobAndBatchAndLeavesTheJobOpen) {
  server->polls = {{{server->rootBatchId, "InProgress"}}};
  QueryOptions options = fast();
  options.timeout = 60ms;
  const auto started = std::chrono::steady_clock::now();
  try {
    client.query("SELECT Id FROM Account", options);
    FAIL() << "no timeout";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(e.jobId(), server->jobId);
    EXPECT_EQ(e.batchId(), server->rootBatchId);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_FALSE(server->aborted());
  EXPECT_GE(server->pollCount(), 2u);
}

TEST_F(QueryTest, TimeoutWhileAChunkStillRunsNamesThatChunk) {
  const std::string parent = server->rootBatchId;
  server->polls = {{{parent, "NotProcessed"},
                    {"751c10000000000AAA", "Completed"},
                    {"751c20000000000AAA", "Queued"}}};
  server->resultIds = {{"751c10000000000AAA", {"752a00000000000AAA"}}};
  server->files = {{"752a00000000000AAA", "\"Id\"\n\"001A\"\n"}};
  QueryOptions options = fast();
  options.timeout = 60ms;
  options.pkChunking = PkChunking{};
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  try {
    stream.nextRow(row);
    FAIL() << "no timeout";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(e.batchId(), "751c20000000000AAA");
  }
}

TEST_F(QueryTest, PollIntervalBacksOffWhileNothingChanges) {
  server->polls = {{{server->rootBatchId, "InProgress"}}};
  QueryOptions options = fast();
  options.pollMinInterval = 5ms;
  options.pollMaxInterval = 40ms;
  options.timeout = 400ms;
  EXPECT_THROW(client.query("SELECT Id FROM Account", options), TimeoutError);
  // 5, 10, 20, 20, … ms (four times the minimum until a sixteenth of the time waited is
  // longer): about twenty polls in 400 ms rather than 80.
  EXPECT_LE(server->pollCount(), 28u);
  EXPECT_GE(server->pollCount(), 5u);
}

TEST_F(QueryTest, FailedBatchRaisesApiErrorWithItsStateMessage) {
  server->polls = {{{server->rootBatchId, "Failed"}}};
  server->stateMessages[server->rootBatchId] = "MALFORMED_QUERY : unexpected token: 'FORM'";
  try {
    client.query("SELECT Id FROM Account", fast());
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "MALFORMED_QUERY");
    EXPECT_EQ(e.exceptionMessage(), "unexpected token: 'FORM'");
    EXPECT_EQ(e.jobId(), server->jobId);
    EXPECT_EQ(e.batchId(), server->rootBatchId);
  }
}

TEST_F(QueryTest, FailedChunkFailsTheQueryEvenAfterRowsWereRead) {
  const std::string parent = server->rootBatchId;
  server->polls = {
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "InProgress"}},
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "Failed"}},
  };
  server->stateMessages["751c20000000000AAA"] = "InvalidBatch : chunk could not be run";
  server->resultIds = {{"751c10000000000AAA", {"752a00000000000AAA"}}};
  server->files = {{"752a00000000000AAA", "\"Id\"\n\"001A\"\n"}};
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  try {
    stream.nextRow(row);
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "InvalidBatch");
    EXPECT_EQ(e.batchId(), "751c20000000000AAA");
  }
  // The rows cannot be complete any more: the remaining work is stopped.
  EXPECT_TRUE(server->aborted());
}

TEST_F(QueryTest, FailedParentWithPkChunkingFails) {
  server->polls = {{{server->rootBatchId, "InProgress"}}, {{server->rootBatchId, "Failed"}}};
  server->stateMessages[server->rootBatchId] =
      "InvalidBatch : PK chunking is not supported for this object";
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  EXPECT_THROW(client.query("SELECT Id FROM Thing__Share", options), ApiError);
}

TEST_F(QueryTest, NotProcessedBatchWithoutChunkingMeansTheJobWasAborted) {
  server->polls = {{{server->rootBatchId, "NotProcessed"}}};
  try {
    client.query("SELECT Id FROM Account", fast());
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_NE(std::string(e.what()).find("not processed"), std::string::npos);
  }
}

TEST_F(QueryTest, CancellationAbortsTheJob) {
  server->polls = {{{server->rootBatchId, "InProgress"}}};
  QueryOptions options = fast();
  options.pollMinInterval = 20ms;
  options.pollMaxInterval = 20ms;
  options.cancel = std::make_shared<CancellationToken>();
  std::thread canceller([token = options.cancel] {
    std::this_thread::sleep_for(60ms);
    token->cancel();
  });
  try {
    client.query("SELECT Id FROM Account", options);
    ADD_FAILURE() << "not cancelled";
  } catch (const TimeoutError&) {
    ADD_FAILURE() << "timed out instead of cancelling";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos);
  }
  canceller.join();
  EXPECT_TRUE(server->aborted());
}

TEST_F(QueryTest, CancellationWhileReadingStopsTheStream) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\"\n\"001A\"\n";
  server->files["752x02000000000AAA"] = "\"Id\"\n\"001B\"\n";
  QueryOptions options = fast();
  options.cancel = std::make_shared<CancellationToken>();
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  options.cancel->cancel();
  EXPECT_THROW(stream.nextRow(row), Error);
  EXPECT_TRUE(server->aborted());
}

}  // namespace
}  // namespace sfdc::bulk::testing
