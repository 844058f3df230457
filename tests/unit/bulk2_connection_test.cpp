// The real Bulk2Connection against a scripted transport: the exact request of every
// operation (method, URL, headers, body), how answers become results, and how each
// operation's idempotency shapes its retries.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>

#include "bulk2/bulk2_connection_impl.hpp"
#include "response_class.hpp"
#include "session.hpp"
#include "support/bulk2_responses.hpp"
#include "support/fake_pacing.hpp"
#include "support/fake_transport.hpp"
#include "support/responses.hpp"

namespace sfdc::bulk {
namespace {

using nlohmann::json;
using testing::FakeTransport;
using testing::kIngestJobId;
using testing::kQueryJobId;

constexpr const char* kBase = "https://na1.example.com";
constexpr const char* kToken = "00Dx0000000BV7z!AR8AQsecret-token";

Config staticConfig() {
  Config config;
  config.baseUrl = kBase;
  config.clientConfig = AccessTokenConfig{kToken};
  config.apiVersion = "62.0";
  config.retry.initialBackoff = std::chrono::milliseconds(1);
  config.retry.maxBackoff = std::chrono::milliseconds(5);
  return config;
}

std::string dataUrl(const std::string& path) {
  return std::string(kBase) + "/services/data/v62.0/" + path;
}

class StringSource final : public BodySource {
 public:
  explicit StringSource(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, text_.size() - offset_);
    std::copy_n(text_.data() + offset_, n, buffer);
    offset_ += n;
    return n;
  }
  bool rewind() override {
    ++rewinds;
    offset_ = 0;
    return true;
  }
  long long size() const override { return static_cast<long long>(text_.size()); }
  int rewinds = 0;

 private:
  std::string text_;
  std::size_t offset_ = 0;
};

struct Bulk2ConnectionTest : ::testing::Test {
  std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
  testing::FakePacing pacing;
  std::vector<std::string> logs;
  std::shared_ptr<Bulk2Connection> connection = make(staticConfig());
  IngestJob ingestJob{kIngestJobId,           Operation::Insert, "Account",
                      ColumnDelimiter::Comma, LineEnding::LF,    ""};
  QueryJob queryJob{kQueryJobId, Operation::Query, ColumnDelimiter::Comma, LineEnding::LF};

  std::shared_ptr<Bulk2Connection> make(Config config) {
    config.logHandler = [this](LogLevel, std::string_view line) { logs.emplace_back(line); };
    return std::make_shared<detail::Bulk2ConnectionImpl>(
        std::make_shared<detail::Session>(config, fake, pacing.pacing()));
  }

  void expectJsonCall(const testing::RecordedRequest& request, const std::string& method,
                      const std::string& url) {
    EXPECT_EQ(request.method, method);
    EXPECT_EQ(request.url, url);
    EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + kToken);
    EXPECT_EQ(request.header("X-SFDC-Session"), "");
    EXPECT_EQ(request.header("Accept"), "application/json");
  }
};

std::vector<std::string> readAll(Bulk2CsvReader& reader) {
  std::vector<std::string> rows;
  std::vector<std::string> row;
  while (reader.nextRow(row)) {
    std::string joined;
    for (const auto& field : row) joined += (joined.empty() ? "" : "|") + field;
    rows.push_back(joined);
  }
  return rows;
}

// ---- requests of every operation ----

TEST_F(Bulk2ConnectionTest, CreateIngestJobPostsJson) {
  fake->pushJson(200, testing::ingestCreateJson());
  IngestJobOptions options;
  options.columnDelimiter = ColumnDelimiter::Semicolon;
  Bulk2JobInfo info = connection->createIngestJob(Operation::Insert, "Account", options);
  EXPECT_EQ(info.id, kIngestJobId);
  EXPECT_EQ(info.state, Bulk2JobState::Open);
  auto request = fake->last();
  expectJsonCall(request, "POST", dataUrl("jobs/ingest"));
  EXPECT_EQ(request.header("Content-Type"), "application/json; charset=UTF-8");
  EXPECT_EQ(json::parse(request.body), json::parse(R"({"object":"Account","operation":"insert",
      "contentType":"CSV","columnDelimiter":"SEMICOLON","lineEnding":"LF"})"));
}

TEST_F(Bulk2ConnectionTest, CreateRefusesBadInputBeforeSending) {
  EXPECT_THROW(connection->createIngestJob(Operation::Upsert, "Account", {}), InvalidArgument);
  IngestJobOptions withKey;
  withKey.externalIdFieldName = "Ext__c";
  EXPECT_THROW(connection->createIngestJob(Operation::Insert, "Account", withKey), InvalidArgument);
  EXPECT_THROW(connection->createIngestJob(Operation::Query, "Account", {}), InvalidArgument);
  EXPECT_THROW(connection->createIngestJob(Operation::Insert, "", {}), InvalidArgument);
  EXPECT_THROW(connection->createQueryJob("  \n", {}), InvalidArgument);
  EXPECT_TRUE(fake->requests().empty());
}

TEST_F(Bulk2ConnectionTest, FeaturesOlderVersionsLackAreRefused) {
  Config config = staticConfig();
  config.apiVersion = "46.0";
  auto old = make(config);
  try {
    old->createQueryJob("SELECT Id FROM Account", {});
    FAIL() << "a 46.0 query job was sent";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("47.0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("46.0"), std::string::npos) << e.what();
  }
  IngestJobOptions rule;
  rule.assignmentRuleId = "01QD0000000EqAn";
  EXPECT_THROW(old->createIngestJob(Operation::Insert, "Case", rule), InvalidArgument);
  EXPECT_THROW(old->getQueryResultPages(queryJob, ""), InvalidArgument);
  config.apiVersion = "40.0";
  EXPECT_THROW(make(config)->createIngestJob(Operation::Insert, "Account", {}), InvalidArgument);
  EXPECT_TRUE(fake->requests().empty());

  fake->pushJson(200, testing::ingestCreateJson());
  old->createIngestJob(Operation::Insert, "Account", {});
  EXPECT_EQ(fake->last().url, std::string(kBase) + "/services/data/v46.0/jobs/ingest");
}

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

TEST_F(Bulk2ConnectionTest, CreateRefusesAnAnswerWhoseIdIsNoSalesforceId) {
  fake->pushJson(200, testing::ingestCreateJson("../../x"));
  EXPECT_THROW(connection->createIngestJob(Operation::Insert, "Account", {}), ParseError);
}

TEST_F(Bulk2ConnectionTest, UploadIsOneStreamedCsvPut) {
  fake->push(201, "");
  auto csv = std::make_shared<StringSource>("Name\nAcme\n");
  connection->uploadJobData(ingestJob, csv, {});
  auto request = fake->last();
  EXPECT_EQ(request.method, "PUT");
  EXPECT_EQ(request.url, dataUrl(std::string("jobs/ingest/") + kIngestJobId + "/batches"));
  EXPECT_EQ(request.header("Content-Type"), "text/csv");
  EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + kToken);
  EXPECT_EQ(request.body, "Name\nAcme\n");
  EXPECT_FALSE(request.gzipBody);
}

TEST_F(Bulk2ConnectionTest, UploadGzipFollowsOptionThenConfig) {
  fake->push(201, "");
  UploadOptions gzip;
  gzip.gzip = true;
  connection->uploadJobData(ingestJob, std::make_shared<StringSource>("Name\n"), gzip);
  EXPECT_TRUE(fake->last().gzipBody);

  Config config = staticConfig();
  config.gzipRequests = true;
  auto gzipped = make(config);
  fake->push(201, "");
  gzipped->uploadJobData(ingestJob, std::make_shared<StringSource>("Name\n"), {});
  EXPECT_TRUE(fake->last().gzipBody);
  fake->push(201, "");
  UploadOptions plain;
  plain.gzip = false;
  gzipped->uploadJobData(ingestJob, std::make_shared<StringSource>("Name\n"), plain);
  EXPECT_FALSE(fake->last().gzipBody);
}

TEST_F(Bulk2ConnectionTest, UploadRefusesNullSourceAndBadId) {
  EXPECT_THROW(connection->uploadJobData(ingestJob, nullptr, {}), InvalidArgument);
  IngestJob bad = ingestJob;
  bad.id = "750/../x";
  EXPECT_THROW(connection->uploadJobData(bad, std::make_shared<StringSource>("a"), {}),
               InvalidArgument);
  EXPECT_TRUE(fake->requests().empty());
}

TEST_F(Bulk2ConnectionTest, CloseAndAbortPatchTheState) {
  fake->pushJson(200, testing::patchAnswerJson("UploadComplete"));
  EXPECT_EQ(connection->closeIngestJob(kIngestJobId).state, Bulk2JobState::UploadComplete);
  auto request = fake->last();
  expectJsonCall(request, "PATCH", dataUrl(std::string("jobs/ingest/") + kIngestJobId));
  EXPECT_EQ(request.header("Content-Type"), "application/json; charset=UTF-8");
  EXPECT_EQ(request.body, R"({"state":"UploadComplete"})");

  fake->pushJson(200, testing::patchAnswerJson("Aborted"));
  EXPECT_EQ(connection->abortIngestJob(kIngestJobId).state, Bulk2JobState::Aborted);
  EXPECT_EQ(fake->last().body, R"({"state":"Aborted"})");

  fake->pushJson(200, testing::patchAnswerJson("Aborted", kQueryJobId, "query"));
  EXPECT_EQ(connection->abortQueryJob(kQueryJobId).state, Bulk2JobState::Aborted);
  expectJsonCall(fake->last(), "PATCH", dataUrl(std::string("jobs/query/") + kQueryJobId));
  EXPECT_EQ(fake->last().body, R"({"state":"Aborted"})");
}

TEST_F(Bulk2ConnectionTest, GetAndDeleteOfBothKinds) {
  fake->pushJson(200, testing::ingestInfoJson());
  EXPECT_EQ(connection->getIngestJobInfo(kIngestJobId).numberRecordsProcessed, 7);
  expectJsonCall(fake->last(), "GET", dataUrl(std::string("jobs/ingest/") + kIngestJobId));
  EXPECT_EQ(fake->last().body, "");

  fake->pushJson(200, testing::queryInfoJson());
  EXPECT_EQ(connection->getQueryJobInfo(kQueryJobId).jobType, "V2Query");
  expectJsonCall(fake->last(), "GET", dataUrl(std::string("jobs/query/") + kQueryJobId));

  fake->push(204, "");
  connection->deleteIngestJob(kIngestJobId);
  expectJsonCall(fake->last(), "DELETE", dataUrl(std::string("jobs/ingest/") + kIngestJobId));
  fake->push(204, "");
  connection->deleteQueryJob(kQueryJobId);
  expectJsonCall(fake->last(), "DELETE", dataUrl(std::string("jobs/query/") + kQueryJobId));
}

TEST_F(Bulk2ConnectionTest, CreateQueryJobPostsSoql) {
  fake->pushJson(200, testing::queryCreateJson());
  QueryJobOptions options;
  options.all = true;
  Bulk2JobInfo info = connection->createQueryJob("SELECT Id FROM Account", options);
  EXPECT_EQ(info.state, Bulk2JobState::UploadComplete);
  auto request = fake->last();
  expectJsonCall(request, "POST", dataUrl("jobs/query"));
  EXPECT_EQ(request.header("Content-Type"), "application/json; charset=UTF-8");
  EXPECT_EQ(json::parse(request.body)["query"], "SELECT Id FROM Account");
  EXPECT_EQ(json::parse(request.body)["operation"], "queryAll");
}

TEST_F(Bulk2ConnectionTest, ListBuildsQueryStringThenFollowsTheLink) {
  fake->pushJson(200, testing::jobListPageJson());
  Bulk2JobFilter filter;
  filter.jobType = "V2Ingest";
  filter.concurrencyMode = "Parallel";
  filter.isPkChunkingEnabled = false;
  Bulk2JobPage page = connection->listIngestJobs(filter, "");
  EXPECT_EQ(page.records.size(), 2u);
  expectJsonCall(fake->last(), "GET",
                 dataUrl("jobs/ingest?jobType=V2Ingest&concurrencyMode=Parallel"
                         "&isPkChunkingEnabled=false"));

  fake->pushJson(200, R"({"done":true,"records":[]})");
  EXPECT_TRUE(connection->listIngestJobs(filter, page.nextRecordsUrl).done);
  EXPECT_EQ(fake->last().url, std::string(kBase) +
                                  "/services/data/v66.0/jobs/ingest?queryLocator="
                                  "01gR0000000opRTIAY-2000");

  fake->pushJson(200, R"({"done":true,"records":[]})");
  connection->listQueryJobs({}, "");
  expectJsonCall(fake->last(), "GET", dataUrl("jobs/query"));
}

TEST_F(Bulk2ConnectionTest, LinksThatLeaveTheApiAreRefused) {
  for (const char* link :
       {"https://evil.example.com/services/data/v62.0/jobs/ingest",
        "services/data/v62.0/jobs/ingest", "/services/data/../../x", "/services/data//v62.0/jobs",
        "/services/async/62.0/job", "/services/data/v62.0/jobs ingest"}) {
    EXPECT_THROW(connection->listIngestJobs({}, link), InvalidArgument) << link;
    EXPECT_THROW(connection->getQueryResultPages(queryJob, link), InvalidArgument) << link;
    EXPECT_THROW(connection->openQueryResultsUrl(queryJob, link), InvalidArgument) << link;
  }
  EXPECT_TRUE(fake->requests().empty());
}

// ---- downloads ----

TEST_F(Bulk2ConnectionTest, IngestResultFilesAreStreamedCsv) {
  const std::pair<IngestResultKind, std::string> kinds[] = {
      {IngestResultKind::Successful, "successfulResults"},
      {IngestResultKind::Failed, "failedResults"},
      {IngestResultKind::Unprocessed, "unprocessedrecords"}};
  for (const auto& [kind, file] : kinds) {
    fake->push(200, "\"sf__Id\",\"sf__Created\",Name\n\"001\",\"true\",\"Acme\"\n",
               {{"Content-Type", "text/csv; charset=UTF-8"}});
    Bulk2CsvReader reader = connection->openIngestResults(ingestJob, kind);
    EXPECT_EQ(reader.header(), (std::vector<std::string>{"sf__Id", "sf__Created", "Name"}));
    EXPECT_EQ(readAll(reader), (std::vector<std::string>{"001|true|Acme"}));
    auto request = fake->last();
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.url, dataUrl(std::string("jobs/ingest/") + kIngestJobId + "/" + file));
    EXPECT_EQ(request.header("Accept"), "text/csv");
    EXPECT_EQ(request.header("Authorization"), std::string("Bearer ") + kToken);
    EXPECT_FALSE(reader.nextLocator().has_value());
  }
}

TEST_F(Bulk2ConnectionTest, QueryResultsPageByLocatorUntilLiteralNull) {
  fake->push(200, "\"Id\",\"Name\"\n\"001A\",\"One\"\n",
             {{"Sforce-Locator", "MTAwMDA"}, {"Sforce-NumberOfRecords", "1"}});
  QueryPageRequest first;
  first.maxRecords = 50000;
  Bulk2CsvReader page1 = connection->openQueryResults(queryJob, first);
  EXPECT_EQ(fake->last().url,
            dataUrl(std::string("jobs/query/") + kQueryJobId + "/results?maxRecords=50000"));
  EXPECT_EQ(fake->last().header("Accept"), "text/csv");
  EXPECT_EQ(readAll(page1), (std::vector<std::string>{"001A|One"}));
  EXPECT_EQ(page1.nextLocator(), std::optional<std::string>("MTAwMDA"));
  EXPECT_EQ(page1.numberOfRecords(), std::optional<std::uint64_t>(1));

  fake->push(200, "\"Id\",\"Name\"\n\"001B\",\"Two\"\n",
             {{"Sforce-Locator", "null"}, {"Sforce-NumberOfRecords", "1"}});
  QueryPageRequest second;
  second.locator = *page1.nextLocator();
  Bulk2CsvReader page2 = connection->openQueryResults(queryJob, second);
  EXPECT_EQ(fake->last().url,
            dataUrl(std::string("jobs/query/") + kQueryJobId + "/results?locator=MTAwMDA"));
  EXPECT_EQ(page2.header(), (std::vector<std::string>{"Id", "Name"}));
  EXPECT_EQ(readAll(page2), (std::vector<std::string>{"001B|Two"}));
  EXPECT_FALSE(page2.nextLocator().has_value()) << "the literal null ends the paging";
  EXPECT_EQ(page2.rowCount(), 1u);

  QueryPageRequest bogus;
  bogus.locator = "null";
  EXPECT_THROW(connection->openQueryResults(queryJob, bogus), InvalidArgument);
  QueryPageRequest zero;
  zero.maxRecords = 0;
  EXPECT_THROW(connection->openQueryResults(queryJob, zero), InvalidArgument);
  EXPECT_EQ(fake->requests().size(), 2u);
}

TEST_F(Bulk2ConnectionTest, LocatorsAreEncodedInTheQueryString) {
  fake->push(200, "\"Id\"\n", {{"Sforce-Locator", "null"}});
  QueryPageRequest page;
  page.locator = "a+b/c=";
  page.maxRecords = 10;
  connection->openQueryResults(queryJob, page);
  EXPECT_EQ(fake->last().url, dataUrl(std::string("jobs/query/") + kQueryJobId +
                                      "/results?locator=a%2Bb%2Fc%3D&maxRecords=10"));
}

TEST_F(Bulk2ConnectionTest, ResultPagesAndTheirUrls) {
  fake->pushJson(200, testing::resultPagesJson());
  QueryResultPageLinks links = connection->getQueryResultPages(queryJob, "");
  expectJsonCall(fake->last(), "GET",
                 dataUrl(std::string("jobs/query/") + kQueryJobId + "/resultPages"));
  ASSERT_EQ(links.resultUrls.size(), 2u);

  fake->pushJson(200, R"({"resultPages":[],"done":true})");
  connection->getQueryResultPages(queryJob, links.nextRecordsUrl);
  EXPECT_EQ(fake->last().url, std::string(kBase) + links.nextRecordsUrl);

  fake->push(200, "\"Id\"\n\"001\"\n", {{"Sforce-Locator", "null"}});
  Bulk2CsvReader reader = connection->openQueryResultsUrl(queryJob, links.resultUrls[0]);
  EXPECT_EQ(fake->last().url, std::string(kBase) + links.resultUrls[0]);
  EXPECT_EQ(fake->last().header("Accept"), "text/csv");
  EXPECT_EQ(readAll(reader), (std::vector<std::string>{"001"}));
}

TEST_F(Bulk2ConnectionTest, ResultsUseTheJobsDelimiter) {
  QueryJob piped = queryJob;
  piped.columnDelimiter = ColumnDelimiter::Pipe;
  fake->push(200, "\"Id\"|\"Name\"\n\"001\"|\"A,B\"\n", {{"Sforce-Locator", "null"}});
  Bulk2CsvReader reader = connection->openQueryResults(piped, {});
  std::vector<std::string> row;
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"001", "A,B"}));
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
