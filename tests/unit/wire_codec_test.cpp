// Golden tests for the Bulk API status documents: every response example of the wire
// reference (§3.4, §4.2, §6.1, §6.3, §7.1, §2.2) plus the variations clients meet.

#include "codec/wire_codec.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>

#include "codec/error_cell.hpp"

namespace sfdc::bulk::detail {
namespace {

// §3.4, XML, verbatim.
constexpr const char* kJobInfoXml = R"(<?xml version="1.0" encoding="UTF-8"?><jobInfo
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <id>750D00000004SkLIAU</id>
 <operation>insert</operation>
 <object>Account</object>
 <createdById>005D0000001b0fFIAQ</createdById>
 <createdDate>2015-12-15T21:41:45.000Z</createdDate>
 <systemModstamp>2015-12-15T21:41:45.000Z</systemModstamp>
 <state>Open</state>
 <concurrencyMode>Parallel</concurrencyMode>
 <contentType>CSV</contentType>
 <numberBatchesQueued>0</numberBatchesQueued>
 <numberBatchesInProgress>0</numberBatchesInProgress>
 <numberBatchesCompleted>0</numberBatchesCompleted>
 <numberBatchesFailed>0</numberBatchesFailed>
 <numberBatchesTotal>0</numberBatchesTotal>
 <numberRecordsProcessed>0</numberRecordsProcessed>
 <numberRetries>0</numberRetries>
 <apiVersion>36.0</apiVersion>
 <numberRecordsFailed>0</numberRecordsFailed>
 <totalProcessingTime>0</totalProcessingTime>
 <apiActiveProcessingTime>0</apiActiveProcessingTime>
 <apexProcessingTime>0</apexProcessingTime>
</jobInfo>)";

// §3.4, JSON, verbatim.
constexpr const char* kJobInfoJson =
    R"({"apexProcessingTime":0,"apiActiveProcessingTime":0,"apiVersion":36.0,"concurrencyMode":"Parallel",
 "contentType":"JSON","createdById":"005D0000001b0fFIAQ","createdDate":"2015-12-15T20:45:25.000+0000",
 "id":"750D00000004SkGIAU","numberBatchesCompleted":0,"numberBatchesFailed":0,
 "numberBatchesInProgress":0,"numberBatchesQueued":0,"numberBatchesTotal":0,"numberRecordsFailed":0,
 "numberRecordsProcessed":0,"numberRetries":0,"object":"Account","operation":"insert","state":"Open",
 "systemModstamp":"2015-12-15T20:45:25.000+0000","totalProcessingTime":0})";

// §4.2, XML, verbatim.
constexpr const char* kBatchInfoXml = R"(<?xml version="1.0" encoding="UTF-8"?><batchInfo
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <id>751D0000000004rIAA</id>
 <jobId>750D0000000002lIAA</jobId>
 <state>Queued</state>
 <createdDate>2009-04-14T18:15:59.000Z</createdDate>
 <systemModstamp>2009-04-14T18:15:59.000Z</systemModstamp>
 <numberRecordsProcessed>0</numberRecordsProcessed>
 <numberRecordsFailed>0</numberRecordsFailed>
 <totalProcessingTime>0</totalProcessingTime>
 <apiActiveProcessingTime>0</apiActiveProcessingTime>
 <apexProcessingTime>0</apexProcessingTime>
</batchInfo>)";

// §4.2, JSON, verbatim.
constexpr const char* kBatchInfoJson =
    R"({"apexProcessingTime":0,"apiActiveProcessingTime":0,"createdDate":"2015-12-15T21:56:43.000+0000",
"id":"751D00000004YGZIA2","jobId":"750D00000004SkVIAU","numberRecordsFailed":0,"numberRecordsProcessed":0,
"state":"Queued","systemModstamp":"2015-12-15T21:56:43.000+0000","totalProcessingTime":0})";

std::string batchInfoElement(const std::string& id, const std::string& state,
                             const std::string& prefix = "") {
  return "<" + prefix + "batchInfo><" + prefix + "id>" + id + "</" + prefix + "id><" + prefix +
         "jobId>750D0000000002lIAA</" + prefix + "jobId><" + prefix + "state>" + state + "</" +
         prefix + "state><" + prefix + "createdDate>2009-04-14T18:15:59.000Z</" + prefix +
         "createdDate><" + prefix + "numberRecordsProcessed>7</" + prefix +
         "numberRecordsProcessed></" + prefix + "batchInfo>";
}

// ---- jobInfo -------------------------------------------------------------------------

TEST(WireCodecJobInfo, ParsesReferenceXml) {
  const JobInfo job = parseJobInfo(kJobInfoXml);
  EXPECT_EQ(job.id, "750D00000004SkLIAU");
  EXPECT_EQ(job.operation, Operation::Insert);
  EXPECT_EQ(job.object, "Account");
  EXPECT_EQ(job.createdById, "005D0000001b0fFIAQ");
  EXPECT_EQ(job.createdDate, "2015-12-15T21:41:45.000Z");
  EXPECT_EQ(job.systemModstamp, "2015-12-15T21:41:45.000Z");
  EXPECT_EQ(job.state, JobState::Open);
  EXPECT_EQ(job.externalIdFieldName, "");
  EXPECT_EQ(job.concurrencyMode, ConcurrencyMode::Parallel);
  EXPECT_EQ(job.contentType, ContentType::CSV);
  EXPECT_EQ(job.numberBatchesTotal, 0);
  EXPECT_EQ(job.apiVersion, "36.0");
  EXPECT_EQ(job.assignmentRuleId, "");
}

TEST(WireCodecJobInfo, ParsesReferenceJson) {
  const JobInfo job = parseJobInfo(kJobInfoJson);
  EXPECT_EQ(job.id, "750D00000004SkGIAU");
  EXPECT_EQ(job.operation, Operation::Insert);
  EXPECT_EQ(job.object, "Account");
  EXPECT_EQ(job.contentType, ContentType::JSON);
  EXPECT_EQ(job.createdDate, "2015-12-15T20:45:25.000+0000");
  EXPECT_EQ(job.apiVersion, "36.0");
  EXPECT_EQ(job.state, JobState::Open);
}

TEST(WireCodecJobInfo, ParsesCountersAndOptionalFields) {
  const std::string xml =
      R"(<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <id>750x</id><operation>upsert</operation><object>Contact</object><state>Closed</state>
 <externalIdFieldName>Ext_Id__c</externalIdFieldName><concurrencyMode>Serial</concurrencyMode>
 <contentType>ZIP_JSON</contentType><numberBatchesQueued>1</numberBatchesQueued>
 <numberBatchesInProgress>2</numberBatchesInProgress><numberBatchesCompleted>3</numberBatchesCompleted>
 <numberBatchesFailed>4</numberBatchesFailed><numberBatchesTotal>10</numberBatchesTotal>
 <numberRecordsProcessed>123456789012</numberRecordsProcessed><numberRetries>5</numberRetries>
 <apiVersion>47.0</apiVersion><assignmentRuleId>01Q000000000001</assignmentRuleId>
 <numberRecordsFailed>6</numberRecordsFailed><totalProcessingTime>700</totalProcessingTime>
 <apiActiveProcessingTime>80</apiActiveProcessingTime><apexProcessingTime>9</apexProcessingTime>
 <fastPathEnabled>false</fastPathEnabled><somethingNew><nested/></somethingNew>
</jobInfo>)";
  const JobInfo job = parseJobInfo(xml);
  EXPECT_EQ(job.operation, Operation::Upsert);
  EXPECT_EQ(job.state, JobState::Closed);
  EXPECT_EQ(job.externalIdFieldName, "Ext_Id__c");
  EXPECT_EQ(job.concurrencyMode, ConcurrencyMode::Serial);
  EXPECT_EQ(job.contentType, ContentType::ZIP_JSON);
  EXPECT_EQ(job.numberBatchesQueued, 1);
  EXPECT_EQ(job.numberBatchesInProgress, 2);
  EXPECT_EQ(job.numberBatchesCompleted, 3);
  EXPECT_EQ(job.numberBatchesFailed, 4);
  EXPECT_EQ(job.numberBatchesTotal, 10);
  EXPECT_EQ(job.numberRecordsProcessed, 123456789012LL);
  EXPECT_EQ(job.numberRetries, 5);
  EXPECT_EQ(job.apiVersion, "47.0");
  EXPECT_EQ(job.assignmentRuleId, "01Q000000000001");
  EXPECT_EQ(job.numberRecordsFailed, 6);
  EXPECT_EQ(job.totalProcessingTime, 700);
  EXPECT_EQ(job.apiActiveProcessingTime, 80);
  EXPECT_EQ(job.apexProcessingTime, 9);
}

TEST(WireCodecJobInfo, NamespacePrefixesAreMatchedByLocalName) {
  const std::string xml =
      R"(<?xml version="1.0"?><ns2:jobInfo xmlns:ns2="http://www.force.com/2009/06/asyncapi/dataload">)"
      R"(<ns2:id>750P</ns2:id><ns2:operation>hardDelete</ns2:operation><ns2:object>Lead</ns2:object>)"
      R"(<ns2:state>Aborted</ns2:state><ns2:contentType>XML</ns2:contentType></ns2:jobInfo>)";
  const JobInfo job = parseJobInfo(xml);
  EXPECT_EQ(job.id, "750P");
  EXPECT_EQ(job.operation, Operation::HardDelete);
  EXPECT_EQ(job.object, "Lead");
  EXPECT_EQ(job.state, JobState::Aborted);
  EXPECT_EQ(job.contentType, ContentType::XML);
}

TEST(WireCodecJobInfo, JsonNullsUnknownKeysAndNumericVersion) {
  const JobInfo job = parseJobInfo(
      "\xEF\xBB\xBF  \n"
      R"({"id":"750J","operation":"queryAll","object":"Account","state":"Failed",)"
      R"("assignmentRuleId":null,"externalIdFieldName":null,"fastPathEnabled":false,)"
      R"("errorMessage":"x","apiVersion":58,"contentType":"CSV","numberRecordsProcessed":"12",)"
      R"("numberBatchesTotal":null,"concurrencyMode":1})");
  EXPECT_EQ(job.id, "750J");
  EXPECT_EQ(job.operation, Operation::QueryAll);
  EXPECT_EQ(job.state, JobState::Failed);
  EXPECT_EQ(job.assignmentRuleId, "");
  EXPECT_EQ(job.externalIdFieldName, "");
  EXPECT_EQ(job.apiVersion, "58.0");
  EXPECT_EQ(job.numberRecordsProcessed, 12);
  EXPECT_EQ(job.numberBatchesTotal, 0);
  EXPECT_EQ(job.concurrencyMode, ConcurrencyMode::Serial);
  EXPECT_EQ(parseJobInfo(R"({"apiVersion":"59.0"})").apiVersion, "59.0");
  EXPECT_EQ(parseJobInfo(R"({"numberRetries":3.0})").numberRetries, 3);
  EXPECT_THROW(parseJobInfo(R"({"numberRetries":3.5})"), ParseError);
}

TEST(WireCodecJobInfo, MalformedBodiesThrowParseErrorWithExcerpt) {
  EXPECT_THROW(parseJobInfo("<jobInfo><id>1</id>"), ParseError);
  EXPECT_THROW(parseJobInfo("{\"id\":"), ParseError);
  EXPECT_THROW(parseJobInfo("not a document"), ParseError);
  EXPECT_THROW(parseJobInfo("<batchInfo/>"), ParseError);
  EXPECT_THROW(parseJobInfo("<jobInfo><numberRetries>many</numberRetries></jobInfo>"), ParseError);
  EXPECT_THROW(parseJobInfo("<jobInfo><operation>INSERT</operation></jobInfo>"), ParseError);
  const std::string longBody = "<jobInfo>" + std::string(5000, 'x');
  try {
    parseJobInfo(longBody);
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("<jobInfo>xxx"), std::string::npos);
    EXPECT_LT(message.size(), 400u);
  }
}

// ---- encoders ------------------------------------------------------------------------

TEST(WireCodecEncode, JobCreateXmlInXsdOrder) {
  JobCreateRequest request;
  request.operation = Operation::Upsert;
  request.object = "Contact";
  request.contentType = ContentType::CSV;
  request.externalIdFieldName = "Ext_Id__c";
  request.concurrencyMode = ConcurrencyMode::Parallel;
  request.assignmentRuleId = "01Q<&>";
  EXPECT_EQ(encodeJobCreate(request, WireFormat::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n"
            "  <operation>upsert</operation>\n"
            "  <object>Contact</object>\n"
            "  <externalIdFieldName>Ext_Id__c</externalIdFieldName>\n"
            "  <concurrencyMode>Parallel</concurrencyMode>\n"
            "  <contentType>CSV</contentType>\n"
            "  <assignmentRuleId>01Q&lt;&amp;&gt;</assignmentRuleId>\n"
            "</jobInfo>\n");
}

TEST(WireCodecEncode, JobCreateXmlOmitsUnsetFieldsAndParsesBack) {
  JobCreateRequest request;
  request.operation = Operation::HardDelete;
  request.object = "Account";
  request.contentType = ContentType::JSON;
  const std::string xml = encodeJobCreate(request, WireFormat::Xml);
  EXPECT_EQ(xml.find("externalIdFieldName"), std::string::npos);
  EXPECT_EQ(xml.find("concurrencyMode"), std::string::npos);
  EXPECT_EQ(xml.find("assignmentRuleId"), std::string::npos);
  const JobInfo job = parseJobInfo(xml);
  EXPECT_EQ(job.operation, Operation::HardDelete);
  EXPECT_EQ(job.contentType, ContentType::JSON);
}

TEST(WireCodecEncode, JobCreateJson) {
  JobCreateRequest request;
  request.operation = Operation::Insert;
  request.object = "Account";
  request.contentType = ContentType::JSON;
  EXPECT_EQ(
      nlohmann::json::parse(encodeJobCreate(request, WireFormat::Json)),
      nlohmann::json::parse(R"({"operation":"insert","object":"Account","contentType":"JSON"})"));
  request.operation = Operation::Upsert;
  request.externalIdFieldName = "Ext__c";
  request.concurrencyMode = ConcurrencyMode::Serial;
  request.assignmentRuleId = "01Q";
  EXPECT_EQ(nlohmann::json::parse(encodeJobCreate(request, WireFormat::Json)),
            nlohmann::json::parse(R"({"operation":"upsert","object":"Account","contentType":"JSON",
              "externalIdFieldName":"Ext__c","concurrencyMode":"Serial","assignmentRuleId":"01Q"})"));
}

TEST(WireCodecEncode, JobState) {
  EXPECT_EQ(encodeJobState(JobState::Closed, WireFormat::Json), R"({"state":"Closed"})");
  EXPECT_EQ(encodeJobState(JobState::Aborted, WireFormat::Xml),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n"
            "  <state>Aborted</state>\n"
            "</jobInfo>\n");
}

TEST(WireCodecEncode, StatusFormat) {
  EXPECT_EQ(statusFormat(ContentType::JSON), WireFormat::Json);
  EXPECT_EQ(statusFormat(ContentType::ZIP_JSON), WireFormat::Json);
  EXPECT_EQ(statusFormat(ContentType::CSV), WireFormat::Xml);
  EXPECT_EQ(statusFormat(ContentType::XML), WireFormat::Xml);
  EXPECT_EQ(statusFormat(ContentType::ZIP_CSV), WireFormat::Xml);
}

// ---- batchInfo -----------------------------------------------------------------------

TEST(WireCodecBatchInfo, ParsesReferenceXml) {
  const BatchInfo batch = parseBatchInfo(kBatchInfoXml);
  EXPECT_EQ(batch.id, "751D0000000004rIAA");
  EXPECT_EQ(batch.jobId, "750D0000000002lIAA");
  EXPECT_EQ(batch.state, BatchState::Queued);
  EXPECT_EQ(batch.stateMessage, "");
  EXPECT_EQ(batch.createdDate, "2009-04-14T18:15:59.000Z");
  EXPECT_EQ(batch.systemModstamp, "2009-04-14T18:15:59.000Z");
  EXPECT_EQ(batch.numberRecordsProcessed, 0);
  EXPECT_FALSE(batch.isTerminal());
}

TEST(WireCodecBatchInfo, ParsesReferenceJson) {
  const BatchInfo batch = parseBatchInfo(kBatchInfoJson);
  EXPECT_EQ(batch.id, "751D00000004YGZIA2");
  EXPECT_EQ(batch.jobId, "750D00000004SkVIAU");
  EXPECT_EQ(batch.state, BatchState::Queued);
  EXPECT_EQ(batch.createdDate, "2015-12-15T21:56:43.000+0000");
}

TEST(WireCodecBatchInfo, FailedWithStateMessage) {
  const BatchInfo batch = parseBatchInfo(
      R"(<batchInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><id>751F</id><jobId>750F</jobId>)"
      R"(<state>Failed</state><stateMessage>InvalidBatch : Field name not found : An_Awesome_Field__c</stateMessage>)"
      R"(<createdDate>2009-04-14T18:15:59.000Z</createdDate><numberRecordsProcessed>3</numberRecordsProcessed>)"
      R"(<numberRecordsFailed>2</numberRecordsFailed><totalProcessingTime>10</totalProcessingTime>)"
      R"(<apiActiveProcessingTime>4</apiActiveProcessingTime><apexProcessingTime>1</apexProcessingTime></batchInfo>)");
  EXPECT_EQ(batch.state, BatchState::Failed);
  EXPECT_EQ(batch.stateMessage, "InvalidBatch : Field name not found : An_Awesome_Field__c");
  EXPECT_EQ(batch.numberRecordsProcessed, 3);
  EXPECT_EQ(batch.numberRecordsFailed, 2);
  EXPECT_EQ(batch.totalProcessingTime, 10);
  EXPECT_EQ(batch.apiActiveProcessingTime, 4);
  EXPECT_EQ(batch.apexProcessingTime, 1);
  EXPECT_TRUE(batch.isTerminal());
  const BatchInfo json = parseBatchInfo(
      R"({"id":"751J","jobId":"750J","state":"NotProcessed","stateMessage":null,"extra":{"a":1}})");
  EXPECT_EQ(json.state, BatchState::NotProcessed);
  EXPECT_EQ(json.stateMessage, "");
}

// ---- batchInfoList -------------------------------------------------------------------

TEST(WireCodecBatchInfoList, XmlManyOneAndZero) {
  const std::string head =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><batchInfoList\n"
      "   xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\">\n";
  const auto many = parseBatchInfoList(head + batchInfoElement("751A", "Completed") +
                                       batchInfoElement("751B", "InProgress") +
                                       "<unknown>1</unknown></batchInfoList>");
  ASSERT_EQ(many.size(), 2u);
  EXPECT_EQ(many[0].id, "751A");
  EXPECT_EQ(many[0].state, BatchState::Completed);
  EXPECT_EQ(many[0].numberRecordsProcessed, 7);
  EXPECT_EQ(many[1].id, "751B");
  EXPECT_EQ(many[1].state, BatchState::InProgress);

  const auto one =
      parseBatchInfoList(head + batchInfoElement("751C", "Failed") + "</batchInfoList>");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].state, BatchState::Failed);

  EXPECT_TRUE(parseBatchInfoList(head + "</batchInfoList>").empty());
  EXPECT_TRUE(parseBatchInfoList(
                  R"(<batchInfoList xmlns="http://www.force.com/2009/06/asyncapi/dataload"/>)")
                  .empty());
}

TEST(WireCodecBatchInfoList, XmlWithPrefixes) {
  const auto list = parseBatchInfoList(
      R"(<a:batchInfoList xmlns:a="http://www.force.com/2009/06/asyncapi/dataload">)" +
      batchInfoElement("751P", "NotProcessed", "a:") + "</a:batchInfoList>");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, "751P");
  EXPECT_EQ(list[0].jobId, "750D0000000002lIAA");
  EXPECT_EQ(list[0].state, BatchState::NotProcessed);
}

TEST(WireCodecBatchInfoList, JsonArrayObjectAndEmpty) {
  const auto many = parseBatchInfoList(std::string(R"({"batchInfo":[)") + kBatchInfoJson +
                                       R"(,{"id":"751Z","jobId":"750Z","state":"Completed"}]})");
  ASSERT_EQ(many.size(), 2u);
  EXPECT_EQ(many[0].id, "751D00000004YGZIA2");
  EXPECT_EQ(many[1].id, "751Z");
  EXPECT_EQ(many[1].state, BatchState::Completed);
  const auto one = parseBatchInfoList(std::string(R"({"batchInfo":)") + kBatchInfoJson + "}");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].jobId, "750D00000004SkVIAU");
  EXPECT_TRUE(parseBatchInfoList(R"({"batchInfo":[]})").empty());
  EXPECT_TRUE(parseBatchInfoList(R"({})").empty());
  EXPECT_THROW(parseBatchInfoList(R"({"batchInfo":7})"), ParseError);
}

// ---- DML results ---------------------------------------------------------------------

TEST(WireCodecDmlResults, ReferenceCsv) {
  const auto results = parseDmlResults(
      "\"Id\",\"Success\",\"Created\",\"Error\"\n"
      "\"003D000000Q89kQIAR\",\"true\",\"true\",\"\"\n"
      "\"\",\"false\",\"false\",\"REQUIRED_FIELD_MISSING:Required fields are missing: "
      "[LastName]:LastName --\"\n");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].id, "003D000000Q89kQIAR");
  EXPECT_TRUE(results[0].success);
  EXPECT_TRUE(results[0].created);
  EXPECT_TRUE(results[0].errors.empty());
  EXPECT_EQ(results[1].id, "");
  EXPECT_FALSE(results[1].success);
  EXPECT_FALSE(results[1].created);
  ASSERT_EQ(results[1].errors.size(), 1u);
  EXPECT_EQ(results[1].errors[0].statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(results[1].errors[0].message, "Required fields are missing: [LastName]");
  EXPECT_EQ(results[1].errors[0].fields, std::vector<std::string>{"LastName"});
}

TEST(WireCodecDmlResults, CsvWithCrlfAndNoResults) {
  const auto results = parseDmlResults(
      "\"Id\",\"Success\",\"Created\",\"Error\"\r\n\"001A\",\"true\",\"false\",\"\"\r\n");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].id, "001A");
  EXPECT_FALSE(results[0].created);
  EXPECT_TRUE(parseDmlResults("\"Id\",\"Success\",\"Created\",\"Error\"\n").empty());
  EXPECT_TRUE(parseDmlResults("").empty());
}

TEST(WireCodecDmlResults, ReferenceXml) {
  const auto results = parseDmlResults(R"(<?xml version="1.0" encoding="UTF-8"?>
<results xmlns="http://www.force.com/2009/06/asyncapi/dataload">
  <result><id>001D000000ISUr3IAH</id><success>true</success><created>true</created></result>
  <result>
    <errors><fields>LastName</fields><message>Required fields are missing: [LastName]</message>
            <statusCode>REQUIRED_FIELD_MISSING</statusCode></errors>
    <success>false</success><created>false</created>
  </result>
</results>)");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].id, "001D000000ISUr3IAH");
  EXPECT_TRUE(results[0].success);
  EXPECT_TRUE(results[0].created);
  EXPECT_EQ(results[1].id, "");
  EXPECT_FALSE(results[1].success);
  ASSERT_EQ(results[1].errors.size(), 1u);
  EXPECT_EQ(results[1].errors[0].statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(results[1].errors[0].message, "Required fields are missing: [LastName]");
  EXPECT_EQ(results[1].errors[0].fields, std::vector<std::string>{"LastName"});
}

TEST(WireCodecDmlResults, XmlWithPrefixesAndSeveralErrors) {
  const auto results = parseDmlResults(
      R"(<p:results xmlns:p="http://www.force.com/2009/06/asyncapi/dataload"><p:result>)"
      R"(<p:errors><p:fields>A</p:fields><p:fields>B</p:fields><p:message>m1</p:message><p:statusCode>C1</p:statusCode></p:errors>)"
      R"(<p:errors><p:message>m2</p:message><p:statusCode>C2</p:statusCode></p:errors>)"
      R"(<p:success>false</p:success><p:created>false</p:created><p:new>x</p:new></p:result></p:results>)");
  ASSERT_EQ(results.size(), 1u);
  ASSERT_EQ(results[0].errors.size(), 2u);
  EXPECT_EQ(results[0].errors[0].fields, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(results[0].errors[0].statusCode, "C1");
  EXPECT_EQ(results[0].errors[1].message, "m2");
  EXPECT_TRUE(results[0].errors[1].fields.empty());
}

TEST(WireCodecDmlResults, ReferenceJson) {
  const auto results = parseDmlResults(
      R"([{"success":true,"created":true,"id":"001xx000003DHP0AAO","errors":[]},
 {"success":false,"created":false,"id":null,
  "errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}]}])");
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].id, "001xx000003DHP0AAO");
  EXPECT_TRUE(results[0].success);
  EXPECT_TRUE(results[0].created);
  EXPECT_TRUE(results[0].errors.empty());
  EXPECT_EQ(results[1].id, "");
  EXPECT_FALSE(results[1].success);
  ASSERT_EQ(results[1].errors.size(), 1u);
  EXPECT_EQ(results[1].errors[0].statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_EQ(results[1].errors[0].message, "Required fields are missing: [LastName]");
  EXPECT_EQ(results[1].errors[0].fields, std::vector<std::string>{"LastName"});
  EXPECT_THROW(parseDmlResults(R"({"not":"an array"})"), ParseError);
}

// ---- CSV Error cells -----------------------------------------------------------------

TEST(WireCodecErrorCell, EmptyAndPlainMessages) {
  EXPECT_TRUE(parseCsvErrorCell("").empty());
  EXPECT_TRUE(parseCsvErrorCell("   ").empty());
  const auto plain = parseCsvErrorCell("something went wrong");
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].statusCode, "");
  EXPECT_EQ(plain[0].message, "something went wrong");
}

TEST(WireCodecErrorCell, MessageWithColonsAndSeveralFields) {
  const auto errors = parseCsvErrorCell(
      "FIELD_CUSTOM_VALIDATION_EXCEPTION:Bad value: see rule: R1:Name,Account.Site --");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].statusCode, "FIELD_CUSTOM_VALIDATION_EXCEPTION");
  EXPECT_EQ(errors[0].message, "Bad value: see rule: R1");
  EXPECT_EQ(errors[0].fields, (std::vector<std::string>{"Name", "Account.Site"}));
}

TEST(WireCodecErrorCell, NoFieldsPart) {
  const auto withEmptyFields = parseCsvErrorCell("UNABLE_TO_LOCK_ROW:unable to obtain lock: --");
  ASSERT_EQ(withEmptyFields.size(), 1u);
  EXPECT_EQ(withEmptyFields[0].statusCode, "UNABLE_TO_LOCK_ROW");
  EXPECT_EQ(withEmptyFields[0].message, "unable to obtain lock");
  EXPECT_TRUE(withEmptyFields[0].fields.empty());

  const auto noTerminator = parseCsvErrorCell("DUPLICATE_VALUE:duplicate value found: [x y]");
  ASSERT_EQ(noTerminator.size(), 1u);
  EXPECT_EQ(noTerminator[0].message, "duplicate value found: [x y]");
  EXPECT_TRUE(noTerminator[0].fields.empty());
}

TEST(WireCodecErrorCell, SeveralErrors) {
  const auto dashes = parseCsvErrorCell("A_ONE:first: msg:F1 --B_TWO:second:F2,F3 --");
  ASSERT_EQ(dashes.size(), 2u);
  EXPECT_EQ(dashes[0].statusCode, "A_ONE");
  EXPECT_EQ(dashes[0].message, "first: msg");
  EXPECT_EQ(dashes[0].fields, std::vector<std::string>{"F1"});
  EXPECT_EQ(dashes[1].statusCode, "B_TWO");
  EXPECT_EQ(dashes[1].message, "second");
  EXPECT_EQ(dashes[1].fields, (std::vector<std::string>{"F2", "F3"}));

  const auto newlines = parseCsvErrorCell("A_ONE:first:F1 --\nB_TWO:second: --\n");
  ASSERT_EQ(newlines.size(), 2u);
  EXPECT_EQ(newlines[1].statusCode, "B_TWO");

  const auto bareNewline = parseCsvErrorCell("A_ONE:first:F1\nB_TWO:second:F2");
  ASSERT_EQ(bareNewline.size(), 2u);
  EXPECT_EQ(bareNewline[0].fields, std::vector<std::string>{"F1"});
  EXPECT_EQ(bareNewline[1].fields, std::vector<std::string>{"F2"});

  // A `--` inside a message does not split it.
  const auto inner = parseCsvErrorCell("X_Y:a -- b:F --");
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(inner[0].message, "a -- b");
}

// ---- result-list ---------------------------------------------------------------------

TEST(WireCodecResultList, ReferenceXmlAndJson) {
  EXPECT_EQ(
      parseResultList(
          R"(<?xml version="1.0" encoding="UTF-8"?><result-list xmlns="http://www.force.com/2009/06/asyncapi/dataload"><result>752x00000004CJE</result></result-list>)"),
      std::vector<std::string>{"752x00000004CJE"});
  EXPECT_EQ(parseResultList(R"(["752x000000000F1","752x000000000F2"])"),
            (std::vector<std::string>{"752x000000000F1", "752x000000000F2"}));
  EXPECT_EQ(
      parseResultList(
          R"(<r:result-list xmlns:r="urn:x"><r:result>A</r:result><r:result>B</r:result></r:result-list>)"),
      (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(
      parseResultList(R"(<result-list xmlns="http://www.force.com/2009/06/asyncapi/dataload"/>)")
          .empty());
  EXPECT_TRUE(parseResultList("[]").empty());
  EXPECT_THROW(parseResultList("[1,2]"), ParseError);
  EXPECT_THROW(parseResultList("752x"), ParseError);
}

// ---- error bodies --------------------------------------------------------------------

TEST(WireCodecErrorBody, ReferenceXmlAndJson) {
  const auto xml = parseErrorBody(R"(<?xml version="1.0" encoding="UTF-8"?><error
   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
 <exceptionCode>InvalidSessionId</exceptionCode>
 <exceptionMessage>Invalid session id</exceptionMessage>
</error>)");
  ASSERT_TRUE(xml.has_value());
  EXPECT_EQ(xml->exceptionCode, "InvalidSessionId");
  EXPECT_EQ(xml->exceptionMessage, "Invalid session id");

  const auto json = parseErrorBody(
      R"({"exceptionCode":"InvalidBatch","exceptionMessage":"Records not processed"})");
  ASSERT_TRUE(json.has_value());
  EXPECT_EQ(json->exceptionCode, "InvalidBatch");
  EXPECT_EQ(json->exceptionMessage, "Records not processed");

  const auto prefixed = parseErrorBody(
      R"(<e:error xmlns:e="http://www.force.com/2009/06/asyncapi/dataload"><e:exceptionCode>InvalidJob</e:exceptionCode><e:exceptionMessage>CreatedById cannot be specified</e:exceptionMessage></e:error>)");
  ASSERT_TRUE(prefixed.has_value());
  EXPECT_EQ(prefixed->exceptionCode, "InvalidJob");
  EXPECT_EQ(prefixed->exceptionMessage, "CreatedById cannot be specified");

  const auto rest = parseErrorBody(
      R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
  ASSERT_TRUE(rest.has_value());
  EXPECT_EQ(rest->exceptionCode, "INVALID_SESSION_ID");
  EXPECT_EQ(rest->exceptionMessage, "Session expired or invalid");
}

TEST(WireCodecErrorBody, NotAnErrorGivesNullopt) {
  EXPECT_FALSE(parseErrorBody(kJobInfoXml).has_value());
  EXPECT_FALSE(parseErrorBody(kJobInfoJson).has_value());
  EXPECT_FALSE(parseErrorBody("<html><body>Bad Gateway</body></html>").has_value());
  EXPECT_FALSE(parseErrorBody("<error><unclosed>").has_value());
  EXPECT_FALSE(parseErrorBody("{broken").has_value());
  EXPECT_FALSE(parseErrorBody("").has_value());
  EXPECT_FALSE(parseErrorBody("Service Unavailable").has_value());
}

}  // namespace
}  // namespace sfdc::bulk::detail
