// What a load reports when the network or the input fails it: outages longer than one
// request's retries are ridden out; a load that does stop names its job and gives every
// input row an outcome (in the result files too), never losing or repeating one.

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <set>

#include "fault_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

enum class Outage { ServiceUnavailable, ServerError, DropBeforeAnswer, DropMidAnswer };

std::string name(Outage outage) {
  switch (outage) {
    case Outage::ServiceUnavailable:
      return "ServiceUnavailable";
    case Outage::ServerError:
      return "ServerError";
    case Outage::DropBeforeAnswer:
      return "DropBeforeAnswer";
    case Outage::DropMidAnswer:
      return "DropMidAnswer";
  }
  return "?";
}

emulator::Faults outageOf(Outage outage, int requests) {
  emulator::Faults faults;
  faults.retryAfterSeconds = 0;
  switch (outage) {
    case Outage::ServiceUnavailable:
      faults.fail503 = requests;
      break;
    case Outage::ServerError:
      faults.fail500 = requests;
      break;
    case Outage::DropBeforeAnswer:
      faults.dropBeforeResponse = requests;
      break;
    case Outage::DropMidAnswer:
      faults.dropMidResponse = requests;
      break;
  }
  return faults;
}

class OutageTest : public FaultTest, public ::testing::WithParamInterface<Outage> {};

// Twelve failed requests in a row, more than the five attempts one request gets, hit
// whatever comes next once the first batches are in: uploads, polls, result downloads.
TEST_P(OutageTest, LoadRidesOutAnOutageLongerThanOneRequestsRetries) {
  constexpr std::size_t kRows = 5'000;
  LoadOptions options = withResultFiles(500, 2);
  std::atomic<bool> armed{false};
  options.onProgress = [&](const LoadProgress& p) {
    if (p.recordsSent >= 1'000 && !armed.exchange(true))
      server->setFaults(outageOf(GetParam(), 12));
  };
  const LoadResult result = client->load(
      Operation::Insert, "Contact", RecordSource::csvFile(writeContacts("in.csv", kRows)), options);
  EXPECT_TRUE(armed.load());
  EXPECT_EQ(result.succeeded, kRows);
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(csvRows(path("success.csv")), kRows);
  expectEachRowOnce(kRows);
}

INSTANTIATE_TEST_SUITE_P(Faults, OutageTest,
                         ::testing::Values(Outage::ServiceUnavailable, Outage::ServerError,
                                           Outage::DropBeforeAnswer, Outage::DropMidAnswer),
                         [](const auto& info) { return name(info.param); });

// Count the rows of a result file by the first status code of their sf__Error cell.
std::map<std::string, std::size_t> errorCodes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  CsvReader reader(in);
  std::vector<std::string> fields;
  std::map<std::string, std::size_t> codes;
  if (!reader.next(fields)) return codes;
  while (reader.next(fields)) ++codes[fields.back().substr(0, fields.back().find(':'))];
  return codes;
}

TEST_F(FaultTest, LoadThatGivesUpNamesItsJobAndAccountsForEveryRow) {
  constexpr std::size_t kRows = 5'000;
  LoadOptions options = withResultFiles(500, 2);
  options.timeout = 4s;
  std::atomic<bool> armed{false};
  options.onProgress = [&](const LoadProgress& p) {
    if (p.recordsSent >= 1'000 && !armed.exchange(true)) {
      server->setFaults(outageOf(Outage::ServiceUnavailable, 1'000'000));
    }
  };
  try {
    client->load(Operation::Insert, "Contact",
                 RecordSource::csvFile(writeContacts("in.csv", kRows)), options);
    FAIL() << "the load finished through an endless outage";
  } catch (const LoadIncompleteError& e) {
    EXPECT_FALSE(e.result().jobId.empty());
    EXPECT_NE(std::string(e.what()).find(e.result().jobId), std::string::npos) << e.what();
    EXPECT_EQ(e.result().recordsRead, kRows);
    EXPECT_EQ(e.result().succeeded + e.result().failed + e.result().notProcessed, kRows);
    EXPECT_THROW(e.rethrowCause(), Error);
  }
  server->setFaults({});
  const std::size_t succeeded = csvRows(path("success.csv"));
  const auto codes = errorCodes(path("errors.csv"));
  std::size_t reported = succeeded;
  for (const auto& [code, n] : codes) {
    EXPECT_TRUE(code == "RESULT_UNKNOWN" || code == "NOT_SENT") << code;
    reported += n;
  }
  EXPECT_EQ(reported, kRows);
  EXPECT_GT(codes.count("NOT_SENT") + codes.count("RESULT_UNKNOWN"), 0u);
  // Nothing is in the org twice, and every row the success file names is there.
  const auto counts = emailCounts();
  for (const auto& [email, n] : counts) EXPECT_EQ(n, 1) << email;
  EXPECT_GE(counts.size(), succeeded);
}

TEST_F(FaultTest, BadRowMidFileReportsTheCommittedRowsAndEveryRowAfterIt) {
  constexpr std::size_t kRows = 5'000;
  const std::string file = path("in.csv");
  {
    std::ofstream out(file, std::ios::binary);
    out << "FirstName,LastName,Email\n";
    for (std::size_t i = 1; i <= kRows; ++i) {
      out << "F" << i << ",L" << i << ",row" << i << "@example.com" << (i == 2'500 ? ",extra" : "")
          << "\n";
    }
  }
  LoadOptions options = withResultFiles(1'000);
  try {
    client->load(Operation::Insert, "Contact", RecordSource::csvFile(file), options);
    FAIL() << "a ragged row passed";
  } catch (const LoadIncompleteError& e) {
    EXPECT_EQ(e.result().succeeded, 2'499u);
    EXPECT_EQ(e.result().recordsRead, kRows);
    EXPECT_THROW(e.rethrowCause(), InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("2500"), std::string::npos) << e.what();
  }
  EXPECT_EQ(csvRows(path("success.csv")), 2'499u);
  const auto codes = errorCodes(path("errors.csv"));
  EXPECT_EQ(codes.at("INVALID_ROW"), 1u);
  EXPECT_EQ(codes.at("NOT_SENT"), kRows - 2'500);
  EXPECT_EQ(emailCounts().size(), 2'499u);
}

TEST_F(FaultTest, CancelledLoadReportsTheRowsItNeverRead) {
  constexpr std::size_t kRows = 20'000;
  LoadOptions options = withResultFiles(500, 1);
  options.cancel = std::make_shared<CancellationToken>();
  options.onProgress = [&](const LoadProgress& p) {
    if (p.recordsSent >= 1'000) options.cancel->cancel();
  };
  const LoadResult result = client->load(
      Operation::Insert, "Contact", RecordSource::csvFile(writeContacts("in.csv", kRows)), options);
  EXPECT_EQ(result.recordsRead, kRows);
  EXPECT_EQ(result.succeeded + result.failed + result.notProcessed, kRows);
  EXPECT_EQ(csvRows(path("success.csv")) + csvRows(path("errors.csv")), kRows);
  EXPECT_GT(errorCodes(path("errors.csv"))["NOT_SENT"], 0u);
}

}  // namespace
}  // namespace sfdc::bulk::testing
