#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace sfdc::bulk {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// A ByteReader over `text` that hands out at most `step` bytes per call.
ByteReader chunked(std::string text, std::size_t step) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);
  return [state, step](char* buffer, std::size_t size) -> std::size_t {
    const std::size_t n = std::min({size, step, state->first.size() - state->second});
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

Rows readAll(CsvReader& reader, std::vector<std::string>* raws = nullptr) {
  Rows rows;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    rows.push_back(fields);
    if (raws != nullptr) raws->emplace_back(reader.rawRow());
  }
  return rows;
}

Rows readAll(std::string_view text) {
  CsvReader reader = CsvReader::fromString(text);
  return readAll(reader);
}

// The same text read whole, from a stream, and one byte per call (tiny buffer) must agree.
void expectAllSourcesAgree(const std::string& text, const Rows& expected) {
  EXPECT_EQ(readAll(text), expected);
  std::istringstream stream(text);
  CsvReader fromStream(stream);
  EXPECT_EQ(readAll(fromStream), expected);
  CsvReader byteByByte(chunked(text, 1), 1);
  EXPECT_EQ(readAll(byteByByte), expected);
  CsvReader sevens(chunked(text, 7), 5);
  EXPECT_EQ(readAll(sevens), expected);
}

TEST(CsvReader, SimpleRowsLfAndCrlf) {
  expectAllSourcesAgree("a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}});
  expectAllSourcesAgree("a,b,c\r\n1,2,3\r\n", {{"a", "b", "c"}, {"1", "2", "3"}});
  expectAllSourcesAgree("a,b\r\n1,2\n3,4\r\n", {{"a", "b"}, {"1", "2"}, {"3", "4"}});
}

TEST(CsvReader, FinalRowWithoutNewline) {
  expectAllSourcesAgree("a,b\n1,2", {{"a", "b"}, {"1", "2"}});
  expectAllSourcesAgree("a,\"b\"", {{"a", "b"}});
}

TEST(CsvReader, QuotedFieldsWithCommasQuotesAndLineBreaks) {
  const std::string text =
      "FirstName,LastName,Department,Birthdate,Description\n"
      "Tom,Jones,Marketing,1940-06-07Z,\"Self-described as \"\"the top\"\" branding guru on the "
      "West Coast\"\n"
      "Ian,Dury,R&D,,\"World-renowned expert in fuzzy logic design.\r\nInfluential in "
      "technology purchases.\"\r\n"
      "\"a,b\",\"\"\"\",\"line1\nline2\",\"cr\ronly\"\n";
  expectAllSourcesAgree(
      text, {{"FirstName", "LastName", "Department", "Birthdate", "Description"},
             {"Tom", "Jones", "Marketing", "1940-06-07Z",
              "Self-described as \"the top\" branding guru on the West Coast"},
             {"Ian", "Dury", "R&D", "",
              "World-renowned expert in fuzzy logic design.\r\nInfluential in technology "
              "purchases."},
             {"a,b", "\"", "line1\nline2", "cr\ronly"}});
}

TEST(CsvReader, EmptyFieldsAndNullMarker) {
  expectAllSourcesAgree(",,\n\"\",#N/A,\"#N/A\"\na,,\n",
                        {{"", "", ""}, {"", "#N/A", "#N/A"}, {"a", "", ""}});
}

TEST(CsvReader, BomIsDroppedOnlyAtStart) {
  expectAllSourcesAgree("\xEF\xBB\xBFId,Name\n1,\xEF\xBB\xBFx\n",
                        {{"Id", "Name"}, {"1", "\xEF\xBB\xBFx"}});
  expectAllSourcesAgree("\xEF\xBB\xBF", {});
}

TEST(CsvReader, Utf8AndSpacesArePreserved) {
  expectAllSourcesAgree("Name,City\n Zoë , 東京 🚀\n\"  padded  \",x\n",
                        {{"Name", "City"}, {" Zoë ", " 東京 🚀"}, {"  padded  ", "x"}});
}

TEST(CsvReader, BlankLinesAreNotRows) {
  expectAllSourcesAgree("a\n\n\"\"\n\r\nb\n\n", {{"a"}, {""}, {"b"}});
  expectAllSourcesAgree("", {});
}

TEST(CsvReader, RawRowIsExactBytes) {
  const std::string text = "a,\"b\"\"c\"\r\n\"x\ny\",z\nlast,row";
  CsvReader reader(chunked(text, 3), 4);
  std::vector<std::string> raws;
  const Rows rows = readAll(reader, &raws);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(raws, (std::vector<std::string>{"a,\"b\"\"c\"\r\n", "\"x\ny\",z\n", "last,row\n"}));
}

TEST(CsvReader, RowNumberCountsRowsNotLines) {
  CsvReader reader = CsvReader::fromString("h\n\"multi\nline\"\nx\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.rowNumber(), 1u);
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.rowNumber(), 2u);
  ASSERT_TRUE(reader.next(fields));
  EXPECT_EQ(reader.rowNumber(), 3u);
  EXPECT_EQ(fields, std::vector<std::string>{"x"});
  EXPECT_FALSE(reader.next(fields));
}

TEST(CsvReader, UnterminatedQuoteThrowsNamingTheRow) {
  CsvReader reader = CsvReader::fromString("a,b\n1,\"open\n2,3\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields));
  try {
    reader.next(fields);
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("row 2"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, TextAfterClosingQuoteThrows) {
  CsvReader reader = CsvReader::fromString("\"ab\"c,d\n");
  std::vector<std::string> fields;
  try {
    reader.next(fields);
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("row 1"), std::string::npos) << e.what();
  }
}

TEST(CsvReader, LongRowsGrowTheBuffer) {
  const std::string big(100000, 'x');
  const std::string text = "h1,h2\n\"" + big + "\n" + big + "\"," + big + "\n";
  CsvReader reader(chunked(text, 1000), 16);
  const Rows rows = readAll(reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], big + "\n" + big);
  EXPECT_EQ(rows[1][1], big);
}

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::string out;
  appendCsvField(out, "plain");
  EXPECT_EQ(out, "plain");
  const auto field = [](std::string_view value) {
    std::string s;
    appendCsvField(s, value);
    return s;
  };
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("a,b"), "\"a,b\"");
  EXPECT_EQ(field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(field("l1\nl2"), "\"l1\nl2\"");
  EXPECT_EQ(field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(field(" lead"), "\" lead\"");
  EXPECT_EQ(field("trail "), "\"trail \"");
  EXPECT_EQ(field("Zoë 東京 🚀"), "Zoë 東京 🚀");
  EXPECT_EQ(field("#N/A"), "#N/A");
}

TEST(CsvWriter, RowsRoundTrip) {
  const Rows rows = {{"Id", "Name", "Description"},
                     {"1", "Zoë 東京 🚀", "multi\r\nline, with \"quotes\""},
                     {"", " spaced ", "#N/A"},
                     {"", "", ""}};
  std::string out;
  for (const auto& row : rows) appendCsvRow(out, row);
  EXPECT_EQ(out.substr(0, 20), "Id,Name,Description\n");
  expectAllSourcesAgree(out, rows);
  std::string single;
  appendCsvRow(single, {""});
  EXPECT_EQ(single, "\"\"\n");
  expectAllSourcesAgree(single, {{""}});
}

// Throughput check, run by hand: --gtest_also_run_disabled_tests --gtest_filter=*Throughput*
TEST(CsvReader, DISABLED_Throughput) {
  std::string text = "Id,Name,Email,Amount,Description\n";
  while (text.size() < (200u << 20)) {
    text +=
        "001000000000001AAA,Acme Corporation,someone@example.com,12345.67,"
        "\"Quoted, with comma\"\n"
        "001000000000002AAA,\"Second \"\"Co\"\"\",x@y.z,1,plain description text here\n";
  }
  CsvReader reader = CsvReader::fromString(text);
  std::vector<std::string> fields;
  std::size_t rows = 0;
  const auto start = std::chrono::steady_clock::now();
  while (reader.next(fields)) ++rows;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%zu rows, %.0f MB/s\n", rows, text.size() / seconds / 1e6);
}

}  // namespace
}  // namespace sfdc::bulk
