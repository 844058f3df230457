// Salesforce's own batch retries, through the real client: batches the server interrupts
// and runs again (numberRetries) still load every row exactly once, the retries are in
// the result; a batch that runs out of retries reports the rows it wrote as loaded and
// the rest as not processed with the server's reason, and nothing twice.

#include <gtest/gtest.h>

#include <fstream>

#include "fault_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

void transientFailures(emulator::Emulator& server, int n) {
  emulator::Faults faults;
  faults.transientBatchFailures = n;
  server.setFaults(faults);
}

std::size_t linesContaining(const std::string& file, const std::string& text) {
  std::ifstream in(file, std::ios::binary);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(text) != std::string::npos;
  return n;
}

TEST_F(FaultTest, BatchesTheServerRetriesLoadEveryRowOnce) {
  constexpr std::size_t kRows = 3'000;
  transientFailures(*server, 4);
  const LoadResult result =
      client->load(Operation::Insert, "Contact",
                   RecordSource::csvFile(writeContacts("in.csv", kRows)), withResultFiles(1'000));
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.succeeded, kRows);
  EXPECT_EQ(result.serverRetries, 4);
  EXPECT_EQ(csvRows(path("success.csv")), kRows);
  expectEachRowOnce(kRows);
}

TEST_F(FaultTest, BatchOutOfServerRetriesReportsWrittenRowsLoadedAndTheRestNotProcessed) {
  // One batch of 3,000 rows; each of its 11 attempts writes one chunk of 200 before it is
  // interrupted, the 11th interruption fails it.
  constexpr std::size_t kRows = 3'000;
  transientFailures(*server, 11);
  const LoadResult result =
      client->load(Operation::Insert, "Contact",
                   RecordSource::csvFile(writeContacts("in.csv", kRows)), withResultFiles(kRows));
  EXPECT_EQ(result.succeeded, 2'200u);
  EXPECT_EQ(result.failed, 0u);
  EXPECT_EQ(result.notProcessed, 800u);
  EXPECT_EQ(result.serverRetries, 10);
  ASSERT_EQ(result.batches.size(), 1u);
  EXPECT_EQ(result.batches[0].stateMessage, "InternalServerError : Retried more than ten times");
  EXPECT_EQ(csvRows(path("success.csv")), 2'200u);
  EXPECT_EQ(csvRows(path("errors.csv")), 800u);
  EXPECT_EQ(linesContaining(path("errors.csv"), "Retried more than ten times"), 800u);
  expectEachRowOnce(2'200);
}

}  // namespace
}  // namespace sfdc::bulk::testing
