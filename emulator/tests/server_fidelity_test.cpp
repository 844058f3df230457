// The service's answers on error paths and limits, each test naming the row of the
// emulator's fidelity audit it settles (the row numbers of the gaps list).

#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using ServerFidelityTest = ServerTest;

// Row 38: an oversized body is refused on upload, no batch is created.
TEST_F(ServerFidelityTest, OversizedBatchIsRefusedOnUpload) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  std::string body = "Name\n";
  const std::string row(99, 'x');
  while (body.size() <= 10'000'000) body += row + "\n";
  auto r = post("/job/" + jobId + "/batch", body, "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(xmlValue(r->body, "exceptionCode"), "ClientInputError");
  EXPECT_EQ(xmlValue(r->body, "exceptionMessage"),
            "Failed to read request. Exceeded max size limit of 10000000");
  auto list = get("/job/" + jobId + "/batch");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->body.find("<batchInfo>"), std::string::npos) << list->body;

  // Exactly at the limit is accepted.
  body.resize(10'000'000);
  body.back() = '\n';
  auto ok = post("/job/" + jobId + "/batch", body, "text/csv");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201) << ok->body.substr(0, 300);
}

// Row 55: a query on another object than the job's fails with the service's text.
TEST_F(ServerFidelityTest, QueryOnAnotherObjectThanTheJobsFails) {
  const std::string jobId = createJob("query", "Account", "CSV");
  const std::string batchId = addBatch(jobId, "SELECT Id, LastName FROM Contact", "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed");
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "InvalidBatch : Failed to process query: INVALID_TYPE_FOR_OPERATION: The root entity "
            "of the requested query (Contact) does not match the entity of the requested Bulk API "
            "Job (Account).");
  // The object's case does not matter; with PK chunking the check happens too.
  const std::string same = addBatch(jobId, "SELECT Id FROM account", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, same), "state"), "Completed");
  const std::string chunked =
      createJob("query", "Account", "CSV", "", {{"Sforce-Enable-PKChunking", "chunkSize=100"}});
  const std::string wrong = addBatch(chunked, "SELECT Id FROM Lead", "text/csv");
  EXPECT_NE(xmlValue(waitForBatch(chunked, wrong), "stateMessage").find("(Lead) does not match"),
            std::string::npos);
}

// Rows 53 and 54: SOQL errors in the service's shape, with the query's line and position.
TEST_F(ServerFidelityTest, SoqlErrorsNameTheQueryRowAndColumn) {
  const std::string jobId = createJob("query", "Account", "CSV");
  const auto failure = [&](const std::string& soql) {
    const std::string info = waitForBatch(jobId, addBatch(jobId, soql, "text/csv"));
    EXPECT_EQ(xmlValue(info, "state"), "Failed") << soql;
    return xmlValue(info, "stateMessage");
  };
  EXPECT_EQ(failure("SELECT Id, BadField FROM Account"),
            "InvalidBatch : Failed to process query: INVALID_FIELD: SELECT Id, BadField FROM "
            "Account ^ ERROR at Row:1:Column:12 No such column 'BadField' on entity 'Account'. "
            "If you are attempting to use a custom field, be sure to append the '__c' after the "
            "custom field name. Please reference your WSDL or the describe call for the "
            "appropriate names.");
  EXPECT_EQ(failure("SELECT Id,\nNope FROM Account")
                .rfind("InvalidBatch : Failed to process query: INVALID_FIELD: Nope FROM Account ^ "
                       "ERROR at Row:2:Column:1 No such column 'Nope'",
                       0),
            0u);
  EXPECT_EQ(failure("SELEC Id FROM Account")
                .rfind("InvalidBatch : Failed to process query: MALFORMED_QUERY: SELEC Id FROM "
                       "Account ^ ERROR at Row:1:Column:1 unexpected token: SELEC",
                       0),
            0u);
  EXPECT_EQ(failure("SELECT Id FROM Account WHERE Name = 'x"),
            "InvalidBatch : Failed to process query: MALFORMED_QUERY: SELECT Id FROM Account "
            "WHERE Name = 'x ^ ERROR at Row:1:Column:37 unterminated string literal");
}

// Row 72: JSON query results carry datetimes as epoch milliseconds; CSV keeps the text.
TEST_F(ServerFidelityTest, JsonQueryDatetimesAreEpochMilliseconds) {
  const std::string insert = createJob("insert", "Opportunity", "CSV");
  waitForBatch(
      insert, addBatch(insert, "Name,StageName,CloseDate\nO,Prospecting,2024-05-01\n", "text/csv"));
  auto created =
      post("/job", R"({"operation":"query","object":"Opportunity","contentType":"JSON"})",
           "application/json");
  ASSERT_TRUE(created);
  const std::string jobId = nlohmann::json::parse(created->body)["id"];
  const std::string batchId =
      addBatch(jobId, "SELECT Id, CreatedDate, CloseDate FROM Opportunity", "application/json");
  waitForBatch(jobId, batchId);
  auto list = get("/job/" + jobId + "/batch/" + batchId + "/result");
  ASSERT_TRUE(list);
  const std::string resultId = nlohmann::json::parse(list->body).at(0);
  auto file = get("/job/" + jobId + "/batch/" + batchId + "/result/" + resultId);
  ASSERT_TRUE(file);
  const auto record = nlohmann::json::parse(file->body).at(0);
  ASSERT_TRUE(record["CreatedDate"].is_number_integer()) << file->body;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_LE(record["CreatedDate"].get<long long>(), now);
  EXPECT_GT(record["CreatedDate"].get<long long>(), now - 60'000);
  EXPECT_EQ(record["CloseDate"], "2024-05-01");  // date-only fields stay text

  const std::string csvJob = createJob("query", "Opportunity", "CSV");
  const std::string csvBatch = addBatch(csvJob, "SELECT CreatedDate FROM Opportunity", "text/csv");
  waitForBatch(csvJob, csvBatch);
  auto csvList = get("/job/" + csvJob + "/batch/" + csvBatch + "/result");
  ASSERT_TRUE(csvList);
  const std::string csvId = xmlValue(csvList->body, "result");
  auto csv = get("/job/" + csvJob + "/batch/" + csvBatch + "/result/" + csvId);
  ASSERT_TRUE(csv);
  EXPECT_TRUE(
      std::regex_search(csv->body, std::regex(R"("\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")")))
      << csv->body;
}

// Row 44: JSON needs API 36.0, query needs 21.0.
TEST_F(ServerFidelityTest, ApiVersionGates) {
  auto c = client();
  const auto create = [&](const char* version, const std::string& operation,
                          const std::string& contentType) {
    auto r = c.Post((std::string("/services/async/") + version + "/job").c_str(), session(),
                    jobXml(operation, "Account", contentType), "application/xml");
    EXPECT_TRUE(r);
    return r ? std::make_pair(r->status, xmlValue(r->body, "exceptionMessage"))
             : std::make_pair(0, std::string());
  };
  EXPECT_EQ(create("35.0", "insert", "JSON"),
            std::make_pair(400, std::string("JSON content type is not supported")));
  EXPECT_EQ(create("36.0", "insert", "JSON").first, 201);
  EXPECT_EQ(create("20.0", "query", "CSV"),
            std::make_pair(
                400, std::string("Bulk API query is only available in version 21.0 and above")));
  EXPECT_EQ(create("21.0", "query", "CSV").first, 201);
  EXPECT_EQ(create("20.0", "insert", "CSV").first, 201);
}

// Row 92: the rolling batch allocation, here 2 batches per second.
class AllocationTest : public ServerTest {
 protected:
  AllocationTest() : ServerTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o = defaultOptions();
    o.batchAllocation = 2;
    o.batchAllocationWindow = std::chrono::seconds(1);
    return o;
  }
};

TEST_F(AllocationTest, BatchesOverTheAllocationAreRefusedUntilItFrees) {
  const std::string open = createJob("insert", "Account", "CSV");
  const std::string closed = createJob("insert", "Account", "CSV");
  ASSERT_TRUE(post("/job/" + closed, R"({"state":"Closed"})", "application/json"));
  addBatch(open, "Name\nA\n", "text/csv");
  // A batch sent to a closed job is not created but counts (DOC limits page).
  auto late = post("/job/" + closed + "/batch", "Name\nB\n", "text/csv");
  ASSERT_TRUE(late);
  EXPECT_EQ(xmlValue(late->body, "exceptionCode"), "InvalidJobState");
  auto refused = post("/job/" + open + "/batch", "Name\nC\n", "text/csv");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(xmlValue(refused->body, "exceptionCode"), "ExceededQuota");
  EXPECT_EQ(xmlValue(refused->body, "exceptionMessage"), "ApiBatchItems Limit exceeded.");
  EXPECT_EQ(emulator_.stats()["throughput"]["batchAllocationUsed"], 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto again = post("/job/" + open + "/batch", "Name\nC\n", "text/csv");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201) << again->body;
}

// Row 56: compound address fields cannot be selected in a bulk query.
TEST_F(ServerFidelityTest, CompoundAddressInABulkQueryFails) {
  const std::string jobId = createJob("query", "Account", "CSV");
  const std::string batchId = addBatch(jobId, "SELECT Id, BillingAddress FROM Account", "text/csv");
  const std::string info = waitForBatch(jobId, batchId);
  EXPECT_EQ(xmlValue(info, "state"), "Failed");
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "InvalidBatch : Failed to process query: FUNCTIONALITY_NOT_ENABLED: Selecting "
            "compound data not supported in Bulk Query");
  // Its parts can, and an unknown *Address field is still an unknown column.
  const std::string parts = addBatch(jobId, "SELECT BillingStreet FROM Account", "text/csv");
  EXPECT_EQ(xmlValue(waitForBatch(jobId, parts), "state"), "Completed");
  const std::string unknown = addBatch(jobId, "SELECT FooAddress FROM Account", "text/csv");
  EXPECT_NE(xmlValue(waitForBatch(jobId, unknown), "stateMessage").find("INVALID_FIELD"),
            std::string::npos);
}

// Row 32: a jobInfo request must be XML or JSON.
TEST_F(ServerFidelityTest, JobRequestInAnotherMediaTypeIsRefused) {
  auto c = client();
  auto r =
      c.Post((base() + "/job").c_str(), session(), jobXml("insert", "Account", "CSV"), "text/xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(xmlValue(r->body, "exceptionCode"), "UnsupportedContentType");
  EXPECT_EQ(xmlValue(r->body, "exceptionMessage"), "Unsupported content type: text/xml");
  // application/xml with a charset, as clients send it, is taken.
  EXPECT_FALSE(createJob("insert", "Account", "CSV").empty());
}

// Row 94: a job takes batches for jobBatchWindow (the service's 24 hours) after creation.
class JobAgeTest : public ServerTest {
 protected:
  static EmulatorOptions withWindow() {
    EmulatorOptions o;
    o.jobBatchWindow = std::chrono::milliseconds(200);
    return o;
  }
  JobAgeTest() : ServerTest(withWindow()) {}
};

TEST_F(JobAgeTest, OldJobRefusesNewBatches) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  EXPECT_FALSE(addBatch(jobId, "Name\nA\n", "text/csv").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto r = post("/job/" + jobId + "/batch", "Name\nB\n", "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(xmlValue(r->body, "exceptionCode"), "InvalidJobState");
  EXPECT_NE(xmlValue(r->body, "exceptionMessage").find("created more than 200 ms ago"),
            std::string::npos)
      << r->body;
}

}  // namespace
}  // namespace sfdc::emulator::testing
