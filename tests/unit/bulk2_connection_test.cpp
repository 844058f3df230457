// The real Bulk2Connection against a scripted transport: the exact request of every
// operation (method, URL, headers, body) and how answers become results and downloads.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>

#include "support/bulk2_connection_fixture.hpp"

namespace sfdc::bulk {
namespace {

using nlohmann::json;
using testing::Bulk2ConnectionTest;
using testing::dataUrl;
using testing::kBase;
using testing::kIngestJobId;
using testing::kQueryJobId;
using testing::kToken;
using testing::readAll;
using testing::staticConfig;
using testing::StringSource;

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

}  // namespace
}  // namespace sfdc::bulk
