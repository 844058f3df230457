// CSV rows written straight into JSON bodies: byte for byte what JsonSerializer writes
// for the record csvRowToRecord makes of the row, on random cells (control characters,
// quotes, backslashes, every UTF-8 length, broken UTF-8), with the same error; and the
// splitter uses it only where the general path would give the same body.

#include <gtest/gtest.h>

#include <random>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <sstream>

#include "load/batch_splitter.hpp"
#include "load/csv_row_json.hpp"
#include "load/record_sources.hpp"
#include "support/load_test_support.hpp"

namespace sfdc::bulk::detail::load {
namespace {

// What the general path writes for the row, or the message it throws.
std::string generalJson(const std::vector<std::string>& header,
                        const std::vector<std::string>& fields, std::size_t index) {
  JsonSerializer serializer;
  std::string out;
  try {
    serializer.appendRecord(csvRowToRecord(header, fields), index, out);
  } catch (const InvalidArgument& e) {
    return std::string("error: ") + e.what();
  }
  return out;
}

std::string fastJson(const CsvRowJson& writer, const std::vector<std::string>& fields,
                     std::size_t index) {
  std::string out = "prefix";
  try {
    writer.append(fields, index, out);
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(out, "prefix") << "a refused row left bytes behind";
    return std::string("error: ") + e.what();
  }
  EXPECT_EQ(out.rfind("prefix", 0), 0u);
  return out.substr(6);
}

// Cells drawn from pieces that exercise every branch of the escaping and validation,
// long enough to cross the 16-byte blocks.
std::string randomCell(std::mt19937& random) {
  static const std::vector<std::string> pieces = {"plain text ",
                                                  "\"",
                                                  "\\",
                                                  "/",
                                                  "\b",
                                                  "\f",
                                                  "\n",
                                                  "\r",
                                                  "\t",
                                                  std::string(1, '\0'),
                                                  "\x01",
                                                  "\x1f",
                                                  "\x7f",
                                                  "é",
                                                  "€",
                                                  "𝄞",
                                                  "日本語",
                                                  "\xc3",
                                                  "\xe2\x82",
                                                  "\xf0\x9d\x84",
                                                  "\xff",
                                                  "\xc0\xaf",
                                                  "\xed\xa0\x80",
                                                  "\xf4\x90\x80\x80",
                                                  "#N/A",
                                                  ",",
                                                  "0123456789abcdef"};
  std::uniform_int_distribution<int> count(0, 6);
  std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
  std::uniform_int_distribution<int> rare(0, 9);
  const int n = count(random);
  std::string cell;
  for (int i = 0; i < n; ++i) {
    const std::string& piece = pieces[pick(random)];
    // Broken UTF-8 rarely, so that most rows get through whole.
    const auto lead = static_cast<unsigned char>(piece[0]);
    const bool broken = piece == "\xff" || piece == "\xc3" || piece == "\xe2\x82" ||
                        piece == "\xf0\x9d\x84" || piece == "\xc0\xaf" || piece == "\xed\xa0\x80" ||
                        piece == "\xf4\x90\x80\x80";
    if (broken && (lead == 0 || rare(random) != 0)) continue;
    cell += piece;
  }
  if (rare(random) == 0) cell = "#N/A";
  return cell;
}

TEST(CsvRowJson, WritesWhatTheGeneralPathWritesOnRandomCells) {
  const std::vector<std::string> header = {"LastName", "Description", "Email",     "a_b",
                                           "Zeta",     "Über",        "attributes"};
  ASSERT_TRUE(CsvRowJson::handles(header));
  const CsvRowJson writer(header);
  std::mt19937 random(20261207);
  int errors = 0;
  for (std::size_t row = 0; row < 20000; ++row) {
    std::vector<std::string> fields;
    for (std::size_t c = 0; c < header.size(); ++c) fields.push_back(randomCell(random));
    const std::string expected = generalJson(header, fields, row);
    ASSERT_EQ(fastJson(writer, fields, row), expected) << "row " << row;
    errors += expected.rfind("error: ", 0) == 0;
  }
  // Both outcomes were exercised.
  EXPECT_GT(errors, 100);
  EXPECT_LT(errors, 15000);
}

TEST(CsvRowJson, EveryByteAloneIsEscapedOrRefusedAsTheGeneralPathDoes) {
  const std::vector<std::string> header = {"A"};
  const CsvRowJson writer(header);
  for (int byte = 0; byte < 256; ++byte) {
    const std::vector<std::string> fields = {std::string(1, static_cast<char>(byte)) + "x"};
    EXPECT_EQ(fastJson(writer, fields, 3), generalJson(header, fields, 3)) << "byte " << byte;
  }
}

TEST(CsvRowJson, RefusesHeadersThatAreNotFlatRecords) {
  EXPECT_FALSE(CsvRowJson::handles({"Name", "Account.External_Id__c"}));
  EXPECT_FALSE(CsvRowJson::handles({"Name", "Name"}));
  EXPECT_FALSE(CsvRowJson::handles({"Name", "\xff"}));
  EXPECT_TRUE(CsvRowJson::handles({"Name", "Lead:Who", "Ünïcode"}));
}

// The splitter's JSON bodies from a CSV source are the ones the record path gives, for a
// flat header (the fast path) and a relationship header (the general path).
TEST(CsvRowJson, SplitterBodiesEqualTheRecordPath) {
  for (const std::string header : {"Name,Email,Description", "Name,Account.Ext__c,Email"}) {
    std::string csv = header + "\n";
    std::vector<nlohmann::json> records;
    for (int i = 0; i < 250; ++i) {
      const std::string a = "name " + std::to_string(i), b = i % 7 ? "x@y.z" : "";
      const std::string c = i % 11 ? "say \"\"hi\"\"" : "#N/A";
      csv += a + "," + b + ",\"" + c + "\"\n";
    }
    SpoolDir spool;
    std::istringstream input(csv);
    RecordSource source = RecordSource::csvStream(input);
    JsonSerializer serializer;
    BatchLimits limits;
    limits.maxRecords = 100;
    BatchSplitter splitter(source.reader(), ContentType::JSON, &serializer, limits, true, spool);
    // The same rows as records through the serializer.
    std::istringstream again(csv);
    CsvReader reader(again);
    std::vector<std::string> columns, row;
    ASSERT_TRUE(reader.next(columns));
    std::size_t total = 0;
    while (auto batch = splitter.next()) {
      JsonSerializer expected;
      std::string body;
      expected.beginBatch(body);
      for (std::size_t i = 0; i < batch->rowCount; ++i) {
        ASSERT_TRUE(reader.next(row));
        expected.appendRecord(csvRowToRecord(columns, row), i, body);
      }
      expected.endBatch(body);
      EXPECT_EQ(testing::readFile(batch->bodyPath), body) << header;
      total += batch->rowCount;
    }
    EXPECT_EQ(total, 250u);
  }
}

TEST(CsvRowJson, InvalidUtf8NamesTheInputRowAfterTheRowsBeforeIt) {
  SpoolDir spool;
  std::istringstream input("Name,Email\nAda,a@b.c\nBob,\xff\nCy,c@d.e\n");
  RecordSource source = RecordSource::csvStream(input);
  JsonSerializer serializer;
  BatchSplitter splitter(source.reader(), ContentType::JSON, &serializer, BatchLimits{}, false,
                         spool);
  auto batch = splitter.next();
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->rowCount, 1u);
  EXPECT_EQ(testing::readFile(batch->bodyPath), R"([{"Email":"a@b.c","Name":"Ada"}])");
  try {
    splitter.next();
    FAIL() << "the row that is not UTF-8 was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("row 2: record 1: cannot be written as JSON"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sfdc::bulk::detail::load
