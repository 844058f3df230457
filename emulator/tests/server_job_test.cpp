// Job create / get / close / abort, in XML and JSON, and their errors.

#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using ServerJobTest = ServerTest;

// §3.4, with ids and dates normalised and the values of this request.
const std::string kCreatedXml =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><jobInfo\n"
    "   xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n"
    " <id>750ID</id>\n"
    " <operation>insert</operation>\n"
    " <object>Account</object>\n"
    " <createdById>005ID</createdById>\n"
    " <createdDate>DATEZ</createdDate>\n"
    " <systemModstamp>DATEZ</systemModstamp>\n"
    " <state>Open</state>\n"
    " <concurrencyMode>Parallel</concurrencyMode>\n"
    " <contentType>CSV</contentType>\n"
    " <numberBatchesQueued>0</numberBatchesQueued>\n"
    " <numberBatchesInProgress>0</numberBatchesInProgress>\n"
    " <numberBatchesCompleted>0</numberBatchesCompleted>\n"
    " <numberBatchesFailed>0</numberBatchesFailed>\n"
    " <numberBatchesTotal>0</numberBatchesTotal>\n"
    " <numberRecordsProcessed>0</numberRecordsProcessed>\n"
    " <numberRetries>0</numberRetries>\n"
    " <apiVersion>47.0</apiVersion>\n"
    " <numberRecordsFailed>0</numberRecordsFailed>\n"
    " <totalProcessingTime>0</totalProcessingTime>\n"
    " <apiActiveProcessingTime>0</apiActiveProcessingTime>\n"
    " <apexProcessingTime>0</apexProcessingTime>\n"
    "</jobInfo>";

TEST_F(ServerJobTest, CreateXmlJobReturns201AndTheServerLayout) {
  auto r = post("/job", jobXml("insert", "Account", "CSV"), "application/xml; charset=UTF-8");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/xml");
  EXPECT_EQ(normalized(r->body), kCreatedXml);
  const std::string id = xmlValue(r->body, "id");
  EXPECT_EQ(id.size(), 18u);
  auto got = get("/job/" + id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(normalized(got->body), kCreatedXml);
}

TEST_F(ServerJobTest, CreateJsonJobHasAlphabeticalKeysAndNumericOffsetDates) {
  auto r = post("/job", R"({"operation":"insert","object":"Account","contentType":"JSON"})",
                "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(
      normalized(r->body),
      R"({"apexProcessingTime":0,"apiActiveProcessingTime":0,"apiVersion":47.0,"concurrencyMode":"Parallel",)"
      R"("contentType":"JSON","createdById":"005ID","createdDate":"DATE+0000","id":"750ID",)"
      R"("numberBatchesCompleted":0,"numberBatchesFailed":0,"numberBatchesInProgress":0,)"
      R"("numberBatchesQueued":0,"numberBatchesTotal":0,"numberRecordsFailed":0,)"
      R"("numberRecordsProcessed":0,"numberRetries":0,"object":"Account","operation":"insert",)"
      R"("state":"Open","systemModstamp":"DATE+0000","totalProcessingTime":0})");
}

TEST_F(ServerJobTest, CloseAndAbortInXmlAndJson) {
  const std::string xmlJob = createJob("insert", "Account", "CSV");
  auto closed =
      post("/job/" + xmlJob,
           std::string("<jobInfo xmlns=\"") + kXmlNs + "\"><state>Closed</state></jobInfo>",
           "application/xml");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status, 200);
  EXPECT_EQ(xmlValue(closed->body, "state"), "Closed");
  // Abort of a closed job is allowed; closing it afterwards is not.
  auto aborted = post("/job/" + xmlJob, R"({"state":"Aborted"})", "application/json");
  ASSERT_TRUE(aborted);
  EXPECT_EQ(aborted->status, 200);
  EXPECT_EQ(nlohmann::json::parse(aborted->body)["state"], "Aborted");
  auto reclose = post("/job/" + xmlJob, R"({"state":"Closed"})", "application/json");
  ASSERT_TRUE(reclose);
  EXPECT_EQ(reclose->status, 400);
  EXPECT_EQ(nlohmann::json::parse(reclose->body)["exceptionCode"], "InvalidJobState");
}

TEST_F(ServerJobTest, UpsertJobShowsExternalIdBetweenStateAndConcurrencyMode) {
  auto r = post("/job",
                jobXml("upsert", "Account", "XML",
                       "<externalIdFieldName>External_Id__c</externalIdFieldName>"),
                "application/xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  EXPECT_NE(r->body.find(
                "<state>Open</state>\n <externalIdFieldName>External_Id__c</externalIdFieldName>\n"
                " <concurrencyMode>"),
            std::string::npos);
}

TEST_F(ServerJobTest, NamespacePrefixesAnyOrderAndNumericConcurrencyMode) {
  auto prefixed = post("/job",
                       "<ns2:jobInfo xmlns:ns2=\"http://www.force.com/2009/06/asyncapi/dataload\">"
                       "<ns2:contentType>CSV</ns2:contentType><ns2:object>Contact</ns2:object>"
                       "<ns2:operation>insert</ns2:operation></ns2:jobInfo>",
                       "application/xml");
  ASSERT_TRUE(prefixed);
  EXPECT_EQ(prefixed->status, 201) << prefixed->body;
  EXPECT_EQ(xmlValue(prefixed->body, "object"), "Contact");
  auto serial =
      post("/job",
           R"({"operation":"insert","object":"Account","contentType":"JSON","concurrencyMode":1})",
           "application/json");
  ASSERT_TRUE(serial);
  EXPECT_EQ(serial->status, 201);
  EXPECT_EQ(nlohmann::json::parse(serial->body)["concurrencyMode"], "Serial");
}

class ServerStrictXmlTest : public ServerTest {
 protected:
  ServerStrictXmlTest() : ServerTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o = defaultOptions();
    o.strictXmlOrder = true;
    return o;
  }
};

TEST_F(ServerStrictXmlTest, OutOfOrderElementsAreRejected) {
  auto r = post("/job",
                std::string("<jobInfo xmlns=\"") + kXmlNs +
                    "\"><object>Account</object><operation>insert</operation></jobInfo>",
                "application/xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(xmlValue(r->body, "exceptionCode"), "InvalidXml");
  auto ok = post("/job", jobXml("insert", "Account", "CSV"), "application/xml");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
}

TEST_F(ServerJobTest, CreateErrors) {
  auto entity = post("/job", jobXml("insert", "Foo", "CSV"), "application/xml");
  ASSERT_TRUE(entity);
  EXPECT_EQ(entity->status, 400);
  EXPECT_EQ(xmlValue(entity->body, "exceptionCode"), "InvalidEntity");
  EXPECT_EQ(xmlValue(entity->body, "exceptionMessage"),
            "Entity 'Foo' is not supported by the Bulk API.");

  auto upper = post("/job", jobXml("INSERT", "Account", "CSV"), "application/xml");
  ASSERT_TRUE(upper);
  EXPECT_EQ(xmlValue(upper->body, "exceptionCode"), "InvalidJob");

  auto noExternalId = post("/job", jobXml("upsert", "Account", "CSV"), "application/xml");
  ASSERT_TRUE(noExternalId);
  EXPECT_EQ(xmlValue(noExternalId->body, "exceptionCode"), "InvalidJob");

  auto strayExternalId = post(
      "/job", R"({"operation":"insert","object":"Account","externalIdFieldName":"External_Id__c"})",
      "application/json");
  ASSERT_TRUE(strayExternalId);
  EXPECT_EQ(strayExternalId->status, 400);
  EXPECT_EQ(nlohmann::json::parse(strayExternalId->body)["exceptionCode"], "InvalidJob");
}

TEST_F(ServerJobTest, UnknownJobAndFullJobInfoUpdate) {
  auto unknown = get("/job/750x0000000000AAAA");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(xmlValue(unknown->body, "exceptionCode"), "InvalidJob");

  const std::string jobId = createJob("insert", "Account", "CSV");
  auto full = get("/job/" + jobId);
  ASSERT_TRUE(full);
  std::string body =
      std::regex_replace(full->body, std::regex("<state>Open</state>"), "<state>Closed</state>");
  auto update = post("/job/" + jobId, body, "application/xml");
  ASSERT_TRUE(update);
  EXPECT_EQ(update->status, 400);
  EXPECT_EQ(xmlValue(update->body, "exceptionMessage"), "CreatedById cannot be specified");
}

TEST_F(ServerJobTest, DefaultContentTypeIsXmlAndPkChunkingHeaderIsParsed) {
  const std::string jobId =
      createJob("query", "Account", "CSV", "",
                {{"Sforce-Enable-PKChunking", " chunkSize=2; startRow=001000000000000AAA ;"}});
  EXPECT_FALSE(jobId.empty());
  auto bad =
      client().Post((base() + "/job").c_str(),
                    {{"X-SFDC-Session", token_}, {"Sforce-Enable-PKChunking", "chunkSize=0"}},
                    jobXml("query", "Account", "CSV"), "application/xml");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto noType = post("/job",
                     std::string("<jobInfo xmlns=\"") + kXmlNs +
                         "\"><operation>insert</operation><object>Account</object></jobInfo>",
                     "application/xml");
  ASSERT_TRUE(noType);
  EXPECT_EQ(xmlValue(noType->body, "contentType"), "XML");
}

}  // namespace
}  // namespace sfdc::emulator::testing
