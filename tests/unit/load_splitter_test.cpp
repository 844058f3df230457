// Batch splitting: record and byte limits, the header in every batch, no row lost or
// repeated at the edges (one record, exactly a full batch, one more, a last batch of one).

#include <gtest/gtest.h>

#include <fstream>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <sstream>

#include "load/batch_splitter.hpp"
#include "support/load_test_support.hpp"

namespace sfdc::bulk::detail::load {
namespace {

using testing::readFile;

std::string csvOf(std::size_t rows) {
  std::string text = "Name,Index\n";
  for (std::size_t i = 1; i <= rows; ++i)
    text += "row " + std::to_string(i) + "," + std::to_string(i) + "\n";
  return text;
}

struct Split {
  std::vector<SplitBatch> batches;
  std::vector<std::string> bodies;
};

Split splitAll(BatchSplitter& splitter) {
  Split split;
  while (auto batch = splitter.next()) {
    split.bodies.push_back(readFile(batch->bodyPath));
    split.batches.push_back(*batch);
  }
  return split;
}

// Every data row of every body, in order, with the header checked on each.
std::vector<std::string> rowsOf(const Split& split, const std::string& header) {
  std::vector<std::string> rows;
  for (const auto& body : split.bodies) {
    EXPECT_EQ(body.compare(0, header.size(), header), 0) << "header missing";
    std::istringstream in(body.substr(header.size()));
    for (std::string line; std::getline(in, line);) rows.push_back(line);
  }
  return rows;
}

class SplitCounts
    : public ::testing::TestWithParam<std::pair<std::size_t, std::vector<std::size_t>>> {};

TEST_P(SplitCounts, CutsByRecordCountWithoutLosingOrRepeatingRows) {
  const auto& [total, expected] = GetParam();
  SpoolDir spool;
  std::istringstream input(csvOf(total));
  RecordSource source = RecordSource::csvStream(input);
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, BatchLimits{}, false, spool);
  const Split split = splitAll(splitter);
  ASSERT_EQ(split.batches.size(), expected.size());
  std::uint64_t nextRow = 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(split.batches[i].index, i);
    EXPECT_EQ(split.batches[i].rowCount, expected[i]);
    EXPECT_EQ(split.batches[i].firstRow, nextRow);
    EXPECT_EQ(split.batches[i].bodyBytes, split.bodies[i].size());
    nextRow += expected[i];
  }
  const auto rows = rowsOf(split, "Name,Index\n");
  ASSERT_EQ(rows.size(), total);
  for (std::size_t i = 0; i < total; ++i) {
    ASSERT_EQ(rows[i], "row " + std::to_string(i + 1) + "," + std::to_string(i + 1));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Edges, SplitCounts,
    ::testing::Values(std::make_pair(std::size_t{1}, std::vector<std::size_t>{1}),
                      std::make_pair(std::size_t{9'999}, std::vector<std::size_t>{9'999}),
                      std::make_pair(std::size_t{10'000}, std::vector<std::size_t>{10'000}),
                      std::make_pair(std::size_t{10'001}, std::vector<std::size_t>{10'000, 1}),
                      std::make_pair(std::size_t{25'001},
                                     std::vector<std::size_t>{10'000, 10'000, 5'001})));

TEST(LoadSplitter, EmptySourceGivesNoBatch) {
  SpoolDir spool;
  std::istringstream input("Name\n");
  RecordSource source = RecordSource::csvStream(input);
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, BatchLimits{}, false, spool);
  EXPECT_FALSE(splitter.next());
}

TEST(LoadSplitter, CopiesCsvRowsVerbatimAndRepeatsTheHeader) {
  SpoolDir spool;
  const std::string rows[] = {"\"a, b\",\"say \"\"hi\"\"\"\r\n", "\"two\nlines\", x \n", "#N/A,\n"};
  std::istringstream input("Name,Note\r\n" + rows[0] + rows[1] + rows[2]);
  RecordSource source = RecordSource::csvStream(input);
  BatchLimits limits;
  limits.maxRecords = 2;
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, limits, true, spool);
  const Split split = splitAll(splitter);
  ASSERT_EQ(split.bodies.size(), 2u);
  EXPECT_EQ(split.bodies[0], "Name,Note\n" + rows[0] + rows[1]);
  EXPECT_EQ(split.bodies[1], "Name,Note\n" + rows[2]);
  EXPECT_EQ(split.batches[1].rowsPath, split.batches[1].bodyPath);
}

TEST(LoadSplitter, MultiByteRowsExactlyAtTheByteLimit) {
  // "é東🚀" is 2+3+4 bytes; with "\n" each row is 10 bytes and the header 5.
  const std::string row = "\xC3\xA9\xE6\x9D\xB1\xF0\x9F\x9A\x80\n";
  std::string text = "Name\n";
  for (int i = 0; i < 7; ++i) text += row;
  for (std::size_t limit : {35u, 34u}) {
    SpoolDir spool;
    std::istringstream input(text);
    RecordSource source = RecordSource::csvStream(input);
    BatchLimits limits;
    limits.maxBytes = limit;
    BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, limits, false, spool);
    const Split split = splitAll(splitter);
    const std::size_t perBatch = limit == 35 ? 3 : 2;
    std::size_t total = 0;
    for (std::size_t i = 0; i < split.bodies.size(); ++i) {
      EXPECT_LE(split.bodies[i].size(), limit);
      EXPECT_EQ(split.batches[i].rowCount, std::min(perBatch, 7 - total));
      // Whole rows only: header plus a multiple of the 10-byte row, never a cut character.
      EXPECT_EQ((split.bodies[i].size() - 5) % 10, 0u);
      total += split.batches[i].rowCount;
    }
    EXPECT_EQ(total, 7u);
    if (limit == 35) {
      EXPECT_EQ(split.bodies[0].size(), 35u);  // filled to the byte
    }
  }
}

TEST(LoadSplitter, CharacterLimitCountsCharactersNotBytes) {
  const std::string row = "\xE6\x9D\xB1\xE6\x9D\xB1\n";  // 2 characters + newline, 7 bytes
  std::string text = "N\n";
  for (int i = 0; i < 4; ++i) text += row;
  SpoolDir spool;
  std::istringstream input(text);
  RecordSource source = RecordSource::csvStream(input);
  BatchLimits limits;
  limits.maxBytes = 1000;
  limits.maxCharacters = 2 + 3 * 2;  // header and two rows
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, limits, false, spool);
  const Split split = splitAll(splitter);
  ASSERT_EQ(split.batches.size(), 2u);
  EXPECT_EQ(split.batches[0].rowCount, 2u);
  EXPECT_EQ(split.batches[1].rowCount, 2u);
}

TEST(LoadSplitter, OversizedRowIsRefusedNamingRowAndLimitAfterTheRowsBeforeIt) {
  SpoolDir spool;
  std::istringstream input("Name\nshort1\nshort2\n" + std::string(200, 'x') + "\nshort4\n");
  RecordSource source = RecordSource::csvStream(input);
  BatchLimits limits;
  limits.maxBytes = 100;
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, limits, false, spool);
  auto first = splitter.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->rowCount, 2u);
  EXPECT_EQ(first->firstRow, 1u);
  try {
    splitter.next();
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("row 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("100 bytes"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(splitter.next());
}

TEST(LoadSplitter, OversizedFirstRowThrowsAtOnce) {
  SpoolDir spool;
  std::istringstream input("Name\n" + std::string(200, 'x') + "\n");
  RecordSource source = RecordSource::csvStream(input);
  BatchLimits limits;
  limits.maxBytes = 100;
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, limits, false, spool);
  EXPECT_THROW(splitter.next(), InvalidArgument);
}

TEST(LoadSplitter, FieldCountMismatchNamesTheRow) {
  SpoolDir spool;
  std::istringstream input("A,B\n1,2\n3\n");
  RecordSource source = RecordSource::csvStream(input);
  BatchSplitter splitter(source.reader(), ContentType::CSV, nullptr, BatchLimits{}, false, spool);
  auto first = splitter.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->rowCount, 1u);
  try {
    splitter.next();
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("CSV row 2 has 1 fields but the header has 2"),
              std::string::npos)
        << e.what();
  }
}

TEST(LoadSplitter, JsonEnvelopeCountsAgainstTheLimit) {
  std::vector<nlohmann::json> records;
  for (int i = 0; i < 50; ++i) records.push_back({{"Name", "record " + std::to_string(i)}});
  SpoolDir spool;
  RecordSource source = RecordSource::records(records);
  JsonSerializer serializer;
  BatchLimits limits;
  limits.maxBytes = 120;
  BatchSplitter splitter(source.reader(), ContentType::JSON, &serializer, limits, true, spool);
  const Split split = splitAll(splitter);
  std::size_t total = 0;
  for (std::size_t i = 0; i < split.bodies.size(); ++i) {
    EXPECT_LE(split.bodies[i].size(), 120u);
    const auto array = nlohmann::json::parse(split.bodies[i]);
    ASSERT_EQ(array.size(), split.batches[i].rowCount);
    for (const auto& record : array) EXPECT_EQ(record, records[total++]);
    // The side file keeps the rows for the result files as CSV.
    const std::string rows = readFile(split.batches[i].rowsPath);
    EXPECT_EQ(rows.rfind("Name\n", 0), 0u);
  }
  EXPECT_EQ(total, records.size());
  EXPECT_GT(split.bodies.size(), 1u);
}

TEST(LoadSplitter, XmlEnvelopeCountsAgainstTheLimit) {
  std::vector<nlohmann::json> records;
  for (int i = 0; i < 20; ++i) records.push_back({{"Name", "r" + std::to_string(i)}});
  SpoolDir spool;
  RecordSource source = RecordSource::records(records);
  XmlSerializer serializer;
  BatchLimits limits;
  limits.maxBytes = 400;
  BatchSplitter splitter(source.reader(), ContentType::XML, &serializer, limits, false, spool);
  const Split split = splitAll(splitter);
  std::size_t total = 0;
  for (std::size_t i = 0; i < split.bodies.size(); ++i) {
    EXPECT_LE(split.bodies[i].size(), 400u);
    EXPECT_NE(split.bodies[i].find("</sObjects>"), std::string::npos);
    total += split.batches[i].rowCount;
  }
  EXPECT_EQ(total, 20u);
}

TEST(LoadSplitter, CsvSourceIntoJsonJobTurnsNullsAndBlanksIntoRecords) {
  SpoolDir spool;
  std::istringstream input("FirstName,LastName,Email\nAda,#N/A,\n");
  RecordSource source = RecordSource::csvStream(input);
  JsonSerializer serializer;
  BatchSplitter splitter(source.reader(), ContentType::JSON, &serializer, BatchLimits{}, false,
                         spool);
  auto batch = splitter.next();
  ASSERT_TRUE(batch);
  EXPECT_EQ(nlohmann::json::parse(readFile(batch->bodyPath)),
            nlohmann::json::parse(R"([{"FirstName":"Ada","LastName":null}])"));
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
