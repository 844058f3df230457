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

#include "../support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

class ExactlyOnceTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    dir = std::filesystem::temp_directory_path() /
          ("sfdc-once-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override {
    EmulatorTest::TearDown();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  std::string writeContacts(const std::string& name, std::size_t rows) {
    const std::string file = (dir / name).string();
    std::ofstream out(file, std::ios::binary);
    out << "FirstName,LastName,Email\n";
    for (std::size_t i = 1; i <= rows; ++i) {
      out << "F" << i << ",L" << i << ",row" << i << "@example.com\n";
    }
    return file;
  }

  LoadOptions fast() const {
    LoadOptions options;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 50ms;
    options.keepResults = true;
    return options;
  }

  // How many records the org holds for each Email (a duplicate shows up as a count of 2).
  std::map<std::string, int> emailCounts() {
    std::map<std::string, int> counts;
    QueryStream rows = client->query("SELECT Id, Email FROM Contact");
    std::vector<std::string> row;
    while (rows.nextRow(row)) ++counts[row.at(1)];
    return counts;
  }

  void expectEachRowOnce(std::size_t rows) {
    const auto counts = emailCounts();
    EXPECT_EQ(counts.size(), rows);
    std::size_t repeated = 0;
    for (const auto& [email, n] : counts) repeated += n > 1 ? 1 : 0;
    EXPECT_EQ(repeated, 0u) << "rows stored more than once";
  }

  std::filesystem::path dir;
};

// The connection the batch goes out on was used before (createJob), so when the server
// closes it without answering, libcurl would treat it as a stale keep-alive connection
// and send the POST again on a new one, creating the batch twice. The transport must
// leave that decision to the caller: the request was sent, the outcome is unknown.
TEST_F(ExactlyOnceTest, TransportNeverResendsABatchAfterTheServerActed) {
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

TEST_F(ExactlyOnceTest, TransportNeverResendsAJobCreationAfterTheServerActed) {
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
TEST_F(ExactlyOnceTest, LoadWithAnswersLostMidLoadCreatesEveryRowOnce) {
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

}  // namespace
}  // namespace sfdc::bulk::testing
