// A grouped load against the in-memory server: two batches holding rows of one parent
// are never on the server at the same time, at most 1.5 x `concurrency` batches are (a
// batch continuing its group aside), and every row comes back once with its input number.

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "load/loader.hpp"
#include "support/fake_load_connection.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using namespace std::chrono_literals;
using testing::FakeLoadConnection;

TEST(GroupedLoader, BatchesOfOneParentNeverRunTogether) {
  // Parent P0 owns half of the 200 rows; the others a few rows each.
  std::string csv = "Name,Parent\n";
  for (int i = 1; i <= 200; ++i) {
    csv += "n" + std::to_string(i) + "," + (i % 2 == 0 ? "P0" : "P" + std::to_string(1 + i % 13)) +
           "\n";
  }
  FakeLoadConnection api;
  int overlaps = 0;
  std::size_t mostOnServer = 0;
  api.onComplete = [&](testing::FakeBatch& done) {
    // Runs as the server finishes `done`: what else is still queued there?
    std::size_t unfinished = 1;
    for (const auto& other : api.batches) {
      if (&other == &done || other.info.isTerminal()) continue;
      ++unfinished;
      if (done.body.find(",P0\n") != std::string::npos &&
          other.body.find(",P0\n") != std::string::npos) {
        ++overlaps;
      }
    }
    mostOnServer = std::max(mostOnServer, unfinished);
  };
  LoadOptions options;
  options.pollMinInterval = 1ms;
  options.pollMaxInterval = 4ms;
  options.timeout = 20s;
  options.batchSize = 20;
  options.concurrency = 3;
  options.groupBy = "Parent";
  LoadTuning tuning;
  tuning.wakeInterval = 5ms;
  std::istringstream input(csv);
  const LoadResult result =
      runLoad(api, Operation::Insert, "Contact", RecordSource::csvStream(input), options, tuning);
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(overlaps, 0);
  EXPECT_LE(mostOnServer, 6u);  // 1.5 x concurrency, plus the next link of P0's chain
  // P0's 100 rows fill exactly 5 batches; the other parents share the rest.
  std::size_t p0Batches = 0;
  for (const auto& batch : api.batches) {
    if (batch.body.find(",P0\n") != std::string::npos) ++p0Batches;
  }
  EXPECT_EQ(p0Batches, 5u);
  std::set<std::uint64_t> rows;
  for (const auto& row : result.rows) {
    EXPECT_TRUE(rows.insert(row.row).second);
    EXPECT_EQ(row.id.empty(), false);
  }
  EXPECT_EQ(rows.size(), 200u);
  EXPECT_EQ(result.rows.front().row, 2u);  // the largest group first
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
