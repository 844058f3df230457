// Client operations against a scripted transport: the exact requests each operation
// sends and how responses and errors are turned into results.

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <pugixml.hpp>
#include <sfdc/bulk.hpp>
#include <sstream>
#include <thread>

#include "connection_impl.hpp"
#include "session.hpp"
#include "support/fake_pacing.hpp"
#include "support/fake_transport.hpp"
#include "support/responses.hpp"

namespace sfdc::bulk {
namespace {

using testing::FakeTransport;

constexpr const char* kBase = "https://na1.example.com";
constexpr const char* kToken = "00Dx0000000BV7z!AR8AQsecret-token";

Config staticConfig() {
  Config config;
  config.baseUrl = kBase;
  config.clientConfig = AccessTokenConfig{kToken};
  config.retry.initialBackoff = std::chrono::milliseconds(1);
  config.retry.maxBackoff = std::chrono::milliseconds(5);
  return config;
}

struct ClientTest : ::testing::Test {
  std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
  // Retries wait on a fake clock: no test here really sleeps.
  testing::FakePacing pacing;
  Client client{std::make_shared<detail::ConnectionImpl>(staticConfig(), fake, pacing.pacing())};
  Job csvJob{"750D00000004SkLIAU", Operation::Insert, "Account", ContentType::CSV, ""};
  Job jsonJob{"750D00000004SkGIAU", Operation::Insert, "Account", ContentType::JSON, ""};
  Job xmlJob{"750D00000004SkXIAU", Operation::Insert, "Account", ContentType::XML, ""};
  Job queryJob{"750D00000004SkQIAU", Operation::Query, "Account", ContentType::CSV, ""};
};

std::string asyncUrl(const std::string& path) {
  return std::string(kBase) + "/services/async/59.0/" + path;
}

TEST_F(ClientTest, CreateCsvJobPostsXmlJobInfo) {
  fake->pushXml(201, testing::jobInfoXml("750D00000004SkLIAU", "insert", "Account", "Open", "CSV"));
  Job job = client.createJob(Operation::Insert, "Account", ContentType::CSV);
  EXPECT_EQ(job.id, "750D00000004SkLIAU");
  EXPECT_EQ(job.contentType, ContentType::CSV);
  EXPECT_EQ(job.operation, Operation::Insert);
  auto request = fake->last();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, asyncUrl("job"));
  EXPECT_EQ(request.header("X-SFDC-Session"), kToken);
  EXPECT_EQ(request.header("Content-Type"), "application/xml; charset=UTF-8");
  const auto& body = request.body;
  EXPECT_NE(body.find("xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\""),
            std::string::npos);
  auto op = body.find("<operation>insert</operation>");
  auto object = body.find("<object>Account</object>");
  auto type = body.find("<contentType>CSV</contentType>");
  ASSERT_NE(op, std::string::npos);
  ASSERT_NE(object, std::string::npos);
  ASSERT_NE(type, std::string::npos);
  EXPECT_LT(op, object);
  EXPECT_LT(object, type);
}

TEST_F(ClientTest, CreateUpsertJobWritesXsdOrder) {
  fake->pushXml(201, testing::jobInfoXml("750D00000004SkLIAU", "upsert", "Contact", "Open", "XML",
                                         " <externalIdFieldName>Ext__c</externalIdFieldName>\n"));
  JobOptions options;
  options.externalIdFieldName = "Ext__c";
  options.concurrencyMode = ConcurrencyMode::Serial;
  options.assignmentRuleId = "01Q000000000001";
  Job job = client.createJob(Operation::Upsert, "Contact", ContentType::XML, options);
  EXPECT_EQ(job.externalIdFieldName, "Ext__c");
  const auto body = fake->last().body;
  std::vector<std::string> order = {
      "<operation>upsert<",       "<object>Contact<",  "<externalIdFieldName>Ext__c<",
      "<concurrencyMode>Serial<", "<contentType>XML<", "<assignmentRuleId>01Q000000000001<"};
  std::size_t previous = 0;
  for (const auto& element : order) {
    auto at = body.find(element);
    ASSERT_NE(at, std::string::npos) << element;
    EXPECT_GT(at, previous) << element << " out of XSD order in " << body;
    previous = at;
  }
}

TEST_F(ClientTest, CreateJsonJobPostsJson) {
  fake->pushJson(201, testing::jobInfoJson("750D00000004SkGIAU", "insert", "Account", "Open"));
  Job job = client.createJob(Operation::Insert, "Account", ContentType::JSON);
  EXPECT_EQ(job.contentType, ContentType::JSON);
  auto request = fake->last();
  EXPECT_EQ(request.header("Content-Type"), "application/json; charset=UTF-8");
  auto body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body["operation"], "insert");
  EXPECT_EQ(body["object"], "Account");
  EXPECT_EQ(body["contentType"], "JSON");
}

TEST_F(ClientTest, CreateJobSendsOptionalHeaders) {
  fake->pushXml(201, testing::jobInfoXml("750D00000004SkQIAU", "query", "Account", "Open", "CSV"));
  JobOptions options;
  options.pkChunking = PkChunking{50000, "", "00130000000xEftMGH"};
  options.lineEnding = LineEnding::CRLF;
  options.disableBatchRetry = true;
  options.callOptionsClient = "acme-loader";
  client.createJob(Operation::Query, "Account", ContentType::CSV, options);
  auto request = fake->last();
  EXPECT_EQ(request.header("Sforce-Enable-PKChunking"),
            "chunkSize=50000; startRow=00130000000xEftMGH");
  EXPECT_EQ(request.header("Sforce-Line-Ending"), "CRLF");
  EXPECT_EQ(request.header("Sforce-Disable-Batch-Retry"), "TRUE");
  EXPECT_EQ(request.header("Sforce-Call-Options"), "client=acme-loader");
}

TEST_F(ClientTest, PkChunkingWithoutSettingsSendsTrue) {
  fake->pushXml(201, testing::jobInfoXml("750D00000004SkQIAU", "query", "Account", "Open", "CSV"));
  JobOptions options;
  options.pkChunking = PkChunking{};
  client.createJob(Operation::Query, "Account", ContentType::CSV, options);
  EXPECT_EQ(fake->last().header("Sforce-Enable-PKChunking"), "TRUE");
}

TEST_F(ClientTest, InvalidJobOptionsFailBeforeAnyRequest) {
  JobOptions upsertWithoutKey;
  EXPECT_THROW(client.createJob(Operation::Upsert, "Contact", ContentType::CSV, upsertWithoutKey),
               InvalidArgument);
  JobOptions keyOnInsert;
  keyOnInsert.externalIdFieldName = "Ext__c";
  EXPECT_THROW(client.createJob(Operation::Insert, "Contact", ContentType::CSV, keyOnInsert),
               InvalidArgument);
  JobOptions chunkedInsert;
  chunkedInsert.pkChunking = PkChunking{};
  EXPECT_THROW(client.createJob(Operation::Insert, "Contact", ContentType::CSV, chunkedInsert),
               InvalidArgument);
  JobOptions hugeChunk;
  hugeChunk.pkChunking = PkChunking{300000, "", ""};
  EXPECT_THROW(client.createJob(Operation::Query, "Contact", ContentType::CSV, hugeChunk),
               InvalidArgument);
  EXPECT_THROW(client.createJob(Operation::Insert, "", ContentType::CSV), InvalidArgument);
  EXPECT_TRUE(fake->requests().empty());
}

TEST_F(ClientTest, AbortSendsAbortedAndCloseSendsClosed) {
  fake->pushXml(200, testing::jobInfoXml(csvJob.id, "insert", "Account", "Aborted", "CSV"));
  JobInfo aborted = client.abortJob(csvJob);
  EXPECT_EQ(aborted.state, JobState::Aborted);
  auto abortRequest = fake->last();
  EXPECT_EQ(abortRequest.method, "POST");
  EXPECT_EQ(abortRequest.url, asyncUrl("job/" + csvJob.id));
  EXPECT_NE(abortRequest.body.find("<state>Aborted</state>"), std::string::npos);
  EXPECT_EQ(abortRequest.body.find("Closed"), std::string::npos);

  fake->pushXml(200, testing::jobInfoXml(csvJob.id, "insert", "Account", "Closed", "CSV"));
  EXPECT_EQ(client.closeJob(csvJob).state, JobState::Closed);
  EXPECT_NE(fake->last().body.find("<state>Closed</state>"), std::string::npos);
}

TEST_F(ClientTest, JsonJobsChangeStateWithJson) {
  fake->pushJson(200, testing::jobInfoJson(jsonJob.id, "insert", "Account", "Aborted"));
  EXPECT_EQ(client.abortJob(jsonJob).state, JobState::Aborted);
  auto request = fake->last();
  EXPECT_EQ(request.header("Content-Type"), "application/json; charset=UTF-8");
  EXPECT_EQ(nlohmann::json::parse(request.body), nlohmann::json({{"state", "Aborted"}}));
}

TEST_F(ClientTest, GetJobInfoParsesEveryCounter) {
  fake->pushXml(200, testing::jobInfoXml(csvJob.id, "insert", "Account", "Closed", "CSV"));
  JobInfo info = client.getJobInfo(csvJob);
  EXPECT_EQ(fake->last().method, "GET");
  EXPECT_EQ(fake->last().url, asyncUrl("job/" + csvJob.id));
  EXPECT_EQ(info.id, csvJob.id);
  EXPECT_EQ(info.object, "Account");
  EXPECT_EQ(info.apiVersion, "59.0");
  EXPECT_EQ(info.createdById, "005D0000001b0fFIAQ");
}

TEST_F(ClientTest, AttachJobRebuildsTheHandle) {
  fake->pushJson(200, testing::jobInfoJson("750D00000004SkGIAU", "upsert", "Contact", "Open"));
  Job job = client.attachJob("750D00000004SkGIAU");
  EXPECT_EQ(job.id, "750D00000004SkGIAU");
  EXPECT_EQ(job.operation, Operation::Upsert);
  EXPECT_EQ(job.object, "Contact");
  EXPECT_EQ(job.contentType, ContentType::JSON);
}

TEST_F(ClientTest, AddBatchPostsBodyBytesWithJobContentType) {
  fake->pushXml(201, testing::batchInfoXml("751D0000000004rIAA", csvJob.id, "Queued"));
  const std::string body = "Name,Description\nAcme,\"multi\nline, \"\"quoted\"\"\"\n";
  BatchInfo batch = client.addBatch(csvJob, body);
  EXPECT_EQ(batch.id, "751D0000000004rIAA");
  EXPECT_EQ(batch.state, BatchState::Queued);
  auto request = fake->last();
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, asyncUrl("job/" + csvJob.id + "/batch"));
  EXPECT_EQ(request.header("Content-Type"), "text/csv; charset=UTF-8");
  EXPECT_EQ(request.body, body);
}

TEST_F(ClientTest, AddBatchConvertsJsonRecordsToTheJobFormat) {
  nlohmann::json records = nlohmann::json::array(
      {{{"Name", "Zoë 東京 🚀"}, {"Phone", nullptr}}, {{"Name", "B, \"two\""}}});
  fake->pushJson(201, testing::batchInfoJson("751D00000004YGZIA2", jsonJob.id, "Queued"));
  client.addBatch(jsonJob, records);
  EXPECT_EQ(fake->last().header("Content-Type"), "application/json; charset=UTF-8");
  EXPECT_EQ(nlohmann::json::parse(fake->last().body), records);

  fake->pushXml(201, testing::batchInfoXml("751D0000000004rIAA", xmlJob.id, "Queued"));
  client.addBatch(xmlJob, records);
  EXPECT_EQ(fake->last().header("Content-Type"), "application/xml; charset=UTF-8");
  EXPECT_NE(fake->last().body.find("<Name>Zoë 東京 🚀</Name>"), std::string::npos);
  EXPECT_NE(fake->last().body.find("xsi:nil=\"true\""), std::string::npos);
}

TEST_F(ClientTest, AddBatchRefusesBadBatchesBeforeSending) {
  EXPECT_THROW(client.addBatch(csvJob, ""), InvalidArgument);
  EXPECT_THROW(client.addBatch(csvJob, nlohmann::json::array()), InvalidArgument);
  EXPECT_THROW(client.addBatch(csvJob, nlohmann::json::object()), InvalidArgument);
  nlohmann::json tooMany = nlohmann::json::array();
  for (int i = 0; i < 10001; ++i) tooMany.push_back({{"Name", "x"}});
  try {
    client.addBatch(csvJob, tooMany);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("10001"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("10000"), std::string::npos) << e.what();
  }
  std::string huge(kMaxBatchBytes + 1, 'a');
  EXPECT_THROW(client.addBatch(csvJob, huge), InvalidArgument);
  EXPECT_THROW(client.addBatch(queryJob, nlohmann::json::array({{{"a", 1}}})), InvalidArgument);
  EXPECT_TRUE(fake->requests().empty());
}

TEST_F(ClientTest, AddBatchStreamsFromIstreamAndFile) {
  std::string body = "Name\n";
  for (int i = 0; i < 5000; ++i) body += "Account " + std::to_string(i) + "\n";
  std::istringstream in(body);
  fake->pushXml(201, testing::batchInfoXml("751D0000000004rIAA", csvJob.id, "Queued"));
  client.addBatch(csvJob, in);
  EXPECT_EQ(fake->last().body, body);

  const std::string path = ::testing::TempDir() + "/sfdc_bulk_batch.csv";
  std::ofstream(path, std::ios::binary) << body;
  fake->pushXml(201, testing::batchInfoXml("751D0000000004sIAA", csvJob.id, "Queued"));
  client.addBatchFromFile(csvJob, path);
  EXPECT_EQ(fake->last().body, body);
  EXPECT_THROW(client.addBatchFromFile(csvJob, path + ".missing"), InvalidArgument);
}

TEST_F(ClientTest, AddBatchFromXmlDocument) {
  pugi::xml_document document;
  document.load_string(
      "<sObjects xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><sObject><Name>A</Name>"
      "</sObject></sObjects>");
  fake->pushXml(201, testing::batchInfoXml("751D0000000004rIAA", xmlJob.id, "Queued"));
  client.addBatch(xmlJob, document);
  EXPECT_NE(fake->last().body.find("<sObject><Name>A</Name></sObject>"), std::string::npos);
  EXPECT_THROW(client.addBatch(csvJob, document), InvalidArgument);
}

struct Contact {
  std::string firstName;
  std::string lastName;
};
void to_json(nlohmann::json& j, const Contact& c) {
  j = {{"FirstName", c.firstName}, {"LastName", c.lastName}};
}

TEST_F(ClientTest, AddRecordsSerializesTypedStructs) {
  std::vector<Contact> contacts = {{"Ada", "Lovelace"}, {"Alan", "Turing, \"A\""}};
  fake->pushXml(201, testing::batchInfoXml("751D0000000004rIAA", csvJob.id, "Queued"));
  client.addRecords(csvJob, contacts);
  EXPECT_EQ(fake->last().body, "FirstName,LastName\nAda,Lovelace\nAlan,\"Turing, \"\"A\"\"\"\n");
}

TEST_F(ClientTest, QueryBatchSendsSoqlWithJobContentType) {
  fake->pushXml(201, testing::batchInfoXml("751D0000000004rIAA", queryJob.id, "Queued"));
  client.addBatch(queryJob, "SELECT Id, Name FROM Account");
  EXPECT_EQ(fake->last().body, "SELECT Id, Name FROM Account");
  EXPECT_EQ(fake->last().header("Content-Type"), "text/csv; charset=UTF-8");
}

TEST_F(ClientTest, BatchStatusCalls) {
  fake->pushXml(200, testing::batchInfoXml("751D0000000004rIAA", csvJob.id, "Failed",
                                           "InvalidBatch : Field name not found : Nmae"));
  BatchInfo info = client.getBatchInfo(csvJob, "751D0000000004rIAA");
  EXPECT_EQ(fake->last().url, asyncUrl("job/" + csvJob.id + "/batch/751D0000000004rIAA"));
  EXPECT_EQ(info.state, BatchState::Failed);
  EXPECT_EQ(info.stateMessage, "InvalidBatch : Field name not found : Nmae");

  fake->pushXml(
      200,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><batchInfoList\n   xmlns=\"http://www."
      "force.com/2009/06/asyncapi/dataload\">\n" +
          testing::batchInfoXml("751A00000000001AAA", csvJob.id, "Completed").substr(38) +
          testing::batchInfoXml("751B00000000001AAA", csvJob.id, "InProgress").substr(38) +
          "</batchInfoList>");
  auto all = client.getAllBatches(csvJob);
  EXPECT_EQ(fake->last().url, asyncUrl("job/" + csvJob.id + "/batch"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "751A00000000001AAA");
  EXPECT_EQ(all[1].state, BatchState::InProgress);

  fake->push(200, "Name\nAcme\n", {{"Content-Type", "text/csv"}});
  EXPECT_EQ(client.getBatchRequest(csvJob, "751A00000000001AAA"), "Name\nAcme\n");
  EXPECT_EQ(fake->last().url, asyncUrl("job/" + csvJob.id + "/batch/751A00000000001AAA/request"));
}

TEST_F(ClientTest, DmlResultsInEachFormat) {
  fake->push(200,
             "\"Id\",\"Success\",\"Created\",\"Error\"\n"
             "\"003D000000Q89kQIAR\",\"true\",\"true\",\"\"\n"
             "\"\",\"false\",\"false\",\"REQUIRED_FIELD_MISSING:Required fields are missing: "
             "[LastName]:LastName --\"\n",
             {{"Content-Type", "text/csv"}});
  auto csv = client.getBatchResult(csvJob, "751A00000000001AAA").records;
  EXPECT_EQ(fake->last().url, asyncUrl("job/" + csvJob.id + "/batch/751A00000000001AAA/result"));
  ASSERT_EQ(csv.size(), 2u);
  EXPECT_EQ(csv[0].id, "003D000000Q89kQIAR");
  EXPECT_TRUE(csv[0].success);
  EXPECT_TRUE(csv[0].created);
  EXPECT_FALSE(csv[1].success);
  ASSERT_EQ(csv[1].errors.size(), 1u);
  EXPECT_EQ(csv[1].errors[0].statusCode, "REQUIRED_FIELD_MISSING");

  fake->pushJson(200,
                 R"([{"success":true,"created":true,"id":"001xx000003DHP0AAO","errors":[]},)"
                 R"({"success":false,"created":false,"id":null,"errors":[{"statusCode":)"
                 R"("REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]",)"
                 R"("fields":["LastName"]}]}])");
  auto json = client.getBatchResult(jsonJob, "751A00000000001AAA").records;
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[1].errors.at(0).fields, std::vector<std::string>{"LastName"});

  fake->pushXml(200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><results xmlns=\"http://www.force.com/"
                "2009/06/asyncapi/dataload\"><result><id>001D000000ISUr3IAH</id><success>true</"
                "success><created>true</created></result></results>");
  auto xml = client.getBatchResult(xmlJob, "751A00000000001AAA").records;
  ASSERT_EQ(xml.size(), 1u);
  EXPECT_EQ(xml[0].id, "001D000000ISUr3IAH");
}

TEST_F(ClientTest, QueryResultsListAndStreamRows) {
  fake->pushXml(200,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><result-list xmlns=\"http://www.force."
                "com/2009/06/asyncapi/dataload\"><result>752x00000004CJE</result><result>"
                "752x00000004CJF</result></result-list>");
  auto ids = client.getBatchResult(queryJob, "751A00000000001AAA").resultIds;
  EXPECT_EQ(ids, (std::vector<std::string>{"752x00000004CJE", "752x00000004CJF"}));

  fake->push(200, "\"Id\",\"Name\"\n\"001A\",\"Acme, Inc.\"\n\"001B\",\"Zoë\"\n",
             {{"Content-Type", "text/csv"}});
  auto reader = client.getQueryResult(queryJob, "751A00000000001AAA", "752x00000004CJE");
  EXPECT_EQ(fake->last().url,
            asyncUrl("job/" + queryJob.id + "/batch/751A00000000001AAA/result/752x00000004CJE"));
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"Id", "Name"}));
  std::vector<std::string> row;
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"001A", "Acme, Inc."}));
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row[1], "Zoë");
  EXPECT_FALSE(reader.nextRow(row));
}

TEST_F(ClientTest, ErrorResponsesBecomeApiErrors) {
  fake->pushXml(400, testing::errorXml("InvalidJob", "Invalid job id"));
  try {
    client.getJobInfo(csvJob);
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_EQ(e.exceptionCode(), "InvalidJob");
    EXPECT_EQ(e.exceptionMessage(), "Invalid job id");
    EXPECT_EQ(e.jobId(), csvJob.id);
  }
  fake->pushJson(400, testing::errorJson("InvalidBatch", "Records not processed"));
  try {
    client.getBatchInfo(jsonJob, "751A00000000001AAA");
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "InvalidBatch");
    EXPECT_EQ(e.batchId(), "751A00000000001AAA");
  }
}

TEST_F(ClientTest, IdempotentRequestsRetryOnServiceUnavailable) {
  fake->push(503, "busy", {{"Retry-After", "0"}});
  fake->push(502, "bad gateway");
  fake->pushTransportError(true, true);
  fake->pushXml(200, testing::jobInfoXml(csvJob.id, "insert", "Account", "Open", "CSV"));
  EXPECT_EQ(client.getJobInfo(csvJob).id, csvJob.id);
  EXPECT_EQ(fake->requests().size(), 4u);
  EXPECT_EQ(client.requestCount(), 4u);
  // Retry-After: 0, then the backoff of retries 2 and 3 (1 ms doubling, capped at 5 ms).
  EXPECT_EQ(pacing.sleeps(), (std::vector<std::chrono::milliseconds>{
                                 std::chrono::milliseconds(0), std::chrono::milliseconds(1),
                                 std::chrono::milliseconds(3)}));
}

TEST_F(ClientTest, AddBatchIsNotResentAfterAmbiguousFailures) {
  fake->push(500, "internal error");
  EXPECT_THROW(client.addBatch(csvJob, "Name\nA\n"), ApiError);
  EXPECT_EQ(fake->requests().size(), 1u);

  fake->pushTransportError(true, true);
  EXPECT_THROW(client.addBatch(csvJob, "Name\nA\n"), TransportError);
  EXPECT_EQ(fake->requests().size(), 2u);

  // Refused before the body went out, or explicitly throttled: safe to resend.
  fake->pushTransportError(true, false);
  fake->push(503, "busy", {{"Retry-After", "0"}});
  fake->pushXml(201, testing::batchInfoXml("751A00000000001AAA", csvJob.id, "Queued"));
  EXPECT_EQ(client.addBatch(csvJob, "Name\nA\n").id, "751A00000000001AAA");
  EXPECT_EQ(fake->requests().size(), 5u);
}

TEST_F(ClientTest, RetriesStopAtMaxAttempts) {
  for (int i = 0; i < 5; ++i) fake->push(503, "busy");
  try {
    client.getJobInfo(csvJob);
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 503);
  }
  EXPECT_EQ(fake->requests().size(), 5u);
}

TEST_F(ClientTest, StaticTokenCannotBeRefreshed) {
  fake->pushXml(400, testing::errorXml("InvalidSessionId", "Invalid session id"));
  EXPECT_THROW(client.getJobInfo(csvJob), AuthError);
}

Config refreshConfig() {
  Config config;
  config.baseUrl = "https://ignored.example.com";
  config.clientConfig = RefreshTokenConfig{"client-id", "client-s3cret", "refresh-t0ken",
                                           "https://login.example.com/services/oauth2/token"};
  config.retry.initialBackoff = std::chrono::milliseconds(1);
  return config;
}

// A token, the session refused, a new token, refused again, until the renewals run out.
constexpr std::size_t kRejectedTokens = detail::kMaxSessionRenewals + 1;
void pushRejectedEveryTime(FakeTransport& fake) {
  for (std::size_t i = 0; i < kRejectedTokens; ++i) {
    fake.pushJson(
        200, testing::tokenJson("token-" + std::to_string(i) + "-aaaa", "https://my.example.com"));
    fake.pushXml(400, testing::errorXml("InvalidSessionId", "Invalid session id"));
  }
}

TEST(ClientAuthTest, RefreshesOnInvalidSessionAndReplaysOnce) {
  auto fake = std::make_shared<FakeTransport>();
  std::vector<std::string> logs;
  Config config = refreshConfig();
  config.logHandler = [&logs](LogLevel, std::string_view line) { logs.emplace_back(line); };
  Client client(config, fake);
  fake->pushJson(200, testing::tokenJson("token-one-aaaa", "https://my.example.com"));
  fake->pushXml(400, testing::errorXml("InvalidSessionId", "Invalid session id"));
  fake->pushJson(200, testing::tokenJson("token-two-bbbb", "https://my.example.com"));
  fake->pushXml(200, testing::jobInfoXml("750A00000000001AAA", "insert", "Account", "Open", "CSV"));
  Job job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""};
  EXPECT_EQ(client.getJobInfo(job).id, "750A00000000001AAA");

  auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].url, "https://login.example.com/services/oauth2/token");
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(requests[0].body,
            "grant_type=refresh_token&refresh_token=refresh-t0ken&client_id=client-id"
            "&client_secret=client-s3cret");
  // The token endpoint's instance URL wins over Config::baseUrl.
  EXPECT_EQ(requests[1].url, "https://my.example.com/services/async/59.0/job/750A00000000001AAA");
  EXPECT_EQ(requests[1].header("X-SFDC-Session"), "token-one-aaaa");
  EXPECT_EQ(requests[3].header("X-SFDC-Session"), "token-two-bbbb");
  EXPECT_EQ(client.instanceUrl(), "https://my.example.com");
  for (const auto& line : logs) {
    EXPECT_EQ(line.find("token-one-aaaa"), std::string::npos) << line;
    EXPECT_EQ(line.find("token-two-bbbb"), std::string::npos) << line;
    EXPECT_EQ(line.find("client-s3cret"), std::string::npos) << line;
    EXPECT_EQ(line.find("refresh-t0ken"), std::string::npos) << line;
  }
  EXPECT_FALSE(logs.empty());
}

TEST(ClientAuthTest, RejectionAfterEveryRefreshIsAnAuthError) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  pushRejectedEveryTime(*fake);
  Job job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""};
  EXPECT_THROW(client.getJobInfo(job), AuthError);
  EXPECT_EQ(fake->requests().size(), 2 * kRejectedTokens);
}

TEST(ClientAuthTest, RejectionOfADownloadAfterEveryRefreshIsAnAuthError) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  pushRejectedEveryTime(*fake);
  Job job{"750A00000000001AAA", Operation::Query, "Account", ContentType::CSV, ""};
  EXPECT_THROW(client.getQueryResult(job, "751A00000000001AAA", "752A00000000001AAA"), AuthError);
  EXPECT_EQ(fake->requests().size(), 2 * kRejectedTokens);
}

TEST(ClientAuthTest, StreamedBatchBodyIsReplayedAfterRefresh) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(200, testing::tokenJson("token-one-aaaa", "https://my.example.com"));
  fake->pushXml(400, testing::errorXml("InvalidSessionId", "Invalid session id"));
  fake->pushJson(200, testing::tokenJson("token-two-bbbb", "https://my.example.com"));
  fake->pushXml(201, testing::batchInfoXml("751A00000000001AAA", "750A00000000001AAA", "Queued"));
  Job job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""};
  std::istringstream body("Name\nAcme\n");
  client.addBatch(job, body);
  auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[1].body, "Name\nAcme\n");
  EXPECT_EQ(requests[3].body, "Name\nAcme\n");
}

TEST(ClientAuthTest, InvalidGrantIsAnAuthErrorWithoutSecrets) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(400, R"({"error":"invalid_grant","error_description":"authentication failure"})");
  Job job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""};
  try {
    client.getJobInfo(job);
    FAIL() << "expected AuthError";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.oauthError(), "invalid_grant");
    EXPECT_EQ(e.httpStatus(), 400);
    std::string what = e.what();
    EXPECT_NE(what.find("authentication failure"), std::string::npos);
    EXPECT_EQ(what.find("refresh-t0ken"), std::string::npos);
    EXPECT_EQ(what.find("client-s3cret"), std::string::npos);
  }
}

TEST(ClientAuthTest, PasswordGrantAppendsSecurityToken) {
  auto fake = std::make_shared<FakeTransport>();
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig =
      PasswordConfig{"cid",       "csecret", "user@example.com",
                     "p&ss w0rd", "TOKEN",   "https://login.example.com/services/oauth2/token"};
  Client client(config, fake);
  fake->pushJson(200, testing::tokenJson("token-one-aaaa", "https://my.example.com"));
  fake->pushXml(200, testing::jobInfoXml("750A00000000001AAA", "insert", "Account", "Open", "CSV"));
  client.getJobInfo(Job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""});
  EXPECT_EQ(fake->requests()[0].body,
            "grant_type=password&client_id=cid&client_secret=csecret&username=user%40example.com"
            "&password=p%26ss+w0rdTOKEN");
}

TEST(ClientAuthTest, ConcurrentCallersShareOneTokenFetch) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(200, testing::tokenJson("token-one-aaaa", "https://my.example.com"));
  constexpr int kThreads = 8;
  for (int i = 0; i < kThreads; ++i) {
    fake->pushXml(200,
                  testing::jobInfoXml("750A00000000001AAA", "insert", "Account", "Open", "CSV"));
  }
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      Job job{"750A00000000001AAA", Operation::Insert, "Account", ContentType::CSV, ""};
      if (client.getJobInfo(job).id == "750A00000000001AAA") ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads);
  int tokenRequests = 0;
  for (const auto& r : fake->requests()) tokenRequests += r.url.find("oauth2") != std::string::npos;
  EXPECT_EQ(tokenRequests, 1);
}

TEST_F(ClientTest, GzipRequestsAreFlaggedForTheTransport) {
  Config config = staticConfig();
  config.gzipRequests = true;
  Client gz(config, fake);
  fake->pushXml(201, testing::batchInfoXml("751A00000000001AAA", csvJob.id, "Queued"));
  gz.addBatch(csvJob, "Name\nA\n");
  EXPECT_TRUE(fake->last().gzipBody);
}

TEST_F(ClientTest, ZipBatchesAreNeverGzipped) {
  Config config = staticConfig();
  config.gzipRequests = true;
  Client gz(config, fake);
  Job zipJob = csvJob;
  zipJob.contentType = ContentType::ZIP_CSV;
  fake->pushXml(201, testing::batchInfoXml("751A00000000001AAA", zipJob.id, "Queued"));
  // Not text: the character count does not apply, only the size.
  gz.addBatch(zipJob, std::string("PK\x03\x04 not characters \xff\xfe", 22));
  EXPECT_FALSE(fake->last().gzipBody);
  EXPECT_EQ(fake->last().header("Content-Type").rfind("zip/csv", 0), 0u)
      << fake->last().header("Content-Type");
}

}  // namespace
}  // namespace sfdc::bulk
