// Exactly once under the faults that reach past the retry loop: an answer lost after the
// server acted, on a connection the transport reused (where libcurl would replay the
// request by itself), and outages longer than one request's retries.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "fault_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

// The connection the batch goes out on was used before (createJob), so when the server
// closes it without answering, libcurl would treat it as a stale keep-alive connection
// and send the POST again on a new one, creating the batch twice. The transport must
// leave that decision to the caller: the request was sent, the outcome is unknown.
TEST_F(FaultTest, TransportNeverResendsABatchAfterTheServerActed) {
  const Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  emulator::Faults faults;
  faults.dropBeforeResponse = 1;
  server->setFaults(faults);
  try {
    client->addBatch(job, std::string("LastName\nOnce\n"));
    ADD_FAILURE() << "addBatch succeeded although the server never answered";
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.requestSent()) << e.what();
  }
  EXPECT_EQ(client->getAllBatches(job).size(), 1u);
  client->abortJob(job);
}

TEST_F(FaultTest, TransportNeverResendsAJobCreationAfterTheServerActed) {
  client->getAllBatches(client->createJob(Operation::Insert, "Contact", ContentType::CSV));
  server->resetStats();
  emulator::Faults faults;
  faults.dropBeforeResponse = 1;
  server->setFaults(faults);
  EXPECT_THROW(client->createJob(Operation::Insert, "Contact", ContentType::CSV), TransportError);
  EXPECT_EQ(server->faults().dropBeforeResponse, 0);
  // One job creation reached the server, not two.
  EXPECT_EQ(server->stats()["endpoints"].value("POST /job", 0), 1) << server->stats().dump(2);
}

// The red-team case: answers dropped after the server created batches, mid-load, on
// reused connections. Every row must be in the org once.
TEST_F(FaultTest, LoadWithAnswersLostMidLoadCreatesEveryRowOnce) {
  constexpr std::size_t kRows = 20'000;
  const std::string file = writeContacts("in.csv", kRows);
  LoadOptions options = fast();
  options.batchSize = 1'000;
  options.concurrency = 2;
  std::atomic<bool> armed{false};
  options.onProgress = [&](const LoadProgress& p) {
    if (p.recordsSent < 4'000 || armed.exchange(true)) return;
    emulator::Faults faults;
    faults.dropBeforeResponse = 3;
    server->setFaults(faults);
  };
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
  EXPECT_TRUE(armed.load());
  EXPECT_EQ(server->faults().dropBeforeResponse, 0);
  EXPECT_EQ(result.succeeded, kRows);
  EXPECT_TRUE(result.duplicates.empty());
  expectEachRowOnce(kRows);
}

// A transport that sends some batch uploads twice and returns the second answer, as a
// misbehaving proxy or an over-eager retry layer might: the only way, with a correct
// transport, to get one batch created twice.
class DoublingTransport final : public HttpTransport {
 public:
  explicit DoublingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  HttpResponse send(const HttpRequest& request) override {
    const bool upload = request.method == "POST" && request.url.size() > 6 &&
                        request.url.compare(request.url.size() - 6, 6, "/batch") == 0;
    if (upload && ++uploads_ == doubleUpload) {
      inner_->send(request);
      if (request.bodySource) request.bodySource->rewind();
    }
    return inner_->send(request);
  }
  std::unique_ptr<HttpResponseStream> open(const HttpRequest& request) override {
    return inner_->open(request);
  }
  int doubleUpload = 3;  ///< which upload (1-based) goes out twice

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::atomic<int> uploads_{0};
};

class DuplicateBatchTest : public FaultTest {
 protected:
  LoadResult loadWithOneBatchTwice(bool deleteDuplicates) {
    auto doubling = std::make_shared<DoublingTransport>(transport);
    Client twice(emulatorConfig(*server), doubling);
    LoadOptions options = fast();
    options.batchSize = 1'000;
    options.concurrency = 2;
    options.deleteDuplicates = deleteDuplicates;
    options.successFile = path("success.csv");
    options.errorFile = path("errors.csv");
    return twice.load(Operation::Insert, "Contact",
                      RecordSource::csvFile(writeContacts("in.csv", kRows)), options);
  }
  static constexpr std::size_t kRows = 10'000;
};

TEST_F(DuplicateBatchTest, ABatchCreatedTwiceIsReportedWithItsRowsAndRecords) {
  const LoadResult result = loadWithOneBatchTwice(false);
  ASSERT_EQ(result.duplicates.size(), 1u);
  const DuplicateBatch& duplicate = result.duplicates.front();
  EXPECT_FALSE(result.allSucceeded());
  EXPECT_FALSE(duplicate.deleted);
  EXPECT_EQ(duplicate.rowCount, 1'000u);
  EXPECT_EQ((duplicate.firstRow - 1) % 1'000, 0u);
  EXPECT_FALSE(duplicate.duplicateOf.empty());
  EXPECT_NE(duplicate.duplicateOf, duplicate.batchId);
  EXPECT_EQ(duplicate.recordIds.size(), 1'000u);
  // The org holds exactly the rows the report names twice, and no others.
  const auto counts = emailCounts();
  EXPECT_EQ(counts.size(), kRows);
  for (std::size_t row = 1; row <= kRows; ++row) {
    const bool repeated = row >= duplicate.firstRow && row < duplicate.firstRow + 1'000;
    ASSERT_EQ(counts.at("row" + std::to_string(row) + "@example.com"), repeated ? 2 : 1) << row;
  }
  // The result files still hold each input row once.
  EXPECT_EQ(csvRows(path("success.csv")), kRows);
  EXPECT_EQ(csvRows(path("errors.csv")), 0u);
}

TEST_F(DuplicateBatchTest, DeleteDuplicatesRemovesTheSecondCopy) {
  const LoadResult result = loadWithOneBatchTwice(true);
  ASSERT_EQ(result.duplicates.size(), 1u);
  EXPECT_TRUE(result.duplicates.front().deleted);
  EXPECT_TRUE(result.allSucceeded());
  expectEachRowOnce(kRows);
}

}  // namespace
}  // namespace sfdc::bulk::testing
