// Client::query over Bulk API 2.0, the job side: what is refused before any request,
// creating the job when the first attempt fails, and how a job that does not complete
// ends the call.

#include <gtest/gtest.h>

#include <thread>

#include "support/fake_bulk2_query.hpp"

namespace sfdc::bulk::testing {
namespace {

struct Query2Job : ::testing::Test {
  std::shared_ptr<FakeBulk2Query> server = std::make_shared<FakeBulk2Query>();
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};

  template <class Exception>
  std::string refusal(const QueryOptions& options) {
    try {
      client.query("SELECT Id FROM Account", options);
    } catch (const Exception& e) {
      return e.what();
    }
    ADD_FAILURE() << "the query was not refused";
    return {};
  }
};

TEST_F(Query2Job, OptionsThatDoNotApplyToV2AreRefusedBeforeAnyRequest) {
  QueryOptions json = fastV2Options();
  json.contentType = ContentType::JSON;
  EXPECT_NE(refusal<InvalidArgument>(json).find("CSV only"), std::string::npos);

  QueryOptions chunked = fastV2Options();
  chunked.pkChunking = PkChunking{};
  EXPECT_NE(refusal<InvalidArgument>(chunked).find("pkChunking"), std::string::npos);

  QueryOptions noWorkers = fastV2Options();
  noWorkers.parallelDownloads = 0;
  EXPECT_NE(refusal<InvalidArgument>(noWorkers).find("parallelDownloads"), std::string::npos);

  QueryOptions emptyPages = fastV2Options();
  emptyPages.maxRecordsPerPage = 0;
  EXPECT_NE(refusal<InvalidArgument>(emptyPages).find("maxRecordsPerPage"), std::string::npos);

  EXPECT_EQ(server->seen().creates, 0);
}

TEST_F(Query2Job, AConnectionWithoutV2IsAClearError) {
  Client v1Only{std::make_shared<Bulk2OnlyConnection>(nullptr)};
  try {
    v1Only.query("SELECT Id FROM Account", fastV2Options());
    FAIL() << "no error";
  } catch (const InvalidArgument&) {
    FAIL() << "not a bad argument";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Bulk API 2.0"), std::string::npos) << e.what();
  }
}

TEST_F(Query2Job, ACreateThatProvablyDidNotHappenIsTriedAgain) {
  server->makeRows(2);
  server->createFailures = {std::make_exception_ptr(ApiError(503, "", "Service Unavailable"))};
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(readAllRows(stream), server->rows);
  EXPECT_EQ(server->seen().creates, 2);
}

TEST_F(Query2Job, APollThatFailsForNowIsTriedAgain) {
  server->makeRows(2);
  server->pollFailures = {std::make_exception_ptr(ApiError(503, "", "Service Unavailable")),
                          std::make_exception_ptr(TransportError("reset", 56, true, true))};
  QueryOptions options = fastV2Options();
  options.pollMaxInterval = std::chrono::milliseconds(2);
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  EXPECT_EQ(readAllRows(stream), server->rows);
  EXPECT_EQ(server->seen().failedPolls, 2);
}

TEST_F(Query2Job, APollRefusedForGoodEndsTheQuery) {
  server->pollFailures = {
      std::make_exception_ptr(ApiError(404, "NOT_FOUND", "The requested resource does not exist"))};
  EXPECT_THROW(client.query("SELECT Id FROM Account", fastV2Options()), ApiError);
}

TEST_F(Query2Job, ARefusedQueryIsNotTriedAgain) {
  server->createFailures = {std::make_exception_ptr(
      ApiError(400, "API_ERROR", "Selecting compound data not supported in Bulk Query"))};
  EXPECT_THROW(client.query("SELECT Id, BillingAddress FROM Account", fastV2Options()), ApiError);
  EXPECT_EQ(server->seen().creates, 1);
}

TEST_F(Query2Job, AFailedJobCarriesItsErrorMessage) {
  server->states = {Bulk2JobState::InProgress, Bulk2JobState::Failed};
  server->errorMessage = "InvalidBatch : Field name not found : Foo__c";
  try {
    client.query("SELECT Foo__c FROM Account", fastV2Options());
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "InvalidBatch");
    EXPECT_EQ(e.exceptionMessage(), "Field name not found : Foo__c");
    EXPECT_EQ(e.jobId(), FakeBulk2Query::kJobId);
  }
  EXPECT_TRUE(server->seen().pageRequests.empty());
}

TEST_F(Query2Job, AFailedJobWithoutErrorMessageSaysSoAndNamesTheJob) {
  server->states = {Bulk2JobState::Failed};
  try {
    client.query("SELECT Id FROM Account", fastV2Options());
    FAIL() << "no error";
  } catch (const ApiError& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("the query job failed"), std::string::npos) << text;
    EXPECT_NE(text.find(FakeBulk2Query::kJobId), std::string::npos) << text;
  }
}

TEST_F(Query2Job, AnAbortedJobIsAnError) {
  server->states = {Bulk2JobState::Aborted};
  try {
    client.query("SELECT Id FROM Account", fastV2Options());
    FAIL() << "no error";
  } catch (const ApiError&) {
    FAIL() << "an abort is not a server error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("aborted"), std::string::npos) << e.what();
  }
}

TEST_F(Query2Job, ATimeoutAbortsTheJob) {
  server->states = {Bulk2JobState::InProgress};
  QueryOptions options = fastV2Options();
  options.timeout = std::chrono::milliseconds(60);
  try {
    client.query("SELECT Id FROM Account", options);
    FAIL() << "no timeout";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(e.jobId(), FakeBulk2Query::kJobId);
  }
  const auto seen = server->seen();
  EXPECT_EQ(seen.aborts, 1);
  EXPECT_GE(seen.polls, 2);
}

TEST_F(Query2Job, PollsBackOffWhileTheJobDoesNotChange) {
  server->states = {Bulk2JobState::InProgress};
  QueryOptions options = fastV2Options();
  options.pollMinInterval = std::chrono::milliseconds(5);
  options.pollMaxInterval = std::chrono::milliseconds(40);
  options.timeout = std::chrono::milliseconds(400);
  EXPECT_THROW(client.query("SELECT Id FROM Account", options), TimeoutError);
  // 5, 10, 20, 20, … ms (four times the minimum until a sixteenth of the time waited is
  // longer): about twenty polls in 400 ms, not 80.
  EXPECT_LE(server->seen().polls, 28);
  EXPECT_GE(server->seen().polls, 3);
}

TEST_F(Query2Job, CancellingWhileTheJobRunsAbortsIt) {
  server->states = {Bulk2JobState::InProgress};
  QueryOptions options = fastV2Options();
  // A poll interval far longer than the wait below: the cancellation must be noticed
  // while the stream sleeps, not at its next poll.
  options.pollMinInterval = std::chrono::milliseconds(3000);
  options.pollMaxInterval = std::chrono::milliseconds(3000);
  options.cancel = std::make_shared<CancellationToken>();
  std::thread canceller([token = options.cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    token->cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(client.query("SELECT Id FROM Account", options), Error);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2500));
  EXPECT_EQ(server->seen().aborts, 1);
}

}  // namespace
}  // namespace sfdc::bulk::testing
