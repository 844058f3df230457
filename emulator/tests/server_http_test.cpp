// HTTP-level behaviour: gzip, trailing slashes, 405, InvalidUrl, faults, counters and
// the /_emulator control endpoints.

#include "gzip.hpp"
#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using ServerHttpTest = ServerTest;

TEST_F(ServerHttpTest, GzipRequestBodiesAndResponses) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  auto c = client();
  c.set_decompress(false);
  httplib::Headers headers = session();
  headers.emplace("Content-Encoding", "gzip");
  headers.emplace("Accept-Encoding", "gzip, deflate, br");
  auto r = c.Post((base() + "/job/" + jobId + "/batch").c_str(), headers,
                  server::gzipCompress("Name\nZipped\n"), "text/csv");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  const std::string info = server::gzipDecompress(r->body);
  const std::string batchId = xmlValue(info, "id");
  waitForBatch(jobId, batchId);
  auto echo = get("/job/" + jobId + "/batch/" + batchId + "/request");
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "Name\nZipped\n");

  httplib::Headers other = session();
  other.emplace("Content-Encoding", "compress");
  auto unsupported =
      c.Post((base() + "/job/" + jobId + "/batch").c_str(), other, "Name\nX\n", "text/csv");
  ASSERT_TRUE(unsupported);
  EXPECT_EQ(unsupported->status, 415);
}

TEST_F(ServerHttpTest, TrailingSlashesAre405AndInvalidUrl) {
  auto c = client();
  auto created = c.Post((base() + "/job/").c_str(), session(), jobXml("insert", "Account", "CSV"),
                        "application/xml");
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201);
  const std::string jobId = xmlValue(created->body, "id");
  auto list = c.Get((base() + "/job/" + jobId + "/batch/").c_str(), session());
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);

  auto del = c.Delete((base() + "/job/" + jobId).c_str(), session());
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  auto put = c.Put((base() + "/job/" + jobId).c_str(), session(), "x", "application/xml");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);

  auto bad = c.Get((base() + "/jobs/" + jobId).c_str(), session());
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(xmlValue(bad->body, "exceptionCode"), "InvalidUrl");
}

TEST_F(ServerHttpTest, Http503And500Faults) {
  Faults faults;
  faults.fail503 = 1;
  faults.retryAfterSeconds = 3;
  faults.fail500 = 1;
  emulator_.setFaults(faults);
  auto first = get("/job/750x0000000000AAAA");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 503);
  EXPECT_EQ(first->get_header_value("Retry-After"), "3");
  auto second = get("/job/750x0000000000AAAA");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 500);
  auto third = get("/job/750x0000000000AAAA");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 400);
  // Control endpoints are never faulted.
  emulator_.setFaults(faults);
  auto c = client();
  auto stats = c.Get("/_emulator/stats");
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->status, 200);
}

TEST_F(ServerHttpTest, DroppedConnectionsStillProcessTheRequest) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  Faults faults;
  faults.dropBeforeResponse = 1;
  emulator_.setFaults(faults);
  auto dropped = post("/job/" + jobId + "/batch", "Name\nA\n", "text/csv");
  EXPECT_FALSE(dropped);  // no response at all
  // The batch exists: a client must reconcile before resending.
  auto list = get("/job/" + jobId + "/batch");
  ASSERT_TRUE(list);
  EXPECT_EQ(xmlValue(list->body, "jobId"), jobId);

  faults = Faults{};
  faults.dropMidResponse = 1;
  emulator_.setFaults(faults);
  auto half = get("/job/" + jobId);
  EXPECT_FALSE(half);
  auto whole = get("/job/" + jobId);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, 200);
}

TEST_F(ServerHttpTest, FaultsAndStatsOverHttp) {
  auto c = client();
  auto set = c.Post("/_emulator/faults", R"({"fail500":1,"delayMs":1})", "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  EXPECT_EQ(emulator_.faults().fail500, 1);
  EXPECT_EQ(emulator_.faults().delay.count(), 1);
  auto failed = get("/job/750x0000000000AAAA");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);

  emulator_.resetStats();
  const std::string jobId = createJob("insert", "Account", "CSV");
  ASSERT_TRUE(get("/job/" + jobId + "/batch"));
  ASSERT_TRUE(get("/job/" + jobId + "/batch"));
  auto stats = c.Get("/_emulator/stats");
  ASSERT_TRUE(stats);
  const auto j = nlohmann::json::parse(stats->body);
  EXPECT_EQ(j["endpoints"]["POST /job"], 1);
  EXPECT_EQ(j["endpoints"]["GET /job/{id}/batch"], 2);
  EXPECT_EQ(j["jobs"][jobId]["endpoints"]["GET /job/{id}/batch"], 2);
  EXPECT_EQ(j["total"], 3);
  EXPECT_EQ(j["throughput"]["workers"], 4);
  EXPECT_EQ(emulator_.stats()["total"], 3);

  auto expire = c.Post("/_emulator/expire-sessions", "", "application/json");
  ASSERT_TRUE(expire);
  auto afterExpiry = get("/job/" + jobId);
  ASSERT_TRUE(afterExpiry);
  EXPECT_EQ(xmlValue(afterExpiry->body, "exceptionCode"), "InvalidSessionId");

  token_ = emulator_.issueAccessToken();
  auto reset = c.Post("/_emulator/reset", "", "application/json");
  ASSERT_TRUE(reset);
  auto gone = get("/job/" + jobId);
  ASSERT_TRUE(gone);
  EXPECT_EQ(xmlValue(gone->body, "exceptionCode"), "InvalidJob");
}

class ServerCharsetTest : public ServerTest {
 protected:
  ServerCharsetTest() : ServerTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o = defaultOptions();
    o.charsetSuffix = true;
    return o;
  }
};

TEST_F(ServerCharsetTest, MediaTypesCarryTheCharsetSuffix) {
  auto r = post("/job", jobXml("insert", "Account", "CSV"), "application/xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/xml; charset=UTF-8");
}

}  // namespace
}  // namespace sfdc::emulator::testing
