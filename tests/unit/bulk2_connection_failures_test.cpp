// The real Bulk2Connection's failures: error arrays and the explained statuses, how each
// operation's idempotency shapes its retries, and the refresh and replay of an expired
// session.

#include <gtest/gtest.h>

#include <sfdc/bulk.hpp>

#include "response_class.hpp"
#include "support/bulk2_connection_fixture.hpp"

namespace sfdc::bulk {
namespace {

using testing::Bulk2ConnectionTest;
using testing::dataUrl;
using testing::kIngestJobId;
using testing::kQueryJobId;
using testing::readAll;
using testing::StringSource;

TEST(Bulk2SessionExpiry, InvalidSessionIdIn401IsAnExpiredSession) {
  const std::string body =
      R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])";
  EXPECT_EQ(detail::classifyResponse(401, body, detail::Idempotency::NonIdempotent),
            detail::Verdict::SessionExpired);
  EXPECT_EQ(detail::classifyResponse(400, body, detail::Idempotency::Idempotent),
            detail::Verdict::Fail);
  EXPECT_EQ(detail::classifyResponse(401, R"([{"errorCode":"INVALID_AUTH_HEADER"}])",
                                     detail::Idempotency::Idempotent),
            detail::Verdict::Fail);
  EXPECT_EQ(detail::classifyResponse(406, "", detail::Idempotency::Idempotent),
            detail::Verdict::Fail);
}

// ---- errors ----

TEST_F(Bulk2ConnectionTest, ErrorArraysBecomeApiErrors) {
  fake->pushJson(400, testing::errorArrayJson("INVALIDJOBSTATE",
                                              "Aborting already Completed Job not allowed"));
  try {
    connection->abortQueryJob(kQueryJobId);
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_EQ(e.exceptionCode(), "INVALIDJOBSTATE");
    EXPECT_EQ(e.exceptionMessage(), "Aborting already Completed Job not allowed");
    EXPECT_EQ(e.jobId(), kQueryJobId);
  }
  EXPECT_EQ(fake->requests().size(), 1u) << "a refusal is not retried";
}

ApiError errorOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "no ApiError";
  return ApiError(0, "", "");
}

TEST_F(Bulk2ConnectionTest, NotFoundNamesTheKindOfJob) {
  fake->pushJson(404,
                 testing::errorArrayJson("NOT_FOUND", "The requested resource does not exist"));
  ApiError e = errorOf([&] { connection->getIngestJobInfo(kQueryJobId); });
  EXPECT_EQ(e.httpStatus(), 404);
  EXPECT_EQ(e.exceptionCode(), "NOT_FOUND");
  const std::string message = e.exceptionMessage();
  EXPECT_NE(message.find("The requested resource does not exist"), std::string::npos);
  EXPECT_NE(message.find("no ingest job"), std::string::npos) << message;
  EXPECT_NE(message.find("query job"), std::string::npos) << message;
}

TEST_F(Bulk2ConnectionTest, VersionAcceptAndCompletionStatusesAreExplained) {
  fake->pushJson(409, "");
  EXPECT_NE(errorOf([&] { connection->openQueryResults(queryJob, {}); })
                .exceptionMessage()
                .find("API version the job was created with"),
            std::string::npos);
  fake->pushJson(410, testing::errorArrayJson("API_DISABLED", "Retired"));
  ApiError gone = errorOf([&] { connection->getIngestJobInfo(kIngestJobId); });
  EXPECT_NE(gone.exceptionMessage().find("retired"), std::string::npos);
  EXPECT_EQ(gone.exceptionCode(), "API_DISABLED");
  fake->push(406, "");
  EXPECT_NE(errorOf([&] { connection->openIngestResults(ingestJob, IngestResultKind::Failed); })
                .exceptionMessage()
                .find("Accept: text/csv"),
            std::string::npos);
  fake->pushJson(
      412, testing::errorArrayJson("JOB_NOT_COMPLETE",
                                   "can only download query results of successfully completed "
                                   "bulk job with status: JOB_COMPLETE. Current status: "
                                   "IN_PROGRESS"));
  ApiError early = errorOf([&] { connection->openQueryResults(queryJob, {}); });
  EXPECT_EQ(early.exceptionCode(), "JOB_NOT_COMPLETE");
  EXPECT_NE(early.exceptionMessage().find("Current status: IN_PROGRESS"), std::string::npos);
  EXPECT_NE(early.exceptionMessage().find("poll"), std::string::npos);
  // A bodiless 406 is not retried: the same Accept would be refused again.
  EXPECT_EQ(fake->requests().size(), 4u);
}

// ---- idempotency ----

TEST_F(Bulk2ConnectionTest, CreateIsResentOnlyWhenNotActedOn) {
  fake->push(503, "");
  fake->pushTransportError(true, false);
  fake->pushJson(200, testing::ingestCreateJson());
  EXPECT_EQ(connection->createIngestJob(Operation::Insert, "Account", {}).id, kIngestJobId);
  EXPECT_EQ(fake->requests().size(), 3u);

  fake->pushTransportError(true, true);
  EXPECT_THROW(connection->createIngestJob(Operation::Insert, "Account", {}), TransportError);
  fake->push(500, "");
  EXPECT_THROW(connection->createQueryJob("SELECT Id FROM Account", {}), ApiError);
  EXPECT_EQ(fake->requests().size(), 5u);
}

TEST_F(Bulk2ConnectionTest, AmbiguousUploadIsNotResent) {
  auto csv = std::make_shared<StringSource>("Name\nAcme\n");
  fake->pushTransportError(true, true);
  try {
    connection->uploadJobData(ingestJob, csv, {});
    FAIL() << "the upload was resent or succeeded";
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.requestSent());
  }
  fake->push(502, "");
  EXPECT_THROW(connection->uploadJobData(ingestJob, csv, {}), ApiError);
  EXPECT_EQ(fake->requests().size(), 2u);
}

TEST_F(Bulk2ConnectionTest, UploadRefusedBeforeReadingIsResentFromTheStart) {
  auto csv = std::make_shared<StringSource>("Name\nAcme\n");
  fake->push(429, "", {{"Retry-After", "1"}});
  fake->push(201, "");
  connection->uploadJobData(ingestJob, csv, {});
  auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].body, "Name\nAcme\n");
  EXPECT_EQ(csv->rewinds, 1);
}

TEST_F(Bulk2ConnectionTest, CloseAfterALostAnswerIsResolvedByTheJobsState) {
  fake->pushTransportError(true, true);  // closed, but the answer is lost
  fake->pushJson(400, testing::errorArrayJson("INVALIDJOBSTATE", "Job is not Open"));
  fake->pushJson(200, testing::ingestInfoJson("InProgress"));
  Bulk2JobInfo info = connection->closeIngestJob(kIngestJobId);
  EXPECT_EQ(info.state, Bulk2JobState::InProgress);
  auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PATCH");
  EXPECT_EQ(requests[1].method, "PATCH");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(requests[2].url, dataUrl(std::string("jobs/ingest/") + kIngestJobId));
}

TEST_F(Bulk2ConnectionTest, CloseRefusedAtOnceIsAnError) {
  // No earlier attempt: the refusal is the server's answer to this close.
  fake->pushJson(400, testing::errorArrayJson("INVALIDJOB", "Found multipe contents for job"));
  EXPECT_THROW(connection->closeIngestJob(kIngestJobId), ApiError);
  EXPECT_EQ(fake->requests().size(), 1u);
}

TEST_F(Bulk2ConnectionTest, CloseRefusedAfterALostAnswerOfAStillOpenJobIsAnError) {
  fake->pushTransportError(true, true);
  fake->pushJson(400, testing::errorArrayJson("INVALIDJOB", "Found multipe contents for job"));
  fake->pushJson(200, testing::ingestCreateJson());  // still Open
  try {
    connection->closeIngestJob(kIngestJobId);
    FAIL() << "no error";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "INVALIDJOB");
  }
}

TEST_F(Bulk2ConnectionTest, AbortAfterALostAnswerIsResolvedByTheJobsState) {
  fake->push(504, "");
  fake->pushJson(400, testing::errorArrayJson("INVALIDJOBSTATE", "Job already aborted"));
  fake->pushJson(200, testing::queryInfoJson("Aborted"));
  EXPECT_EQ(connection->abortQueryJob(kQueryJobId).state, Bulk2JobState::Aborted);
  EXPECT_EQ(fake->last().url, dataUrl(std::string("jobs/query/") + kQueryJobId));
}

TEST_F(Bulk2ConnectionTest, DeleteAnswering404AfterALostAnswerIsDone) {
  fake->pushTransportError(true, true);
  fake->pushJson(404,
                 testing::errorArrayJson("NOT_FOUND", "The requested resource does not exist"));
  connection->deleteIngestJob(kIngestJobId);
  EXPECT_EQ(fake->requests().size(), 2u);

  fake->pushJson(404,
                 testing::errorArrayJson("NOT_FOUND", "The requested resource does not exist"));
  EXPECT_THROW(connection->deleteQueryJob(kQueryJobId), ApiError)
      << "a first answer of 404 means the job never existed";
}

TEST_F(Bulk2ConnectionTest, GetsAreRetriedAfterTransientFailures) {
  fake->push(500, "");
  fake->pushTransportError(true, true);
  fake->pushJson(200, testing::ingestInfoJson());
  EXPECT_EQ(connection->getIngestJobInfo(kIngestJobId).state, Bulk2JobState::JobComplete);
  EXPECT_EQ(fake->requests().size(), 3u);
  EXPECT_EQ(connection->requestCount(), 3u);
}

// ---- session expiry ----

Config refreshConfig() {
  Config config;
  config.baseUrl = "https://ignored.example.com";
  config.apiVersion = "62.0";
  config.clientConfig = RefreshTokenConfig{"client-id", "client-s3cret", "refresh-t0ken",
                                           "https://login.example.com/services/oauth2/token"};
  config.retry.initialBackoff = std::chrono::milliseconds(1);
  return config;
}

struct Bulk2RefreshTest : Bulk2ConnectionTest {
  void SetUp() override {
    connection = make(refreshConfig());
    fake->pushJson(200, testing::tokenJson("token-one-aaaa", "https://my.example.com"));
  }
  void expireThenRenew() {
    fake->pushJson(401,
                   testing::errorArrayJson("INVALID_SESSION_ID", "Session expired or invalid"));
    fake->pushJson(200, testing::tokenJson("token-two-bbbb", "https://my.example.com"));
  }
  void expectReplayed(std::size_t callIndex) {
    auto requests = fake->requests();
    ASSERT_EQ(requests.size(), callIndex + 3);
    EXPECT_EQ(requests[callIndex].header("Authorization"), "Bearer token-one-aaaa");
    EXPECT_EQ(requests[callIndex + 1].url, "https://login.example.com/services/oauth2/token");
    EXPECT_EQ(requests[callIndex + 2].header("Authorization"), "Bearer token-two-bbbb");
    EXPECT_EQ(requests[callIndex + 2].url, requests[callIndex].url);
    EXPECT_EQ(requests[callIndex + 2].body, requests[callIndex].body);
  }
};

TEST_F(Bulk2RefreshTest, CreateIsReplayedWithTheNewToken) {
  expireThenRenew();
  fake->pushJson(200, testing::ingestCreateJson());
  EXPECT_EQ(connection->createIngestJob(Operation::Insert, "Account", {}).id, kIngestJobId);
  expectReplayed(1);
  EXPECT_EQ(fake->requests()[1].url, "https://my.example.com/services/data/v62.0/jobs/ingest");
}

TEST_F(Bulk2RefreshTest, UploadIsReplayedFromTheFirstByte) {
  auto csv = std::make_shared<StringSource>("Name\nAcme\nGlobex\n");
  expireThenRenew();
  fake->push(201, "");
  connection->uploadJobData(ingestJob, csv, {});
  expectReplayed(1);
  EXPECT_EQ(fake->requests()[3].body, "Name\nAcme\nGlobex\n");
  EXPECT_GE(csv->rewinds, 1);
}

TEST_F(Bulk2RefreshTest, ResultDownloadIsReplayed) {
  expireThenRenew();
  fake->push(200, "\"Id\"\n\"001\"\n", {{"Sforce-Locator", "null"}});
  Bulk2CsvReader reader = connection->openQueryResults(queryJob, {});
  EXPECT_EQ(readAll(reader), (std::vector<std::string>{"001"}));
  expectReplayed(1);
}

TEST_F(Bulk2ConnectionTest, StaticTokenRejectedIsAnAuthError) {
  fake->pushJson(401, testing::errorArrayJson("INVALID_SESSION_ID", "Session expired or invalid"));
  EXPECT_THROW(connection->getIngestJobInfo(kIngestJobId), AuthError);
  EXPECT_EQ(fake->requests().size(), 1u);
}

}  // namespace
}  // namespace sfdc::bulk
