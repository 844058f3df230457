// Query jobs: result lists, result files in CSV / JSON / XML, split files, the zero-row
// literal and PK chunking.

#include "org.hpp"
#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

class ServerQueryTest : public ServerTest {
 protected:
  ServerQueryTest() : ServerTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o = defaultOptions();
    o.resultFileMaxBytes = 120;  // a few rows per file
    return o;
  }

  void insertAccounts(int n) {
    const std::string jobId = createJob("insert", "Account", "CSV");
    std::string body = "Name\n";
    for (int i = 0; i < n; ++i) body += "Account " + std::to_string(i) + "\n";
    EXPECT_EQ(xmlValue(waitForBatch(jobId, addBatch(jobId, body, "text/csv")), "state"),
              "Completed");
  }

  std::vector<std::string> resultIds(const std::string& jobId, const std::string& batchId) {
    auto r = get("/job/" + jobId + "/batch/" + batchId + "/result");
    EXPECT_TRUE(r);
    std::vector<std::string> ids;
    if (!r) return ids;
    if (r->get_header_value("Content-Type") == "application/json") {
      for (const auto& id : nlohmann::json::parse(r->body)) ids.push_back(id);
      return ids;
    }
    EXPECT_EQ(r->body.rfind(
                  std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><result-list xmlns=\"") +
                      kXmlNs + "\"><result>",
                  0),
              0u)
        << r->body;
    return allMatches(r->body, "<result>([^<]*)</result>");
  }
};

TEST_F(ServerQueryTest, CsvQuerySplitsIntoFilesEachWithAHeader) {
  insertAccounts(8);
  const std::string jobId = createJob("query", "Account", "CSV");
  const std::string soql = "SELECT Id, Name FROM Account";
  const std::string batchId = addBatch(jobId, soql, "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
  EXPECT_EQ(xmlValue(info, "numberRecordsProcessed"), "8");
  const auto ids = resultIds(jobId, batchId);
  ASSERT_GT(ids.size(), 1u);
  std::size_t rows = 0;
  for (const auto& id : ids) {
    EXPECT_EQ(id.size(), 15u);
    EXPECT_EQ(id.rfind("752", 0), 0u);
    auto file = get("/job/" + jobId + "/batch/" + batchId + "/result/" + id);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->get_header_value("Content-Type"), "text/csv");
    EXPECT_EQ(file->body.rfind("\"Id\",\"Name\"\n", 0), 0u) << file->body;
    EXPECT_LE(file->body.size(), 120u);
    rows += static_cast<std::size_t>(std::count(file->body.begin(), file->body.end(), '\n')) - 1;
  }
  EXPECT_EQ(rows, 8u);
  auto echo = get("/job/" + jobId + "/batch/" + batchId + "/request");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, soql);
}

TEST_F(ServerQueryTest, ZeroRowsGiveTheLiteral) {
  const std::string jobId = createJob("query", "Contact", "CSV");
  const std::string batchId = addBatch(jobId, "SELECT Id, LastName FROM Contact", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, batchId), "state"), "Completed");
  const auto ids = resultIds(jobId, batchId);
  ASSERT_EQ(ids.size(), 1u);
  auto file = get("/job/" + jobId + "/batch/" + batchId + "/result/" + ids[0]);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->body, "Records not found for this query");
}

TEST_F(ServerQueryTest, JsonAndXmlQueryResults) {
  insertAccounts(2);
  auto created = post("/job", R"({"operation":"query","object":"Account","contentType":"JSON"})",
                      "application/json");
  ASSERT_TRUE(created);
  const std::string jsonJob = nlohmann::json::parse(created->body)["id"];
  const std::string jsonBatch =
      addBatch(jsonJob, "SELECT Id, Name FROM Account", "application/json");
  EXPECT_EQ(nlohmann::json::parse(waitForBatch(jsonJob, jsonBatch))["state"], "Completed");
  std::size_t records = 0;
  for (const auto& id : resultIds(jsonJob, jsonBatch)) {
    auto file = get("/job/" + jsonJob + "/batch/" + jsonBatch + "/result/" + id);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->get_header_value("Content-Type"), "application/json");
    for (const auto& record : nlohmann::json::parse(file->body)) {
      EXPECT_EQ(record["attributes"]["type"], "Account");
      EXPECT_TRUE(record.contains("Name"));
      ++records;
    }
  }
  EXPECT_EQ(records, 2u);

  const std::string xmlJob = createJob("query", "Account", "XML");
  const std::string xmlBatch = addBatch(xmlJob, "SELECT Id, Name FROM Account", "application/xml");
  EXPECT_EQ(xmlValue(waitForBatch(xmlJob, xmlBatch), "state"), "Completed");
  const auto ids = resultIds(xmlJob, xmlBatch);
  ASSERT_FALSE(ids.empty());
  auto file = get("/job/" + xmlJob + "/batch/" + xmlBatch + "/result/" + ids[0]);
  ASSERT_TRUE(file);
  EXPECT_NE(file->body.find("<queryResult xmlns=\""), std::string::npos);
  EXPECT_TRUE(std::regex_search(
      file->body, std::regex("<records xsi:type=\"sObject\"><type>Account</type><Id>(\\w{18})</Id>"
                             "<Id>\\1</Id><Name>Account \\d</Name></records>")))
      << file->body;
}

TEST_F(ServerQueryTest, PkChunkingSplitsTheBatch) {
  insertAccounts(5);
  const std::string jobId =
      createJob("query", "Account", "CSV", "", {{"Sforce-Enable-PKChunking", "chunkSize=2"}});
  const std::string original = addBatch(jobId, "SELECT Id, Name FROM Account", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, original), "state"), "NotProcessed");
  auto list = get("/job/" + jobId + "/batch");
  ASSERT_TRUE(list);
  std::vector<std::string> chunks;
  for (const auto& id : allMatches(list->body, "<id>(751\\w{15})</id>")) {
    if (id != original) chunks.push_back(id);
  }
  ASSERT_EQ(chunks.size(), 3u) << list->body;
  // Gaps row 80: the chunks are created when the original is split: one createdDate for
  // all of them, the original's systemModstamp, not before the original's createdDate.
  const std::vector<std::string> created =
      allMatches(list->body, "<createdDate>([^<]*)</createdDate>");
  const std::vector<std::string> modstamps =
      allMatches(list->body, "<systemModstamp>([^<]*)</systemModstamp>");
  ASSERT_EQ(created.size(), 4u);
  ASSERT_EQ(allMatches(list->body, "<id>(751\\w{15})</id>").front(), original);
  EXPECT_GE(created[1], created[0]);
  EXPECT_EQ(created[1], modstamps[0]);
  EXPECT_EQ(created[2], created[1]);
  EXPECT_EQ(created[3], created[1]);
  std::size_t rows = 0;
  for (const auto& chunk : chunks) {
    EXPECT_EQ(xmlValue(waitForBatch(jobId, chunk), "state"), "Completed");
    auto request = get("/job/" + jobId + "/batch/" + chunk + "/request");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->body.rfind("SELECT Id, Name FROM Account WHERE Id >= '001", 0), 0u)
        << request->body;
    for (const auto& id : resultIds(jobId, chunk)) {
      auto file = get("/job/" + jobId + "/batch/" + chunk + "/result/" + id);
      ASSERT_TRUE(file);
      rows += static_cast<std::size_t>(std::count(file->body.begin(), file->body.end(), '\n')) - 1;
    }
  }
  EXPECT_EQ(rows, 5u);
  auto parentResult = get("/job/" + jobId + "/batch/" + original + "/result");
  ASSERT_TRUE(parentResult);
  EXPECT_EQ(parentResult->status, 400);
}

// Gaps row 84: a sharing object is chunked by its parent's ids; without `parent` the
// original batch fails and nothing is chunked.
TEST_F(ServerQueryTest, PkChunkingOfASharingObjectNeedsItsParent) {
  emulator_.org().loadSchemaJson(
      R"({"objects":[{"name":"AccountShare","keyPrefix":"00r","fields":[)"
      R"({"name":"AccountId","type":"reference","referenceTo":"Account"}]}]})");
  insertAccounts(3);
  const std::string refused =
      createJob("query", "AccountShare", "CSV", "", {{"Sforce-Enable-PKChunking", "TRUE"}});
  const std::string batch = addBatch(refused, "SELECT Id FROM AccountShare", "text/csv");
  const std::string info = waitForBatch(refused, batch);
  EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
  EXPECT_NE(xmlValue(info, "stateMessage").find("needs the parent option"), std::string::npos)
      << info;
  auto list = get("/job/" + refused + "/batch");
  ASSERT_TRUE(list);
  EXPECT_EQ(allMatches(list->body, "<id>(751\\w{15})</id>").size(), 1u) << list->body;

  const std::string chunked = createJob("query", "AccountShare", "CSV", "",
                                        {{"Sforce-Enable-PKChunking", "parent=Account"}});
  const std::string original = addBatch(chunked, "SELECT Id FROM AccountShare", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(chunked, original), "state"), "NotProcessed");
}

TEST_F(ServerQueryTest, BadSoqlFailsTheBatch) {
  const std::string jobId = createJob("query", "Account", "CSV");
  const std::string batchId = addBatch(jobId, "SELEKT nothing", "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed");
  EXPECT_FALSE(xmlValue(info, "stateMessage").empty());
}

}  // namespace
}  // namespace sfdc::emulator::testing
