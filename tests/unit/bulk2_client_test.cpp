// Bulk2Client over a mocked Bulk2Connection (validation, convenient uploads, every page
// of a listing, every set of result links) and over the real connection a v1 Client
// hands out (one session, one request count).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sfdc/bulk.hpp>
#include <sfdc/bulk/mocks/mock_bulk2_connection.hpp>
#include <sstream>

#include "connection_impl.hpp"
#include "support/bulk2_responses.hpp"
#include "support/fake_pacing.hpp"
#include "support/fake_transport.hpp"

namespace sfdc::bulk {
namespace {

using ::testing::_;
using testing::kIngestJobId;
using testing::kQueryJobId;
using ::testing::Return;
using ::testing::StrictMock;

std::string drain(BodySource& source) {
  std::string text;
  char buffer[5];
  for (std::size_t n; (n = source.read(buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  return text;
}

Bulk2JobInfo infoOf(const std::string& id, Operation operation) {
  Bulk2JobInfo info;
  info.id = id;
  info.operation = operation;
  info.object = "Account";
  info.columnDelimiter = ColumnDelimiter::Tab;
  return info;
}

struct Bulk2ClientTest : ::testing::Test {
  std::shared_ptr<StrictMock<mocks::MockBulk2Connection>> mock =
      std::make_shared<StrictMock<mocks::MockBulk2Connection>>();
  Bulk2Client client{mock};
  IngestJob job{kIngestJobId,           Operation::Insert, "Account",
                ColumnDelimiter::Comma, LineEnding::LF,    ""};
  QueryJob query{kQueryJobId, Operation::Query, ColumnDelimiter::Comma, LineEnding::LF};
};

TEST_F(Bulk2ClientTest, NullConnectionIsRefused) {
  EXPECT_THROW(Bulk2Client(std::shared_ptr<Bulk2Connection>()), InvalidArgument);
  EXPECT_THROW(Bulk2Client(Config{}, std::shared_ptr<HttpTransport>()), InvalidArgument);
}

TEST_F(Bulk2ClientTest, CreateValidatesBeforeAskingTheConnection) {
  EXPECT_THROW(client.createIngestJob(Operation::Upsert, "Account"), InvalidArgument);
  IngestJobOptions keyed;
  keyed.externalIdFieldName = "Ext__c";
  EXPECT_THROW(client.createIngestJob(Operation::Delete, "Account", keyed), InvalidArgument);
  EXPECT_THROW(client.createIngestJob(Operation::QueryAll, "Account"), InvalidArgument);
  EXPECT_THROW(client.createQueryJob(""), InvalidArgument);
  EXPECT_THROW(client.createQueryJob(" \t"), InvalidArgument);
  try {
    client.createIngestJob(Operation::Upsert, "Account");
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("externalIdFieldName"), std::string::npos);
  }
}

TEST_F(Bulk2ClientTest, CreateReturnsTheHandleOfTheAnswer) {
  IngestJobOptions keyed;
  keyed.externalIdFieldName = "Ext__c";
  Bulk2JobInfo answer = infoOf(kIngestJobId, Operation::Upsert);
  answer.externalIdFieldName = "Ext__c";
  EXPECT_CALL(*mock, createIngestJob(Operation::Upsert, std::string_view("Account"), _))
      .WillOnce(Return(answer));
  IngestJob created = client.createIngestJob(Operation::Upsert, "Account", keyed);
  EXPECT_EQ(created.id, kIngestJobId);
  EXPECT_EQ(created.externalIdFieldName, "Ext__c");
  EXPECT_EQ(created.columnDelimiter, ColumnDelimiter::Tab);

  EXPECT_CALL(*mock, createQueryJob(std::string_view("SELECT Id FROM Account"), _))
      .WillOnce(Return(infoOf(kQueryJobId, Operation::Query)));
  EXPECT_EQ(client.createQueryJob("SELECT Id FROM Account").id, kQueryJobId);
}

TEST_F(Bulk2ClientTest, AttachChecksTheIdAndTheKind) {
  EXPECT_THROW(client.attachIngestJob("nope"), InvalidArgument);
  EXPECT_CALL(*mock, getIngestJobInfo(std::string_view(kQueryJobId)))
      .WillOnce(Return(infoOf(kQueryJobId, Operation::Query)));
  EXPECT_THROW(client.attachIngestJob(kQueryJobId), InvalidArgument);
  EXPECT_CALL(*mock, getQueryJobInfo(std::string_view(kQueryJobId)))
      .WillOnce(Return(infoOf(kQueryJobId, Operation::QueryAll)));
  QueryJob attached = client.attachQueryJob(kQueryJobId);
  EXPECT_EQ(attached.operation, Operation::QueryAll);
  EXPECT_EQ(attached.columnDelimiter, ColumnDelimiter::Tab);
  EXPECT_CALL(*mock, getIngestJobInfo(std::string_view(kIngestJobId)))
      .WillOnce(Return(infoOf(kIngestJobId, Operation::Insert)));
  EXPECT_EQ(client.attachIngestJob(kIngestJobId).object, "Account");
}

TEST_F(Bulk2ClientTest, TextUploadIsARewindableSource) {
  std::shared_ptr<BodySource> seen;
  EXPECT_CALL(*mock, uploadJobData(_, _, _))
      .WillOnce([&seen](const IngestJob&, std::shared_ptr<BodySource> csv, const UploadOptions&) {
        seen = std::move(csv);
      });
  std::string text = "Name\nAcme\n";
  client.uploadJobData(job, std::string_view(text));
  text = "changed";  // the source holds its own copy
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->size(), 10);
  EXPECT_EQ(drain(*seen), "Name\nAcme\n");
  EXPECT_TRUE(seen->rewind());
  EXPECT_EQ(drain(*seen), "Name\nAcme\n");
}

TEST_F(Bulk2ClientTest, StreamAndFileUploadsReadTheirSource) {
  std::vector<std::string> bodies;
  std::optional<bool> gzip;
  EXPECT_CALL(*mock, uploadJobData(_, _, _))
      .Times(2)
      .WillRepeatedly([&](const IngestJob& target, std::shared_ptr<BodySource> csv,
                          const UploadOptions& options) {
        EXPECT_EQ(target.id, kIngestJobId);
        bodies.push_back(drain(*csv));
        gzip = options.gzip;
      });
  std::istringstream stream("Name\nFrom stream\n");
  client.uploadJobData(job, stream);
  const std::string path = ::testing::TempDir() + "bulk2_upload.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "Name\nFrom file\n";
  }
  UploadOptions options;
  options.gzip = true;
  client.uploadJobDataFromFile(job, path, options);
  std::remove(path.c_str());
  EXPECT_EQ(bodies, (std::vector<std::string>{"Name\nFrom stream\n", "Name\nFrom file\n"}));
  EXPECT_EQ(gzip, std::optional<bool>(true));
  EXPECT_THROW(client.uploadJobDataFromFile(job, ::testing::TempDir() + "no/such.csv"),
               InvalidArgument);
  EXPECT_THROW(client.uploadJobData(job, std::shared_ptr<BodySource>()), InvalidArgument);
}

TEST_F(Bulk2ClientTest, JobOperationsPassTheId) {
  EXPECT_CALL(*mock, closeIngestJob(std::string_view(kIngestJobId)))
      .WillOnce(Return(infoOf(kIngestJobId, Operation::Insert)));
  EXPECT_CALL(*mock, abortIngestJob(std::string_view(kIngestJobId)))
      .WillOnce(Return(infoOf(kIngestJobId, Operation::Insert)));
  EXPECT_CALL(*mock, getIngestJobInfo(std::string_view(kIngestJobId)))
      .WillOnce(Return(infoOf(kIngestJobId, Operation::Insert)));
  EXPECT_CALL(*mock, deleteIngestJob(std::string_view(kIngestJobId)));
  EXPECT_CALL(*mock, abortQueryJob(std::string_view(kQueryJobId)))
      .WillOnce(Return(infoOf(kQueryJobId, Operation::Query)));
  EXPECT_CALL(*mock, getQueryJobInfo(std::string_view(kQueryJobId)))
      .WillOnce(Return(infoOf(kQueryJobId, Operation::Query)));
  EXPECT_CALL(*mock, deleteQueryJob(std::string_view(kQueryJobId)));
  client.closeJob(job);
  client.abortJob(job);
  client.getJobInfo(job);
  client.deleteJob(job);
  client.abortJob(query);
  client.getJobInfo(query);
  client.deleteJob(query);
}

TEST_F(Bulk2ClientTest, ListingsFollowEveryPage) {
  Bulk2JobPage first;
  first.records = {infoOf(kIngestJobId, Operation::Insert)};
  first.done = false;
  first.nextRecordsUrl = "/services/data/v62.0/jobs/ingest?queryLocator=01g-1000";
  Bulk2JobPage last;
  last.records = {infoOf("750R0000000zhfdIAA", Operation::Update)};
  Bulk2JobFilter filter;
  filter.jobType = "V2Ingest";
  {
    ::testing::InSequence order;
    EXPECT_CALL(*mock, listIngestJobs(_, std::string_view(""))).WillOnce(Return(first));
    EXPECT_CALL(*mock, listIngestJobs(_, std::string_view(first.nextRecordsUrl)))
        .WillOnce(Return(last));
  }
  auto jobs = client.listIngestJobs(filter);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[1].operation, Operation::Update);

  Bulk2JobPage repeating = first;
  EXPECT_CALL(*mock, listQueryJobs(_, _)).Times(2).WillRepeatedly(Return(repeating));
  EXPECT_EQ(client.listQueryJobs().size(), 2u) << "a repeated link ends the listing";
}

TEST_F(Bulk2ClientTest, ResultPageUrlsFollowNextRecordsUrl) {
  QueryResultPageLinks first;
  first.resultUrls = {"/services/data/v62.0/jobs/query/750R0000000zlh9IAA/results?locator=A",
                      "/services/data/v62.0/jobs/query/750R0000000zlh9IAA/results?locator=B"};
  first.done = false;
  first.nextRecordsUrl = "/services/data/v62.0/jobs/query/750R0000000zlh9IAA/resultpages?l=C";
  QueryResultPageLinks last;
  last.resultUrls = {"/services/data/v62.0/jobs/query/750R0000000zlh9IAA/results?locator=C"};
  {
    ::testing::InSequence order;
    EXPECT_CALL(*mock, getQueryResultPages(_, std::string_view(""))).WillOnce(Return(first));
    EXPECT_CALL(*mock, getQueryResultPages(_, std::string_view(first.nextRecordsUrl)))
        .WillOnce(Return(last));
  }
  auto urls = client.resultPageUrls(query);
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[2], last.resultUrls[0]);
}

TEST_F(Bulk2ClientTest, RequestCountAndInstanceComeFromTheConnection) {
  EXPECT_CALL(*mock, requestCount()).WillOnce(Return(42u));
  EXPECT_CALL(*mock, instanceUrl()).WillOnce(Return("https://my.example.com"));
  EXPECT_EQ(client.requestCount(), 42u);
  EXPECT_EQ(client.instanceUrl(), "https://my.example.com");
  EXPECT_EQ(client.connection(), mock);
}

TEST(Bulk2ConnectionDefaults, UnimplementedOperationsSayWhich) {
  struct Partial : Bulk2Connection {};
  Partial partial;
  try {
    partial.closeIngestJob(kIngestJobId);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("closeIngestJob"), std::string::npos);
  }
  EXPECT_EQ(partial.requestCount(), 0u);
  EXPECT_EQ(partial.instanceUrl(), "");
}

TEST(ClientBulk2, SharesTheSessionAndTheRequestCount) {
  auto fake = std::make_shared<testing::FakeTransport>();
  testing::FakePacing pacing;
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig = AccessTokenConfig{"00Dx0000000BV7z!AR8AQsecret-token"};
  Client client(std::make_shared<detail::ConnectionImpl>(config, fake, pacing.pacing()));
  Bulk2Client bulk2 = client.bulk2();
  fake->pushJson(200, testing::ingestInfoJson());
  IngestJob job;
  job.id = kIngestJobId;
  EXPECT_EQ(bulk2.getJobInfo(job).state, Bulk2JobState::JobComplete);
  EXPECT_EQ(fake->last().url,
            std::string("https://na1.example.com/services/data/v59.0/jobs/ingest/") + kIngestJobId);
  EXPECT_EQ(fake->last().header("Authorization"), "Bearer 00Dx0000000BV7z!AR8AQsecret-token");
  EXPECT_EQ(client.requestCount(), 1u);
  EXPECT_EQ(bulk2.requestCount(), 1u);
  EXPECT_EQ(bulk2.instanceUrl(), "https://na1.example.com");
}

TEST(ClientBulk2, AConnectionWithoutA2SideIsAClearError) {
  struct V1Only : Connection {};
  Client client(std::make_shared<V1Only>());
  try {
    client.bulk2();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("Bulk API 2.0"), std::string::npos);
  }
}

}  // namespace
}  // namespace sfdc::bulk
