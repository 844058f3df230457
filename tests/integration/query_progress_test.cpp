// QueryOptions::onProgress end to end: what the emulator reports while a query's
// batches (Bulk API 1.0, PK chunks one at a time) or its job (2.0) run.

#include <gtest/gtest.h>

#include <vector>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

class QueryProgressTest : public EmulatorTest {
 protected:
  // One worker and a pause per batch: chunks finish one after the other, slowly enough
  // for polls to see them part-way.
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions o;
    o.workers = 1;
    o.batchLatency = 60ms;
    return o;
  }

  void insertContacts(int count) {
    std::vector<nlohmann::json> records;
    for (int i = 0; i < count; ++i) records.push_back({{"LastName", "L" + std::to_string(i)}});
    LoadOptions options;
    options.pollMinInterval = 5ms;
    ASSERT_TRUE(client->load(Operation::Insert, "Contact", RecordSource::records(records), options)
                    .allSucceeded());
  }

  static QueryOptions polled(std::vector<QueryProgress>& seen) {
    QueryOptions options;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 20ms;
    options.onProgress = [&seen](const QueryProgress& p) { seen.push_back(p); };
    return options;
  }

  static std::size_t drain(QueryStream& stream) {
    std::vector<std::string> row;
    std::size_t rows = 0;
    while (stream.nextRow(row)) ++rows;
    return rows;
  }
};

TEST_F(QueryProgressTest, PkChunkedQueryReportsItsBatchesAsTheyFinish) {
  insertContacts(500);
  std::vector<QueryProgress> seen;
  QueryOptions options = polled(seen);
  options.pkChunking = PkChunking{100, "", ""};
  QueryStream stream = client->query("SELECT Id FROM Contact", options);
  EXPECT_EQ(drain(stream), 500u);
  ASSERT_FALSE(seen.empty());
  bool partWay = false;
  for (const QueryProgress& p : seen) {
    EXPECT_EQ(p.jobId, stream.jobId());
    EXPECT_TRUE(p.jobState.empty());
    const std::size_t total = p.batchesQueued + p.batchesInProgress + p.batchesCompleted;
    if (total == 5 && p.batchesCompleted > 0 && p.batchesCompleted < 5) partWay = true;
  }
  EXPECT_TRUE(partWay) << "no poll saw the chunks part-way";
  // The last poll saw every chunk done, the SOQL batch they replace not counted.
  const QueryProgress& last = seen.back();
  EXPECT_EQ(last.batchesCompleted, 5u);
  EXPECT_EQ(last.batchesQueued + last.batchesInProgress, 0u);
  EXPECT_EQ(last.recordsProcessed, 500);
}

TEST_F(QueryProgressTest, Bulk2QueryReportsItsJobState) {
  insertContacts(50);
  std::vector<QueryProgress> seen;
  QueryOptions options = polled(seen);
  options.api = BulkApi::V2;
  QueryStream stream = client->query("SELECT Id FROM Contact", options);
  EXPECT_EQ(drain(stream), 50u);
  ASSERT_GE(seen.size(), 2u);  // the job as created, then as it finished
  EXPECT_NE(seen.front().jobState, "JobComplete");
  EXPECT_EQ(seen.back().jobState, "JobComplete");
  EXPECT_EQ(seen.back().recordsProcessed, 50);
  for (const QueryProgress& p : seen) EXPECT_EQ(p.jobId, stream.jobId());
}

}  // namespace
}  // namespace sfdc::bulk::testing
