// groupBy's regrouping: every row once with its input row number, each value's rows
// adjacent (also when spill files are split again or hold one value), largest groups
// first, group edges where batches are cut, and batches that continue a group marked.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <sstream>

#include "load/batch_splitter.hpp"
#include "load/key_partitioner.hpp"

namespace sfdc::bulk::detail::load {
namespace {

// Row i (1-based) has Index i; a few values own most rows, the others a handful each.
std::string skewedCsv(std::size_t rows, bool finalLineEnd = true) {
  std::string text = "Name,Parent,Index\n";
  for (std::size_t i = 1; i <= rows; ++i) {
    const std::string parent = i % 2 == 0   ? "big"
                               : i % 5 == 0 ? "second"
                                            : "p" + std::to_string(i % 97);
    text += "\"n, " + std::to_string(i) + "\"," + parent + "," + std::to_string(i);
    if (i < rows || finalLineEnd) text += "\n";
  }
  return text;
}

struct Handed {
  std::uint64_t row;
  std::string key;
  bool startsBatch;
};

std::vector<Handed> drain(KeyPartitioner& grouped) {
  std::vector<Handed> out;
  std::string raw;
  std::vector<std::string> fields;
  while (grouped.nextCsvRow(raw, fields)) {
    EXPECT_EQ(fields.size(), 3u);
    EXPECT_EQ(fields[2], std::to_string(grouped.row())) << "row number and row differ";
    EXPECT_EQ(fields[1], grouped.key());
    EXPECT_EQ(raw.back(), '\n');
    out.push_back(Handed{grouped.row(), grouped.key(), grouped.startsBatch()});
  }
  return out;
}

void expectEveryRowOnceAndGroupsAdjacent(const std::vector<Handed>& handed, std::size_t rows) {
  std::set<std::uint64_t> seen;
  std::set<std::string> closed;
  std::string current;
  bool started = false;
  for (const auto& row : handed) {
    EXPECT_TRUE(seen.insert(row.row).second) << "row " << row.row << " twice";
    if (!started || row.key != current) {
      EXPECT_EQ(closed.count(row.key), 0u) << "value '" << row.key << "' split up";
      if (started) closed.insert(current);
      current = row.key;
      started = true;
    }
  }
  EXPECT_EQ(seen.size(), rows);
  if (!seen.empty()) {
    EXPECT_EQ(*seen.begin(), 1u);
    EXPECT_EQ(*seen.rbegin(), rows);
  }
}

class Partitioning : public ::testing::TestWithParam<std::size_t> {};

TEST_P(Partitioning, EveryRowOnceWithItsNumberAndEachValueTogether) {
  std::istringstream in(skewedCsv(5'000, false));
  RecordSource source = RecordSource::csvStream(in);
  SpoolDir spool;
  GroupingLimits limits;
  limits.memoryBytes = GetParam();  // small budgets force re-splits and streamed files
  limits.partitions = 8;
  KeyPartitioner grouped(source.reader(), "parent", spool, limits);
  EXPECT_EQ(grouped.rows(), 5'000u);
  const auto handed = drain(grouped);
  expectEveryRowOnceAndGroupsAdjacent(handed, 5'000);
  // The largest group comes first, its rows in input order.
  ASSERT_FALSE(handed.empty());
  EXPECT_EQ(handed.front().key, "big");
  EXPECT_EQ(handed.front().row, 2u);
  EXPECT_EQ(handed[1].row, 4u);
}

INSTANTIATE_TEST_SUITE_P(MemoryBudgets, Partitioning,
                         ::testing::Values(std::size_t{32} << 20, std::size_t{20'000},
                                           std::size_t{500}));

TEST(KeyPartitioner, GroupsStartABatchWhenTheyWouldNotFitInWhatIsLeft) {
  std::string csv = "Parent,Index\n";
  std::size_t row = 0;
  // Values a..e own 7, 5, 4, 3, 1 rows, interleaved in the input.
  const std::map<std::string, int> counts = {{"a", 7}, {"b", 5}, {"c", 4}, {"d", 3}, {"e", 1}};
  std::map<std::string, int> left = counts;
  for (bool more = true; more;) {
    more = false;
    for (auto& [key, n] : left) {
      if (n-- > 0) {
        csv += key + "," + std::to_string(++row) + "\n";
        more = true;
      }
    }
  }
  std::istringstream in(csv);
  RecordSource source = RecordSource::csvStream(in);
  SpoolDir spool;
  GroupingLimits limits;
  limits.maxRecords = 6;
  limits.partitions = 2;
  KeyPartitioner grouped(source.reader(), "Parent", spool, limits);
  std::map<std::string, int> sizes;
  std::string raw;
  std::vector<std::string> fields;
  std::vector<std::vector<std::string>> batches;
  std::size_t fill = 0;
  while (grouped.nextCsvRow(raw, fields)) {
    // Cut as the splitter does: when it is told to, or when the batch is full.
    if (batches.empty() || (grouped.startsBatch() && fill > 0) || fill == limits.maxRecords) {
      batches.emplace_back();
      fill = 0;
    }
    batches.back().push_back(grouped.key());
    ++fill;
  }
  // Each value fitting in a batch is in one batch; `a` (7 rows) needs two.
  std::map<std::string, std::set<std::size_t>> batchesOf;
  for (std::size_t b = 0; b < batches.size(); ++b) {
    for (const auto& key : batches[b]) batchesOf[key].insert(b);
  }
  EXPECT_EQ(batchesOf["a"].size(), 2u);
  for (const char* key : {"b", "c", "d", "e"}) EXPECT_EQ(batchesOf[key].size(), 1u) << key;
}

TEST(KeyPartitioner, AMissingColumnIsNamed) {
  std::istringstream in("Name,Parent\nx,1\n");
  RecordSource source = RecordSource::csvStream(in);
  SpoolDir spool;
  try {
    KeyPartitioner grouped(source.reader(), "AccountId", spool);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("groupBy column 'AccountId' is not in the CSV header"),
              std::string::npos)
        << e.what();
  }
}

TEST(KeyPartitioner, AnInvalidRowStopsThePartitioningWithItsNumber) {
  std::istringstream in("Name,Parent\nx,1\ny\n");
  RecordSource source = RecordSource::csvStream(in);
  SpoolDir spool;
  EXPECT_THROW(KeyPartitioner(source.reader(), "Parent", spool), InvalidArgument);
}

TEST(KeyPartitioner, RecordsAreGroupedByTheirField) {
  std::vector<nlohmann::json> records;
  for (int i = 1; i <= 300; ++i) {
    nlohmann::json record = {{"Index", i}};
    if (i % 4 != 0) record["accountid"] = "A" + std::to_string(i % 6);
    records.push_back(record);
  }
  RecordSource source = RecordSource::records(records);
  SpoolDir spool;
  KeyPartitioner grouped(source.reader(), "AccountId", spool);
  std::vector<Handed> handed;
  nlohmann::json record;
  while (grouped.nextRecord(record)) {
    EXPECT_EQ(record["Index"].get<std::uint64_t>(), grouped.row());
    EXPECT_EQ(record.value("accountid", std::string()), grouped.key());
    handed.push_back(Handed{grouped.row(), grouped.key(), grouped.startsBatch()});
  }
  expectEveryRowOnceAndGroupsAdjacent(handed, 300);

  std::vector<nlohmann::json> without = {{{"Name", "x"}}, {{"Name", "y"}}};
  RecordSource none = RecordSource::records(without);
  EXPECT_THROW(KeyPartitioner(none.reader(), "AccountId", spool), InvalidArgument);
}

TEST(KeyPartitioner, TheSplitterNumbersRowsAndMarksBatchesThatContinueAGroup) {
  std::istringstream in(skewedCsv(3'000, false));
  RecordSource source = RecordSource::csvStream(in);
  SpoolDir spool;
  GroupingLimits grouping;
  grouping.maxRecords = 200;
  KeyPartitioner grouped(source.reader(), "Parent", spool, grouping);
  BatchLimits limits;
  limits.maxRecords = 200;
  BatchSplitter splitter(grouped, ContentType::CSV, nullptr, limits, false, spool);
  std::set<std::uint64_t> rows;
  std::string previousLast;
  std::size_t continuing = 0;
  while (auto batch = splitter.next()) {
    ASSERT_EQ(batch->rows.size(), batch->rowCount);
    EXPECT_EQ(batch->firstRow, batch->rows.front());
    std::ifstream body(batch->bodyPath, std::ios::binary);
    CsvReader reader(body);
    std::vector<std::string> fields;
    ASSERT_TRUE(reader.next(fields));  // header
    std::string first;
    std::string last;
    for (std::size_t i = 0; i < batch->rowCount; ++i) {
      ASSERT_TRUE(reader.next(fields)) << "body shorter than its rows";
      EXPECT_EQ(fields[2], std::to_string(batch->rowAt(i)));
      EXPECT_TRUE(rows.insert(batch->rowAt(i)).second);
      if (i == 0) first = fields[1];
      last = fields[1];
    }
    EXPECT_FALSE(reader.next(fields));
    EXPECT_EQ(batch->continuesGroup, !previousLast.empty() && first == previousLast);
    continuing += batch->continuesGroup ? 1 : 0;
    previousLast = last;
  }
  EXPECT_EQ(rows.size(), 3'000u);
  // `big` (1,500 rows) spans 8 batches, 7 of them continuing it; `second` (300 rows)
  // starts a batch of its own and spills into one more.
  EXPECT_EQ(continuing, 8u);
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
