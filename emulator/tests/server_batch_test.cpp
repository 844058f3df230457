// Batches: CSV / JSON / XML processing, results, request echo, Serial order, abort,
// limits and batch-level faults.

#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using ServerBatchTest = ServerTest;

TEST_F(ServerBatchTest, CsvBatchCompletesWithResultsInInputOrder) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  const std::string body =
      "Name,NumberOfEmployees\r\nAcme,5\r\n,7\r\n\"Quoted \"\"x\"\"\",#N/A\r\n";
  const std::string batchId = addBatch(jobId, body, "text/csv; charset=UTF-8");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "3");
  EXPECT_EQ(xmlValue(info, "numberRecordsFailed"), "1");

  auto result = get("/job/" + jobId + "/batch/" + batchId + "/result");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "text/csv");
  std::istringstream lines(result->body);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, R"("Id","Success","Created","Error")");
  std::getline(lines, line);
  EXPECT_TRUE(std::regex_match(line, std::regex(R"("001\w{15}","true","true","")"))) << line;
  std::getline(lines, line);
  EXPECT_TRUE(
      std::regex_match(line, std::regex(R"("","false","false","REQUIRED_FIELD_MISSING:.* --")")))
      << line;
  std::getline(lines, line);
  EXPECT_TRUE(std::regex_match(line, std::regex(R"("001\w{15}","true","true","")"))) << line;

  auto echo = get("/job/" + jobId + "/batch/" + batchId + "/request");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, body);
  EXPECT_EQ(echo->get_header_value("Content-Type"), "text/csv");

  auto job = get("/job/" + jobId);
  ASSERT_TRUE(job);
  EXPECT_EQ(xmlValue(job->body, "numberBatchesCompleted"), "1");
  EXPECT_EQ(xmlValue(job->body, "numberBatchesTotal"), "1");
  EXPECT_EQ(xmlValue(job->body, "numberRecordsProcessed"), "3");
  EXPECT_EQ(xmlValue(job->body, "numberRecordsFailed"), "1");
}

TEST_F(ServerBatchTest, JsonBatchResultsAndRelationshipByExternalId) {
  auto created = post("/job", R"({"operation":"insert","object":"Account","contentType":"JSON"})",
                      "application/json");
  ASSERT_TRUE(created);
  const std::string accounts = nlohmann::json::parse(created->body)["id"];
  const std::string batchId = addBatch(
      accounts, R"([{"Name":"Parent","External_Id__c":"P-1"},{"Name":null}])", "application/json");
  const auto info = nlohmann::json::parse(waitForBatch(accounts, batchId));
  EXPECT_EQ(info["state"], "Completed");
  auto result = get("/job/" + accounts + "/batch/" + batchId + "/result");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json");
  const auto results = nlohmann::json::parse(result->body);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["success"], true);
  EXPECT_EQ(results[0]["created"], true);
  EXPECT_EQ(results[0]["errors"], nlohmann::json::array());
  EXPECT_EQ(results[1]["success"], false);
  EXPECT_TRUE(results[1]["id"].is_null());
  EXPECT_EQ(results[1]["errors"][0]["statusCode"], "REQUIRED_FIELD_MISSING");

  auto contacts = post("/job", R"({"operation":"insert","object":"Contact","contentType":"JSON"})",
                       "application/json");
  ASSERT_TRUE(contacts);
  const std::string contactJob = nlohmann::json::parse(contacts->body)["id"];
  const std::string contactBatch = addBatch(
      contactJob, R"([{"LastName":"Kid","Account":{"External_Id__c":"P-1"}}])", "application/json");
  EXPECT_EQ(nlohmann::json::parse(waitForBatch(contactJob, contactBatch))["state"], "Completed");
  auto contactResult = get("/job/" + contactJob + "/batch/" + contactBatch + "/result");
  ASSERT_TRUE(contactResult);
  EXPECT_EQ(nlohmann::json::parse(contactResult->body)[0]["success"], true) << contactResult->body;
}

TEST_F(ServerBatchTest, XmlBatchWithNilAndXmlResults) {
  const std::string jobId = createJob("insert", "Account", "XML");
  const std::string body =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sObjects xmlns=\"") + kXmlNs +
      "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
      "<sObject><Name>One</Name><Description xsi:nil=\"true\"/></sObject>"
      "<sObject><Name>Two</Name></sObject></sObjects>";
  const std::string batchId = addBatch(jobId, body, "application/xml");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, batchId), "state"), "Completed");
  auto result = get("/job/" + jobId + "/batch/" + batchId + "/result");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/xml");
  EXPECT_TRUE(std::regex_search(
      result->body,
      std::regex(
          "^<\\?xml version=\"1.0\" encoding=\"UTF-8\"\\?><results xmlns=\"[^\"]+\">\n"
          "<result><id>001\\w{15}</id><success>true</success><created>true</created></result>\n"
          "<result><id>001\\w{15}</id><success>true</success><created>true</created></result>\n"
          "</results>$")))
      << result->body;
}

TEST_F(ServerBatchTest, ContentTypeMustMatchTheJob) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  auto wrong = post("/job/" + jobId + "/batch", "[]", "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(xmlValue(wrong->body, "exceptionCode"), "InvalidBatch");
  auto unknown = post("/job/" + jobId + "/batch", "<x/>", "text/xml");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(xmlValue(unknown->body, "exceptionMessage"), "Unsupported content type: text/xml");
}

TEST_F(ServerBatchTest, BatchToClosedJobAndUnknownBatch) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  auto unknown = get("/job/" + jobId + "/batch/751x0000000000AAAA");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(xmlValue(unknown->body, "exceptionCode"), "InvalidBatch");
  ASSERT_TRUE(post("/job/" + jobId, R"({"state":"Closed"})", "application/json"));
  auto late = post("/job/" + jobId + "/batch", "Name\nX\n", "text/csv");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 400);
  EXPECT_EQ(xmlValue(late->body, "exceptionCode"), "InvalidJobState");
  // Gaps row 21: the service's text.
  EXPECT_EQ(xmlValue(late->body, "exceptionMessage"),
            "Failed to create batch, since the Job is not Open. Current job state is 'Closed'");
}

TEST_F(ServerBatchTest, TooManyRecordsFailTheBatch) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  std::string body = "Name\n";
  for (int i = 0; i < 10001; ++i) body += "A" + std::to_string(i) + "\n";
  const std::string batchId = addBatch(jobId, body, "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed");
  // Gaps row 39: the service's text, which counts the CSV header as a record.
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "InvalidBatch : Exceeded number of records : 10002. Number of records should be less "
            "than or equal to 10001");
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "0");
  EXPECT_NE(info.find("</state>\n <stateMessage>"), std::string::npos);
}

TEST_F(ServerBatchTest, UnknownColumnFailsTheBatchWithTheOrgMessage) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  const std::string batchId = addBatch(jobId, "Name,Nmae\nA,B\n", "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed");
  EXPECT_NE(xmlValue(info, "stateMessage").find("Nmae"), std::string::npos) << info;
}

class ServerSerialTest : public ServerTest {
 protected:
  ServerSerialTest() : ServerTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o = defaultOptions();
    o.batchLatency = std::chrono::milliseconds(20);
    return o;
  }
};

TEST_F(ServerSerialTest, SerialBatchesRunOneAtATimeInOrder) {
  const std::string jobId =
      createJob("insert", "Account", "CSV", "<concurrencyMode>Serial</concurrencyMode>");
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i)
    ids.push_back(addBatch(jobId, "Name\nB" + std::to_string(i) + "\n", "text/csv"));
  int maxInProgress = 0;
  for (int polls = 0; polls < 400; ++polls) {
    auto job = get("/job/" + jobId);
    ASSERT_TRUE(job);
    maxInProgress =
        std::max(maxInProgress, std::stoi(xmlValue(job->body, "numberBatchesInProgress")));
    if (xmlValue(job->body, "numberBatchesCompleted") == "4") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_LE(maxInProgress, 1);
  // Each batch finished before the next one started: end times are ordered.
  auto list = get("/job/" + jobId + "/batch");
  ASSERT_TRUE(list);
  const auto ends = allMatches(list->body, "<systemModstamp>([^<]*)</systemModstamp>");
  ASSERT_EQ(ends.size(), 4u);
  EXPECT_TRUE(std::is_sorted(ends.begin(), ends.end()));
}

TEST_F(ServerSerialTest, AbortTurnsQueuedBatchesIntoNotProcessed) {
  const std::string jobId =
      createJob("insert", "Account", "CSV", "<concurrencyMode>Serial</concurrencyMode>");
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(addBatch(jobId, "Name\nB\n", "text/csv"));
  auto aborted = post("/job/" + jobId, R"({"state":"Aborted"})", "application/json");
  ASSERT_TRUE(aborted);
  EXPECT_EQ(aborted->status, 200);
  const std::string last = waitForBatch(jobId, ids.back());
  EXPECT_EQ(xmlValue(last, "state"), "NotProcessed");
  auto result = get("/job/" + jobId + "/batch/" + ids.back() + "/result");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(xmlValue(result->body, "exceptionCode"), "InvalidBatch");
}

TEST_F(ServerBatchTest, FailBatchMessageAndLockFailures) {
  Faults faults;
  faults.failBatchMessage = "InvalidBatch : Records not processed";
  emulator_.setFaults(faults);
  const std::string jobId = createJob("insert", "Account", "CSV");
  const std::string failed = addBatch(jobId, "Name\nA\n", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, failed), "stateMessage"),
            "InvalidBatch : Records not processed");

  faults = Faults{};
  faults.lockFailureShare = 1.0;
  emulator_.setFaults(faults);
  const std::string locked = addBatch(jobId, "Name\nA\nB\n", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, locked), "state"), "Completed");
  auto result = get("/job/" + jobId + "/batch/" + locked + "/result");
  ASSERT_TRUE(result);
  EXPECT_NE(result->body.find("UNABLE_TO_LOCK_ROW"), std::string::npos) << result->body;
}

}  // namespace
}  // namespace sfdc::emulator::testing
