// The emulator's network model (EmulatorOptions::roundTripTime, bandwidthBytesPerSecond)
// seen through the real client and CurlTransport: answers come at least one round trip
// after their request, bodies cross no faster than the bandwidth in either direction, and
// each connection has a bandwidth of its own. Only lower bounds are asserted (a loaded
// machine makes everything slower, never faster); ordering stands in for "in parallel".

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kRoundTrip = 150ms;
constexpr std::uint64_t kBytesPerSecond = 1'000'000;
constexpr std::size_t kBodyBytes = 400'000;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A CSV batch of about kBodyBytes bytes: rows with a long Description.
std::string contactsCsv() {
  std::string body = "LastName,Description\n";
  const std::string description(950, 'd');
  for (int i = 0; body.size() < kBodyBytes; ++i) {
    appendCsvRow(body, {"Last" + std::to_string(i), description});
  }
  return body;
}

class RoundTripTest : public EmulatorTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions o;
    o.roundTripTime = kRoundTrip;
    return o;
  }
};

TEST_F(RoundTripTest, EveryAnswerTakesARoundTripAndANewConnectionOneMore) {
  // A new client: the token request on a new connection (handshake + round trip), then
  // the job creation on the same connection.
  const auto first = Clock::now();
  const Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  EXPECT_GE(secondsSince(first), 3 * 0.150);

  const auto second = Clock::now();
  const JobInfo info = client->getJobInfo(job);
  EXPECT_GE(secondsSince(second), 0.150);
  EXPECT_EQ(info.id, job.id);
  EXPECT_EQ(server->stats()["throughput"]["roundTripMs"], 150);
}

class BandwidthTest : public EmulatorTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions o;
    o.bandwidthBytesPerSecond = kBytesPerSecond;
    return o;
  }

  /// A client of its own (its own connection pool), with plain (not gzipped) answers so
  /// that the bytes on the wire are the bytes of the file.
  std::unique_ptr<Client> plainClient() {
    CurlOptions curl;
    curl.acceptGzip = false;
    return std::make_unique<Client>(emulatorConfig(*server), std::make_shared<CurlTransport>(curl));
  }

  /// Inserts contactsCsv() and runs a query over it; returns the job and batch whose
  /// single result file holds about kBodyBytes bytes.
  std::pair<Job, std::string> queryOverContacts(Client& c) {
    const Job insert = c.createJob(Operation::Insert, "Contact", ContentType::CSV);
    const BatchInfo loaded = c.addBatch(insert, std::string_view(contactsCsv()));
    EXPECT_EQ(waitForBatch(insert, loaded.id).state, BatchState::Completed);
    const Job query = c.createJob(Operation::Query, "Contact", ContentType::CSV);
    const BatchInfo batch =
        c.addBatch(query, std::string_view("SELECT Id, LastName, Description FROM Contact"));
    EXPECT_EQ(waitForBatch(query, batch.id).state, BatchState::Completed);
    return {query, batch.id};
  }
};

TEST_F(BandwidthTest, AnUploadTakesItsBytesOverTheBandwidth) {
  const Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  const std::string body = contactsCsv();
  const auto start = Clock::now();
  client->addBatch(job, std::string_view(body));
  EXPECT_GE(secondsSince(start), static_cast<double>(body.size()) / kBytesPerSecond);
}

TEST_F(BandwidthTest, ADownloadTakesItsBytesOverTheBandwidthOnAKeptAliveConnection) {
  auto c = plainClient();
  const auto [job, batchId] = queryOverContacts(*c);
  const std::string resultId = c->getBatchResult(job, batchId).resultIds.at(0);
  server->resetStats();
  for (int round = 0; round < 2; ++round) {
    const auto start = Clock::now();
    QueryResultReader reader = c->getQueryResult(job, batchId, resultId);
    std::vector<std::string> row;
    std::size_t rows = 0;
    while (reader.nextRow(row)) ++rows;
    EXPECT_GT(rows, 300u);
    EXPECT_GE(secondsSince(start), static_cast<double>(kBodyBytes) / kBytesPerSecond);
  }
  const auto downloads = server->stats()["queryResultDownloads"];
  EXPECT_EQ(downloads["responses"], 2);
  EXPECT_GE(downloads["bytes"].get<std::size_t>(), 2 * kBodyBytes);
  // Pacing keeps the connection alive: both files came over one.
  EXPECT_EQ(downloads["connections"], 1);
}

TEST_F(BandwidthTest, AGzippedDownloadHoldsTheSameRowsInFewerBytes) {
  auto plain = plainClient();
  const auto [job, batchId] = queryOverContacts(*plain);
  const std::string resultId = plain->getBatchResult(job, batchId).resultIds.at(0);
  const auto rowsOf = [&](Client& c) {
    std::vector<std::vector<std::string>> rows;
    QueryResultReader reader = c.getQueryResult(job, batchId, resultId);
    std::vector<std::string> row;
    while (reader.nextRow(row)) rows.push_back(row);
    return rows;
  };
  server->resetStats();
  const auto expected = rowsOf(*plain);
  const auto plainBytes = server->stats()["queryResultDownloads"]["bytes"].get<std::size_t>();
  server->resetStats();
  // The fixture's client asks for gzip: the file compressed while the query ran.
  EXPECT_EQ(rowsOf(*client), expected);
  EXPECT_LT(server->stats()["queryResultDownloads"]["bytes"].get<std::size_t>(), plainBytes / 4);
}

TEST_F(BandwidthTest, ABulk2PageHoldsTheSameRowsGzippedOrNot) {
  const Job insert = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  const BatchInfo loaded = client->addBatch(insert, std::string_view(contactsCsv()));
  EXPECT_EQ(waitForBatch(insert, loaded.id).state, BatchState::Completed);
  const auto rowsOf = [](Client& c) {
    QueryOptions options;
    options.api = BulkApi::V2;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 20ms;
    QueryStream stream = c.query("SELECT Id, LastName, Description FROM Contact", options);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    while (stream.nextRow(row)) rows.push_back(row);
    return rows;
  };
  auto plain = plainClient();
  server->resetStats();
  const auto expected = rowsOf(*plain);
  const auto plainBytes = server->stats()["queryResultDownloads"]["bytes"].get<std::size_t>();
  EXPECT_GT(expected.size(), 300u);
  server->resetStats();
  // The fixture's client asks for gzip: the page compressed while the job ran.
  EXPECT_EQ(rowsOf(*client), expected);
  EXPECT_LT(server->stats()["queryResultDownloads"]["bytes"].get<std::size_t>(), plainBytes / 4);
}

TEST_F(BandwidthTest, TwoConnectionsDownloadAtTheSameTime) {
  auto setup = plainClient();
  const auto [job, batchId] = queryOverContacts(*setup);
  const std::string resultId = setup->getBatchResult(job, batchId).resultIds.at(0);

  struct Download {
    std::unique_ptr<Client> client;
    Clock::time_point firstRow{};
    Clock::time_point end{};
    double seconds = 0;
  };
  Download downloads[2];
  for (auto& d : downloads) d.client = plainClient();
  // Token and connection first, so that both downloads start together.
  for (auto& d : downloads) d.client->getJobInfo(job);
  std::atomic<int> ready{0};
  const auto download = [&, job = job, batchId = batchId](Download& d) {
    ++ready;
    while (ready < 2) std::this_thread::yield();
    const auto start = Clock::now();
    QueryResultReader reader = d.client->getQueryResult(job, batchId, resultId);
    reader.header();
    d.firstRow = Clock::now();
    std::vector<std::string> row;
    while (reader.nextRow(row)) {
    }
    d.end = Clock::now();
    d.seconds = std::chrono::duration<double>(d.end - start).count();
  };
  std::thread other(download, std::ref(downloads[1]));
  download(downloads[0]);
  other.join();

  for (const auto& d : downloads) {
    EXPECT_GE(d.seconds, static_cast<double>(kBodyBytes) / kBytesPerSecond);
  }
  // Had one connection waited for the other, its first row would have come after the
  // other's last.
  EXPECT_LT(std::max(downloads[0].firstRow, downloads[1].firstRow),
            std::min(downloads[0].end, downloads[1].end));
  EXPECT_EQ(server->stats()["queryResultDownloads"]["connections"], 2);
}

// EmulatorOptions::queryCostPerRecord: a query is charged per row returned at its own
// cost, over both APIs, while the DML cost stays as set.
class QueryCostTest : public EmulatorTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions o;
    o.queryCostPerRecord = 2ms;
    return o;
  }
};

TEST_F(QueryCostTest, AQueryTakesItsRowsTimesTheQueryCost) {
  const Job insert = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  std::string body = "LastName\n";
  for (int i = 0; i < 200; ++i) body += "Last" + std::to_string(i) + "\n";
  const BatchInfo batch = client->addBatch(insert, std::string_view(body));
  EXPECT_EQ(waitForBatch(insert, batch.id).state, BatchState::Completed);
  for (const BulkApi api : {BulkApi::V1, BulkApi::V2}) {
    QueryOptions options;
    options.api = api;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 20ms;
    const auto start = Clock::now();
    QueryStream rows = client->query("SELECT Id FROM Contact", options);
    std::vector<std::string> row;
    std::size_t count = 0;
    while (rows.nextRow(row)) ++count;
    EXPECT_EQ(count, 200u);
    EXPECT_GE(secondsSince(start), 200 * 0.002) << (api == BulkApi::V1 ? "v1" : "v2");
  }
  EXPECT_EQ(server->stats()["throughput"]["queryCostPerRecordUs"], 2000);
  EXPECT_EQ(server->stats()["throughput"]["costPerRecordUs"], 0);
}

}  // namespace
}  // namespace sfdc::bulk::testing
