// Client::submitQuery then Client::attachQuery, end to end against the emulator: a query
// started in one place and read in another gives the same rows as Client::query, over
// Bulk API v1 (CSV, JSON, PK chunking, a batch still running) and 2.0; a job that is not
// a query is refused.

#include <gtest/gtest.h>

#include <set>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

class QueryAttachTest : public EmulatorTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions o;
    o.batchLatency = 300ms;  // the query still runs when it is attached
    return o;
  }
  void SetUp() override {
    EmulatorTest::SetUp();
    std::vector<nlohmann::json> records;
    for (int i = 1; i <= kRows; ++i) records.push_back({{"LastName", "L" + std::to_string(i)}});
    LoadOptions load;
    load.pollMinInterval = 5ms;
    ASSERT_TRUE(client->load(Operation::Insert, "Contact", RecordSource::records(records), load)
                    .allSucceeded());
  }
  QueryOptions queryOptions() {
    QueryOptions o;
    o.pollMinInterval = 5ms;
    o.pollMaxInterval = 50ms;
    o.timeout = 60s;
    return o;
  }
  static std::multiset<std::string> names(QueryStream& stream) {
    std::multiset<std::string> out;
    nlohmann::json record;
    while (stream.nextRecord(record)) out.insert(record.at("LastName").get<std::string>());
    return out;
  }

  static constexpr int kRows = 250;
};

TEST_F(QueryAttachTest, ASubmittedQueryIsReadLaterWithTheSameRows) {
  QueryStream direct = client->query("SELECT LastName FROM Contact", queryOptions());
  const std::multiset<std::string> expected = names(direct);
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(kRows));

  for (const BulkApi api : {BulkApi::V1, BulkApi::V2}) {
    for (const ContentType type : {ContentType::CSV, ContentType::JSON}) {
      if (api == BulkApi::V2 && type != ContentType::CSV) continue;
      SCOPED_TRACE(std::string(api == BulkApi::V1 ? "v1 " : "v2 ") + std::string(toString(type)));
      QueryOptions submit = queryOptions();
      submit.api = api;
      submit.contentType = type;
      const std::string jobId = client->submitQuery("SELECT LastName FROM Contact", submit);
      ASSERT_FALSE(jobId.empty());
      std::vector<QueryProgress> seen;
      QueryOptions attach = queryOptions();
      attach.api = api;
      attach.onProgress = [&](const QueryProgress& p) { seen.push_back(p); };
      QueryStream stream = client->attachQuery(jobId, attach);
      EXPECT_EQ(stream.jobId(), jobId);
      EXPECT_EQ(names(stream), expected);
      ASSERT_FALSE(seen.empty());
      EXPECT_EQ(seen.front().jobId, jobId);
    }
  }
}

TEST_F(QueryAttachTest, APkChunkedQueryIsReadWholeAfterItsSplit) {
  QueryOptions submit = queryOptions();
  PkChunking chunking;
  chunking.chunkSize = 100;
  submit.pkChunking = chunking;
  const std::string jobId = client->submitQuery("SELECT LastName FROM Contact", submit);
  // Attached at once, before or after the split: every chunk's rows, once.
  QueryStream stream = client->attachQuery(jobId, queryOptions());
  const std::multiset<std::string> rows = names(stream);
  EXPECT_EQ(rows.size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(std::set<std::string>(rows.begin(), rows.end()).size(),
            static_cast<std::size_t>(kRows));
  EXPECT_GE(client->getAllBatches(client->attachJob(jobId)).size(), 4u);  // root + 3 chunks
}

TEST_F(QueryAttachTest, AJobThatIsNotAQueryIsRefused) {
  const Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  client->closeJob(job);
  EXPECT_THROW(client->attachQuery(job.id, queryOptions()), InvalidArgument);
}

}  // namespace
}  // namespace sfdc::bulk::testing
