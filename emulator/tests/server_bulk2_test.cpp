// The Bulk API 2.0 surface over raw HTTP: routes, status codes, error arrays, the jobInfo
// layout, one upload per job, the line-ending check, result files, locator paging,
// resultPages, listings with 1.0 jobs, faults and session expiry.

#include <map>
#include <set>

#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using nlohmann::json;

class Bulk2ServerTest : public ServerTest {
 protected:
  httplib::Headers bearer(const std::string& accept = {}) const {
    httplib::Headers headers = {{"Authorization", "Bearer " + token_}};
    if (!accept.empty()) headers.emplace("Accept", accept);
    return headers;
  }
  static std::string v2(const std::string& path, const std::string& version = "59.0") {
    return "/services/data/v" + version + "/jobs/" + path;
  }

  httplib::Result send(const std::string& method, const std::string& path,
                       const std::string& body = {}, const std::string& type = "application/json",
                       const std::string& accept = {}) const {
    auto c = client();
    if (method == "GET") return c.Get(path.c_str(), bearer(accept));
    if (method == "POST") return c.Post(path.c_str(), bearer(accept), body, type.c_str());
    if (method == "PUT") return c.Put(path.c_str(), bearer(accept), body, type.c_str());
    if (method == "PATCH") return c.Patch(path.c_str(), bearer(accept), body, type.c_str());
    return c.Delete(path.c_str(), bearer(accept));
  }

  std::string createIngest(const json& body) {
    auto r = send("POST", v2("ingest"), body.dump());
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body)["id"];
  }

  json waitFor(const std::string& kind, const std::string& id) {
    for (int i = 0; i < 2000; ++i) {
      const json info = json::parse(send("GET", v2(kind + "/" + id))->body);
      const std::string state = info["state"];
      if (state == "JobComplete" || state == "Failed" || state == "Aborted") return info;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "job " << id << " never finished";
    return {};
  }

  /// Uploads `csv` to a new insert job, closes it and waits.
  std::string load(const std::string& csv,
                   json create = {{"object", "Contact"}, {"operation", "insert"}}) {
    const std::string id = createIngest(create);
    EXPECT_EQ(send("PUT", v2("ingest/" + id + "/batches"), csv, "text/csv")->status, 201);
    EXPECT_EQ(send("PATCH", v2("ingest/" + id), R"({"state":"UploadComplete"})")->status, 200);
    waitFor("ingest", id);
    return id;
  }

  static void expectError(const httplib::Result& r, int status, const std::string& code) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status) << r->body;
    const json body = json::parse(r->body);
    ASSERT_TRUE(body.is_array()) << r->body;
    ASSERT_EQ(body.size(), 1u);
    EXPECT_EQ(body[0]["errorCode"], code) << r->body;
    EXPECT_TRUE(body[0]["message"].is_string());
  }
};

TEST_F(Bulk2ServerTest, CreateAnswersTheDocumentedKeysInOrder) {
  auto r = send("POST", v2("ingest/"), R"({"object":"Contact","operation":"insert"})");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto info = nlohmann::ordered_json::parse(r->body);
  std::vector<std::string> keys;
  for (const auto& item : info.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "operation", "object", "createdById",
                                            "createdDate", "systemModstamp", "state",
                                            "concurrencyMode", "contentType", "apiVersion",
                                            "contentUrl", "lineEnding", "columnDelimiter"}));
  EXPECT_EQ(info["state"], "Open");
  EXPECT_TRUE(info["apiVersion"].is_number());
  EXPECT_EQ(info["contentUrl"],
            "services/data/v59.0/jobs/ingest/" + info["id"].get<std::string>() + "/batches");
  EXPECT_TRUE(std::regex_match(info["createdDate"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000)")));
  // Open jobs show no record counters.
  const json full = json::parse(send("GET", v2("ingest/" + info["id"].get<std::string>()))->body);
  EXPECT_EQ(full["jobType"], "V2Ingest");
  EXPECT_FALSE(full.contains("numberRecordsProcessed"));
}

TEST_F(Bulk2ServerTest, RefusesWhatTheServiceRefuses) {
  expectError(send("POST", v2("ingest"), R"({"object":"NoSuchObject__c","operation":"insert"})"),
              400, "INVALIDENTITY");
  expectError(send("POST", v2("ingest"), R"({"object":"Contact","operation":"Insert"})"), 400,
              "API_ERROR");
  expectError(send("POST", v2("ingest"), R"({"object":"Contact","operation":"upsert"})"), 400,
              "INVALIDJOB");
  expectError(send("POST", v2("ingest"),
                   R"({"object":"Contact","operation":"insert","columnDelimiter":"COLON"})"),
              400, "API_ERROR");
  expectError(send("GET", v2("ingest/750000000000000AAA")), 404, "NOT_FOUND");
  expectError(send("GET", "/services/data/v59.0/jobs//ingest"), 404, "NOT_FOUND");
  expectError(send("GET", v2("ingest", "40.0")), 404, "NOT_FOUND");
  expectError(send("GET", v2("query", "46.0")), 404, "NOT_FOUND");
  // No token, or a bad one: the REST framework's 401.
  auto c = client();
  expectError(c.Get(v2("ingest").c_str()), 401, "INVALID_SESSION_ID");
  expectError(c.Get(v2("ingest").c_str(), {{"Authorization", "Bearer nope"}}), 401,
              "INVALID_SESSION_ID");
  // The older scheme is accepted too.
  EXPECT_EQ(c.Get(v2("ingest").c_str(), {{"Authorization", "OAuth " + token_}})->status, 200);
  emulator_.expireSessions();
  expectError(send("GET", v2("ingest")), 401, "INVALID_SESSION_ID");
}

TEST_F(Bulk2ServerTest, OneUploadPerJobAndTheLineEndingMustMatch) {
  const std::string twice = createIngest({{"object", "Contact"}, {"operation", "insert"}});
  EXPECT_EQ(send("PUT", v2("ingest/" + twice + "/batches"), "LastName\nA\n", "text/csv")->status,
            201);
  EXPECT_EQ(send("PUT", v2("ingest/" + twice + "/batches"), "LastName\nB\n", "text/csv")->status,
            201);
  auto r = send("PATCH", v2("ingest/" + twice), R"({"state":"UploadComplete"})");
  expectError(r, 400, "INVALIDJOB");
  EXPECT_NE(r->body.find("multipe contents"), std::string::npos);

  const std::string crlf = load("LastName\r\nA\r\n");
  const json failed = json::parse(send("GET", v2("ingest/" + crlf))->body);
  EXPECT_EQ(failed["state"], "Failed");
  EXPECT_EQ(
      failed["errorMessage"],
      "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF");
  EXPECT_EQ(failed["numberRecordsProcessed"], 0);
  // Aborted and closed jobs take no upload; Open jobs cannot be deleted.
  const std::string open = createIngest({{"object", "Contact"}, {"operation", "insert"}});
  expectError(send("DELETE", v2("ingest/" + open)), 400, "API_ERROR");
  EXPECT_EQ(send("PATCH", v2("ingest/" + open), R"({"state":"Aborted"})")->status, 200);
  expectError(send("PUT", v2("ingest/" + open + "/batches"), "LastName\nA\n", "text/csv"), 400,
              "INVALIDJOBSTATE");
  expectError(send("PATCH", v2("ingest/" + open), R"({"state":"UploadComplete"})"), 400,
              "INVALIDJOBSTATE");
  EXPECT_EQ(send("DELETE", v2("ingest/" + open))->status, 204);
  expectError(send("GET", v2("ingest/" + open)), 404, "NOT_FOUND");
}

TEST_F(Bulk2ServerTest, ResultFilesCarryTheInputColumnsOutOfOrder) {
  std::string csv = "LastName;Email\n";
  for (int i = 0; i < 25000; ++i) {
    csv += (i == 7 ? std::string() : "L" + std::to_string(i)) + ";e" + std::to_string(i) +
           "@example.com\n";
  }
  const std::string id =
      load(csv, {{"object", "Contact"}, {"operation", "insert"}, {"columnDelimiter", "SEMICOLON"}});
  const json info = json::parse(send("GET", v2("ingest/" + id))->body);
  EXPECT_EQ(info["state"], "JobComplete");
  EXPECT_EQ(info["numberRecordsProcessed"], 25000);
  EXPECT_EQ(info["numberRecordsFailed"], 1);

  auto ok = send("GET", v2("ingest/" + id + "/successfulResults/"), {}, {}, "text/csv");
  ASSERT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body.substr(0, ok->body.find('\n')), "\"sf__Id\";\"sf__Created\";LastName;Email");
  const auto lines = allMatches(ok->body, "\n(\"[^\n]*)");
  EXPECT_EQ(lines.size(), 24999u);
  // Not in input order: the first data row is not the first input row.
  EXPECT_EQ(lines[0].find("\"L0\";\"e0@example.com\""), std::string::npos) << lines[0];
  auto bad = send("GET", v2("ingest/" + id + "/failedResults"), {}, {}, "text/csv");
  EXPECT_NE(bad->body.find("\"\";\"REQUIRED_FIELD_MISSING:"), std::string::npos) << bad->body;
  EXPECT_NE(bad->body.find("\"e7@example.com\""), std::string::npos);
  auto none = send("GET", v2("ingest/" + id + "/unprocessedRecords"), {}, {}, "text/csv");
  EXPECT_EQ(none->body, "LastName;Email\n");
}

TEST_F(Bulk2ServerTest, QueryResultsArePagedByLocatorUntilNull) {
  std::string csv = "LastName,Email\n";
  for (int i = 0; i < 25; ++i)
    csv += "Q" + std::to_string(i) + ",q" + std::to_string(i) + "@example.com\n";
  load(csv);
  auto r =
      send("POST", v2("query"), R"({"operation":"query","query":"SELECT Email FROM Contact"})");
  ASSERT_EQ(r->status, 200) << r->body;
  const json created = json::parse(r->body);
  EXPECT_EQ(created["state"], "UploadComplete");
  EXPECT_EQ(created["object"], "Contact");
  const std::string id = created["id"];
  // Before completion: 412 (or the job was already done).
  const json done = waitFor("query", id);
  EXPECT_EQ(done["jobType"], "V2Query");
  EXPECT_EQ(done["numberRecordsProcessed"], 25);

  std::set<std::string> emails;
  std::string locator;
  int pages = 0;
  for (;;) {
    std::string path = v2("query/" + id + "/results?maxRecords=10");
    if (!locator.empty()) path += "&locator=" + locator;
    auto page = send("GET", path, {}, {}, "text/csv");
    ASSERT_EQ(page->status, 200) << page->body;
    ++pages;
    EXPECT_EQ(page->body.substr(0, 8), "\"Email\"\n") << "every page has the header";
    for (const auto& email : allMatches(page->body, "\n\"(q\\d+)@example.com\""))
      emails.insert(email);
    EXPECT_EQ(page->get_header_value("Sforce-NumberOfRecords"), pages < 3 ? "10" : "5");
    locator = page->get_header_value("Sforce-Locator");
    if (locator == "null") break;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(emails.size(), 25u);

  expectError(send("GET", v2("query/" + id + "/results?locator=%21%21"), {}, {}, "text/csv"), 400,
              "INVALIDLOCATOR");
  EXPECT_EQ(send("GET", v2("query/" + id + "/results"), {}, {}, "application/json")->status, 406);
  expectError(send("GET", v2("query/" + id + "/results", "60.0"), {}, {}, "text/csv"), 409,
              "API_VERSION_MISMATCH");
  expectError(send("PATCH", v2("query/" + id), R"({"state":"Aborted"})"), 400, "INVALIDJOBSTATE");

  auto links = json::parse(send("GET", v2("query/" + id + "/resultPages"))->body);
  EXPECT_EQ(links["done"], true);
  ASSERT_EQ(links["resultPages"].size(), 1u);
  EXPECT_EQ(send("DELETE", v2("query/" + id))->status, 204);
}

TEST_F(Bulk2ServerTest, SoqlIsCheckedWhenTheJobIsCreated) {
  expectError(
      send("POST", v2("query"), R"({"operation":"query","query":"SELECT Nope__c FROM Contact"})"),
      400, "INVALID_FIELD");
  expectError(
      send("POST", v2("query"), R"({"operation":"query","query":"SELECT Id FROM Nope__c"})"), 400,
      "INVALIDENTITY");
  expectError(
      send("POST", v2("query"), R"({"operation":"select","query":"SELECT Id FROM Contact"})"), 400,
      "API_ERROR");
}

TEST_F(Bulk2ServerTest, ListingsShowBothKindsAndClassicJobs) {
  const std::string v2job = createIngest({{"object", "Contact"}, {"operation", "insert"}});
  auto v1 =
      post("/job",
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?><jobInfo xmlns=\"" + std::string(kXmlNs) +
               "\"><operation>insert</operation><object>Account</object><contentType>CSV</"
               "contentType></jobInfo>",
           "application/xml");
  ASSERT_EQ(v1->status, 201) << v1->body;
  const json list = json::parse(send("GET", v2("ingest"))->body);
  EXPECT_EQ(list["done"], true);
  std::map<std::string, std::string> types;
  for (const auto& record : list["records"]) types[record["id"]] = record["jobType"];
  EXPECT_EQ(types[v2job], "V2Ingest");
  EXPECT_EQ(types[xmlValue(v1->body, "id")], "Classic");
  const json onlyV2 = json::parse(send("GET", v2("ingest?jobType=V2Ingest"))->body);
  EXPECT_EQ(onlyV2["records"].size(), 1u);
}

TEST_F(Bulk2ServerTest, FaultsApplyToBulk2Requests) {
  Faults faults;
  faults.onlyFor = "createJob";
  faults.fail503 = 1;
  emulator_.setFaults(faults);
  auto r = send("POST", v2("ingest"), R"({"object":"Contact","operation":"insert"})");
  EXPECT_EQ(r->status, 503);
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  EXPECT_EQ(send("POST", v2("ingest"), R"({"object":"Contact","operation":"insert"})")->status,
            200);
  const json stats = emulator_.stats();
  EXPECT_EQ(stats["endpoints"].value("POST /jobs/ingest", 0), 2) << stats.dump(2);
}

}  // namespace
}  // namespace sfdc::emulator::testing
