// Faults aimed at one kind of request (Faults::onlyFor) after letting some through
// (Faults::skipRequests): how a test hits "the third batch upload" or "the polls".

#include "server_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

using ServerFaultFilterTest = ServerTest;

TEST_F(ServerFaultFilterTest, FaultsHitOnlyTheChosenKindAfterTheSkippedOnes) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  Faults faults;
  faults.fail500 = 1;
  faults.onlyFor = "addBatch";
  faults.skipRequests = 1;
  emulator_.setFaults(faults);

  auto info = get("/job/" + jobId);  // not an upload: untouched, skips nothing
  ASSERT_TRUE(info);
  EXPECT_EQ(info->status, 200);
  auto first = post("/job/" + jobId + "/batch", "Name\nA\n", "text/csv");  // skipped
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 201);
  auto list = get("/job/" + jobId + "/batch");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 200);
  auto second = post("/job/" + jobId + "/batch", "Name\nB\n", "text/csv");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 500);
  auto third = post("/job/" + jobId + "/batch", "Name\nC\n", "text/csv");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 201);

  EXPECT_EQ(emulator_.faults().fail500, 0);
  EXPECT_EQ(emulator_.faults().skipRequests, 0);
  EXPECT_EQ(emulator_.stats()["faultsInjected"]["500"], 1);
}

TEST_F(ServerFaultFilterTest, DropBeforeResponseOnAnUploadCreatesTheBatch) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  Faults faults;
  faults.dropBeforeResponse = 1;
  faults.onlyFor = "addBatch";
  emulator_.setFaults(faults);
  EXPECT_TRUE(get("/job/" + jobId + "/batch"));                             // a poll passes
  EXPECT_FALSE(post("/job/" + jobId + "/batch", "Name\nA\n", "text/csv"));  // no answer at all
  auto list = get("/job/" + jobId + "/batch");
  ASSERT_TRUE(list);
  EXPECT_EQ(allMatches(list->body, "<id>(751[A-Za-z0-9]+)</id>").size(), 1u);
}

TEST_F(ServerFaultFilterTest, EachKindMatchesItsEndpoints) {
  const std::string jobId = createJob("insert", "Account", "CSV");
  const std::string batchId = addBatch(jobId, "Name\nA\n", "text/csv");
  waitForBatch(jobId, batchId);
  const auto failsOnce = [&](const std::string& kind, auto request) {
    Faults faults;
    faults.fail503 = 1;
    faults.retryAfterSeconds = 0;
    faults.onlyFor = kind;
    emulator_.setFaults(faults);
    auto r = request();
    EXPECT_TRUE(r && r->status == 503) << kind;
    EXPECT_EQ(emulator_.faults().fail503, 0) << kind;
  };
  failsOnce("getJob", [&] { return get("/job/" + jobId); });
  failsOnce("pollBatches", [&] { return get("/job/" + jobId + "/batch"); });
  failsOnce("pollBatches", [&] { return get("/job/" + jobId + "/batch/" + batchId); });
  failsOnce("batchResult", [&] { return get("/job/" + jobId + "/batch/" + batchId + "/result"); });
  failsOnce("createJob",
            [&] { return post("/job", jobXml("insert", "Account", "CSV"), "application/xml"); });
  failsOnce("closeJob", [&] {
    return post("/job/" + jobId,
                std::string("<jobInfo xmlns=\"") + kXmlNs + "\"><state>Closed</state></jobInfo>",
                "application/xml");
  });

  // A filter for another kind leaves the request alone and keeps its counters.
  Faults faults;
  faults.fail503 = 1;
  faults.onlyFor = "queryResult";
  emulator_.setFaults(faults);
  auto r = get("/job/" + jobId + "/batch/" + batchId + "/result");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(emulator_.faults().fail503, 1);
}

TEST_F(ServerFaultFilterTest, FilterOverHttpAndUnknownKindsRefused) {
  auto c = client();
  auto set =
      c.Post("/_emulator/faults", R"({"fail503":2,"onlyFor":"pollBatches","skipRequests":3})",
             "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  const auto shown = nlohmann::json::parse(c.Get("/_emulator/faults")->body);
  EXPECT_EQ(shown["onlyFor"], "pollBatches");
  EXPECT_EQ(shown["skipRequests"], 3);
  EXPECT_EQ(shown["fail503"], 2);

  auto bad = c.Post("/_emulator/faults", R"({"onlyFor":"uploads"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("onlyFor"), std::string::npos) << bad->body;
  EXPECT_NE(bad->body.find("addBatch"), std::string::npos) << bad->body;
  EXPECT_EQ(emulator_.faults().onlyFor, "pollBatches");  // unchanged

  Faults unknown;
  unknown.onlyFor = "upload";
  EXPECT_THROW(emulator_.setFaults(unknown), std::invalid_argument);
}

TEST_F(ServerFaultFilterTest, DelaysAreCounted) {
  Faults faults;
  faults.delay = std::chrono::milliseconds(1);
  faults.onlyFor = "getJob";
  emulator_.setFaults(faults);
  ASSERT_TRUE(get("/job/750x0000000000AAAA"));
  ASSERT_TRUE(get("/job/750x0000000000AAAA/batch"));
  EXPECT_EQ(emulator_.stats()["faultsInjected"]["delay"], 1);
}

}  // namespace
}  // namespace sfdc::emulator::testing
