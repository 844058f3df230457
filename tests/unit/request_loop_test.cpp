// The single request loop, through the real connection over a scripted transport and an
// injected clock: exact backoff sequences, Retry-After, the time and attempt bounds,
// idempotency, request counting, and session expiry in whole and streamed calls. The
// backoffs are seconds long; the tests finish at once because nothing really sleeps.

#include <gtest/gtest.h>

#include <chrono>
#include <sfdc/bulk.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "connection_impl.hpp"
#include "session.hpp"
#include "support/fake_pacing.hpp"
#include "support/fake_transport.hpp"
#include "support/responses.hpp"

namespace sfdc::bulk {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
using testing::FakePacing;
using testing::FakeTransport;
using Waits = std::vector<milliseconds>;

constexpr const char* kJobId = "750D00000004SkLIAU";
constexpr const char* kBatchId = "751D00000004SkLIAU";
constexpr const char* kResultId = "752D00000004SkLIAU";

struct RequestLoopTest : ::testing::Test {
  std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
  FakePacing clock;
  Job job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""};
  Job queryJob{kJobId, Operation::Query, "Account", ContentType::CSV, ""};

  static Config staticConfig() {
    Config config;
    config.baseUrl = "https://na1.example.com";
    config.clientConfig = AccessTokenConfig{"00Dx0000000BV7z!AR8AQstatic"};
    config.retry.maxAttempts = 5;
    config.retry.initialBackoff = 10s;
    config.retry.multiplier = 2;
    config.retry.maxBackoff = 60s;
    config.retry.maxElapsed = 10min;
    return config;
  }

  static Config refreshConfig() {
    Config config = staticConfig();
    config.clientConfig = RefreshTokenConfig{"client-id", "client-secret", "refresh-token",
                                             "https://login.example.com/services/oauth2/token"};
    return config;
  }

  std::shared_ptr<Connection> connect(Config config = staticConfig()) {
    return std::make_shared<detail::ConnectionImpl>(std::move(config), fake, clock.pacing());
  }

  void pushJobInfo() {
    fake->pushXml(200, testing::jobInfoXml(kJobId, "insert", "Account", "Open", "CSV"));
  }
  void pushBatchInfo() { fake->pushXml(201, testing::batchInfoXml(kBatchId, kJobId, "Queued")); }
  void pushInvalidSession() {
    fake->pushXml(400, testing::errorXml("InvalidSessionId", "Invalid session id"));
  }
  void pushToken(const std::string& token) {
    fake->pushJson(200, testing::tokenJson(token, "https://my.example.com"));
  }

  /// The session refused, renewed, refused again until the renewals run out: `call`
  /// throws AuthError after every fresh token was refused.
  template <class Call>
  void expectAuthErrorOnRepeatedExpiry(Call call) {
    const int tokens = detail::kMaxSessionRenewals + 1;
    for (int i = 0; i < tokens; ++i) {
      pushToken("token-" + std::to_string(i) + "-aaaa");
      pushInvalidSession();
    }
    auto connection = connect(refreshConfig());
    try {
      call(*connection);
      FAIL() << "expected AuthError";
    } catch (const AuthError& e) {
      EXPECT_EQ(e.httpStatus(), 400);
      EXPECT_EQ(e.oauthError(), "InvalidSessionId");
    }
    EXPECT_EQ(fake->requests().size(), static_cast<std::size_t>(2 * tokens));
  }

  static std::vector<std::string> readAll(QueryResultReader reader) {
    std::vector<std::string> ids;
    std::vector<std::string> row;
    while (reader.nextRow(row)) ids.push_back(row.at(0));
    return ids;
  }
};

TEST_F(RequestLoopTest, BackoffGrowsByTheMultiplierWithTheDrawnJitter) {
  for (int i = 0; i < 4; ++i) fake->push(503, "busy");
  pushJobInfo();
  auto connection = connect();
  EXPECT_EQ(connection->getJobInfo(job).id, kJobId);
  // Step 10 s, 20 s, 40 s, 60 s (capped); half fixed, half times the draw of 0.5.
  EXPECT_EQ(clock.sleeps(), (Waits{7500ms, 15000ms, 30000ms, 45000ms}));
  EXPECT_EQ(fake->requests().size(), 5u);
  EXPECT_EQ(connection->requestCount(), 5u);
}

TEST_F(RequestLoopTest, TheJitterDrawSpansTheUpperHalfOfEachStep) {
  clock.draw = 0.0;
  fake->push(502, "bad gateway");
  fake->push(504, "gateway timeout");
  pushJobInfo();
  connect()->getJobInfo(job);
  EXPECT_EQ(clock.sleeps(), (Waits{5000ms, 10000ms}));
}

TEST_F(RequestLoopTest, GivesUpAfterMaxAttemptsWithTheLastAnswer) {
  for (int i = 0; i < 5; ++i) fake->push(500, "internal error");
  auto connection = connect();
  try {
    connection->getJobInfo(job);
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 500);
    EXPECT_EQ(e.jobId(), kJobId);
  }
  EXPECT_EQ(clock.sleeps().size(), 4u);
  EXPECT_EQ(connection->requestCount(), 5u);
}

TEST_F(RequestLoopTest, StopsWhenTheNextWaitWouldPassMaxElapsed) {
  Config config = staticConfig();
  config.retry.maxElapsed = 60s;
  for (int i = 0; i < 5; ++i) fake->push(503, "busy");
  // 7.5 + 15 + 30 = 52.5 s slept; the next 45 s would end past a minute.
  EXPECT_THROW(connect(config)->getJobInfo(job), ApiError);
  EXPECT_EQ(clock.sleeps(), (Waits{7500ms, 15000ms, 30000ms}));
  EXPECT_EQ(fake->requests().size(), 4u);
}

TEST_F(RequestLoopTest, RetryAfterInSecondsReplacesTheBackoff) {
  fake->push(429, "slow down", {{"Retry-After", "3"}});
  fake->push(503, "busy", {{"Retry-After", "0"}});
  pushJobInfo();
  connect()->getJobInfo(job);
  EXPECT_EQ(clock.sleeps(), (Waits{3000ms, 0ms}));
}

TEST_F(RequestLoopTest, RetryAfterAsAnHttpDateCountsFromTheWallClock) {
  // The fake wall clock stands at Tue, 14 Nov 2023 22:13:20 GMT.
  fake->push(503, "busy", {{"Retry-After", "Tue, 14 Nov 2023 22:13:27 GMT"}});
  fake->push(503, "busy", {{"Retry-After", "Tue, 14 Nov 2023 22:13:00 GMT"}});  // past
  pushJobInfo();
  connect()->getJobInfo(job);
  EXPECT_EQ(clock.sleeps(), (Waits{7000ms, 0ms}));
}

TEST_F(RequestLoopTest, RetryAfterIsCappedAtMaxBackoffAndIgnoredWhenMalformed) {
  fake->push(503, "busy", {{"Retry-After", "3600"}});
  fake->push(503, "busy", {{"Retry-After", "soon"}});
  pushJobInfo();
  connect()->getJobInfo(job);
  EXPECT_EQ(clock.sleeps(), (Waits{60000ms, 15000ms}));
}

TEST_F(RequestLoopTest, ConnectionFailuresBackOffLikeRetryableStatuses) {
  fake->pushTransportError(true, true);
  fake->push(503, "busy");
  fake->pushTransportError(true, false);
  pushJobInfo();
  auto connection = connect();
  connection->getJobInfo(job);
  EXPECT_EQ(clock.sleeps(), (Waits{7500ms, 15000ms, 30000ms}));
  // The failure before sending reached no server; the other three did.
  EXPECT_EQ(connection->requestCount(), 3u);
}

TEST_F(RequestLoopTest, ANonRetryableConnectionFailureIsThrownAtOnce) {
  fake->pushTransportError(false, true);
  EXPECT_THROW(connect()->getJobInfo(job), TransportError);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST_F(RequestLoopTest, BatchUploadsAreResentOnlyWhenTheServerProvablyDidNotActOnThem) {
  auto connection = connect();
  fake->push(429, "slow down");
  fake->push(503, "busy");
  fake->pushTransportError(true, false);
  pushBatchInfo();
  EXPECT_EQ(connection->addBatch(job, "Name\nA\n", {}).id, kBatchId);
  EXPECT_EQ(clock.sleeps(), (Waits{7500ms, 15000ms, 30000ms}));

  for (int status : {408, 500, 502, 504}) {
    fake->push(status, "unknown outcome");
    EXPECT_THROW(connection->addBatch(job, "Name\nA\n", {}), ApiError) << status;
  }
  fake->pushTransportError(true, true);
  EXPECT_THROW(connection->addBatch(job, "Name\nA\n", {}), TransportError);
  EXPECT_EQ(clock.sleeps().size(), 3u);
  EXPECT_EQ(fake->requests().size(), 9u);
}

TEST_F(RequestLoopTest, AStreamedBodyIsRewoundForEachRetry) {
  fake->push(503, "busy");
  pushBatchInfo();
  auto body = std::make_shared<std::istringstream>("Name\nAcme\n");
  Client client(connect());
  client.addBatch(job, *body);
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, "Name\nAcme\n");
  EXPECT_EQ(requests[1].body, "Name\nAcme\n");
}

TEST_F(RequestLoopTest, StreamedDownloadsRetryWithTheSameBackoff) {
  fake->push(503, "busy");
  fake->push(500, "internal error");
  fake->push(200, "Id\n001D000000IRFmaIAH\n", {{"Content-Type", "text/csv"}});
  auto connection = connect();
  auto ids = readAll(connection->openQueryResult(queryJob, kBatchId, kResultId));
  EXPECT_EQ(ids, (std::vector<std::string>{"001D000000IRFmaIAH"}));
  EXPECT_EQ(clock.sleeps(), (Waits{7500ms, 15000ms}));
  EXPECT_EQ(connection->requestCount(), 3u);
}

TEST_F(RequestLoopTest, AStreamedErrorAnswerIsReadAndThrownAsApiError) {
  fake->pushXml(400, testing::errorXml("InvalidBatch", "no result with that id"));
  try {
    connect()->openQueryResult(queryJob, kBatchId, kResultId);
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "InvalidBatch");
    EXPECT_EQ(e.batchId(), kBatchId);
  }
}

TEST_F(RequestLoopTest, AnExpiredSessionIsRenewedOnceInABufferedCall) {
  pushToken("token-one-aaaa");
  pushInvalidSession();
  pushToken("token-two-bbbb");
  pushJobInfo();
  auto connection = connect(refreshConfig());
  EXPECT_EQ(connection->getJobInfo(job).id, kJobId);
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].header("X-SFDC-Session"), "token-one-aaaa");
  EXPECT_EQ(requests[3].header("X-SFDC-Session"), "token-two-bbbb");
  EXPECT_TRUE(clock.sleeps().empty());
  EXPECT_EQ(connection->requestCount(), 2u);  // token requests are not Bulk API requests
}

TEST_F(RequestLoopTest, AnExpiredSessionIsRenewedOnceInAStreamedCall) {
  pushToken("token-one-aaaa");
  pushInvalidSession();
  pushToken("token-two-bbbb");
  fake->push(200, "Id\n001D000000IRFmaIAH\n", {{"Content-Type", "text/csv"}});
  auto ids = readAll(connect(refreshConfig())->openQueryResult(queryJob, kBatchId, kResultId));
  EXPECT_EQ(ids, (std::vector<std::string>{"001D000000IRFmaIAH"}));
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[3].header("X-SFDC-Session"), "token-two-bbbb");
}

TEST_F(RequestLoopTest, RepeatedExpiryInABufferedCallIsAnAuthError) {
  expectAuthErrorOnRepeatedExpiry([this](Connection& connection) { connection.getJobInfo(job); });
}

TEST_F(RequestLoopTest, RepeatedExpiryInAStreamedCallIsAnAuthError) {
  expectAuthErrorOnRepeatedExpiry([this](Connection& connection) {
    connection.openQueryResult(queryJob, kBatchId, kResultId);
  });
}

// Sessions ended again while the replay was on its way (two "expire all sessions" in a
// row): each fresh token is tried, and the call succeeds with the third.
TEST_F(RequestLoopTest, ASessionEndedAgainDuringTheReplayIsRenewedAgain) {
  pushToken("token-one-aaaa");
  pushInvalidSession();
  pushToken("token-two-bbbb");
  pushInvalidSession();
  pushToken("token-three-cccc");
  pushJobInfo();
  EXPECT_EQ(connect(refreshConfig())->getJobInfo(job).id, kJobId);
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 6u);
  EXPECT_EQ(requests[5].header("X-SFDC-Session"), "token-three-cccc");
}

TEST_F(RequestLoopTest, ARenewedSessionStartsAFreshRetryBudget) {
  pushToken("token-one-aaaa");
  for (int i = 0; i < 4; ++i) fake->push(503, "busy");
  pushInvalidSession();
  pushToken("token-two-bbbb");
  for (int i = 0; i < 4; ++i) fake->push(503, "busy");
  pushJobInfo();
  EXPECT_EQ(connect(refreshConfig())->getJobInfo(job).id, kJobId);
  EXPECT_EQ(clock.sleeps(),
            (Waits{7500ms, 15000ms, 30000ms, 45000ms, 7500ms, 15000ms, 30000ms, 45000ms}));
}

TEST_F(RequestLoopTest, AStaticTokenThatExpiredIsAnAuthErrorInBothKindsOfCall) {
  auto connection = connect();
  pushInvalidSession();
  EXPECT_THROW(connection->getJobInfo(job), AuthError);
  pushInvalidSession();
  EXPECT_THROW(connection->openQueryResult(queryJob, kBatchId, kResultId), AuthError);
  EXPECT_EQ(fake->requests().size(), 2u);
}

}  // namespace
}  // namespace sfdc::bulk
