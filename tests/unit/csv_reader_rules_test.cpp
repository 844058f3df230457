// The CSV reader's rules for input that is not clean RFC 4180: a quote inside an unquoted
// field, rows ended by a lone CR, and reading on after a bad row.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {
namespace {

using Rows = std::vector<std::vector<std::string>>;

ByteReader chunked(std::string text, std::size_t step) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);
  return [state, step](char* buffer, std::size_t size) -> std::size_t {
    const std::size_t n = std::min({size, step, state->first.size() - state->second});
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

// Every row, with "ERROR <row>,<column>" in place of a row that throws CsvSyntaxError.
struct Outcome {
  Rows rows;
  std::vector<std::string> raws;
};

Outcome readWithErrors(CsvReader& reader) {
  Outcome out;
  std::vector<std::string> fields;
  for (int guard = 0; guard < 1000; ++guard) {
    try {
      if (!reader.next(fields)) return out;
      out.rows.push_back(fields);
    } catch (const CsvSyntaxError& e) {
      EXPECT_EQ(e.row(), reader.rowNumber());
      out.rows.push_back({"ERROR " + std::to_string(e.row()) + "," + std::to_string(e.column())});
    }
    out.raws.emplace_back(reader.rawRow());
  }
  ADD_FAILURE() << "the reader never ended";
  return out;
}

// Read whole, one byte at a time with the smallest buffer, and in odd chunks: the same.
Outcome readAllWays(const std::string& text) {
  CsvReader whole = CsvReader::fromString(text);
  const Outcome expected = readWithErrors(whole);
  for (const std::size_t step : {std::size_t{1}, std::size_t{7}}) {
    CsvReader reader(chunked(text, step), step == 1 ? 1 : 5);
    const Outcome other = readWithErrors(reader);
    EXPECT_EQ(other.rows, expected.rows) << "step " << step;
    EXPECT_EQ(other.raws, expected.raws) << "step " << step;
  }
  return expected;
}

TEST(CsvReaderRules, QuoteInsideUnquotedFieldIsAnErrorForThatRowOnly) {
  // The rows that used to merge into two records.
  const Outcome out = readAllWays("Name\n12\" pipe\nWidget\nGadget\n3\" bolt\nNut");
  EXPECT_EQ(out.rows,
            (Rows{{"Name"}, {"ERROR 2,1"}, {"Widget"}, {"Gadget"}, {"ERROR 5,1"}, {"Nut"}}));
  EXPECT_EQ(out.raws[1], "12\" pipe\n");
  EXPECT_EQ(out.raws[4], "3\" bolt\n");
}

TEST(CsvReaderRules, StrayQuoteErrorNamesRowColumnAndFix) {
  CsvReader reader = CsvReader::fromString("a,b,c\n1,\"x,y\",4\" 5\n");
  std::vector<std::string> fields;
  ASSERT_TRUE(reader.next(fields));
  try {
    reader.next(fields);
    FAIL() << "expected CsvSyntaxError";
  } catch (const CsvSyntaxError& e) {
    EXPECT_EQ(e.row(), 2u);
    EXPECT_EQ(e.column(), 3u);
    EXPECT_EQ(std::string(e.what()).rfind("CSV row 2, column 3: quote inside an unquoted field", 0),
              0u)
        << e.what();
    EXPECT_NE(e.reason().find("doubled"), std::string::npos);
  }
  EXPECT_FALSE(reader.next(fields));
}

TEST(CsvReaderRules, SpaceBeforeAnOpeningQuoteIsAStrayQuote) {
  const Outcome out = readAllWays("a,b\n\"John\", \"Smith\"\nx,y\n");
  EXPECT_EQ(out.rows, (Rows{{"a", "b"}, {"ERROR 2,2"}, {"x", "y"}}));
}

TEST(CsvReaderRules, QuotedSectionAfterAStrayQuoteStillEndsTheRowRightly) {
  // The stray quote is not taken as an opening one, so the quoted line break later in
  // the row stays inside its field and the next row is read as itself.
  const Outcome out = readAllWays("a,b\nab\"c,\"x\ny\"\nnext,row\n");
  EXPECT_EQ(out.rows, (Rows{{"a", "b"}, {"ERROR 2,1"}, {"next", "row"}}));
  EXPECT_EQ(out.raws[1], "ab\"c,\"x\ny\"\n");
}

TEST(CsvReaderRules, DoubledQuotesAndEmptyQuotedFieldsAreNotStray) {
  const Outcome out = readAllWays("\"a\"\"b\",\"\",\"\"\"\"\n\"\"\"x\"\"\",y\n");
  EXPECT_EQ(out.rows, (Rows{{"a\"b", "", "\""}, {"\"x\"", "y"}}));
}

TEST(CsvReaderRules, TextAfterClosingQuoteNamesTheColumnAndReadsOn) {
  const Outcome out = readAllWays("h1,h2\nok,\"ab\"c\nnext,1\n");
  EXPECT_EQ(out.rows, (Rows{{"h1", "h2"}, {"ERROR 2,2"}, {"next", "1"}}));
}

TEST(CsvReaderRules, UnclosedQuoteTakesTheRestAndThenEnds) {
  const Outcome out = readAllWays("h1,h2\n1,2\n3,\"open\n4,5\n");
  EXPECT_EQ(out.rows, (Rows{{"h1", "h2"}, {"1", "2"}, {"ERROR 3,2"}}));
  EXPECT_EQ(out.raws[2], "3,\"open\n4,5\n\n");
}

TEST(CsvReaderRules, UnclosedQuoteMessageSaysItRunsToTheEnd) {
  CsvReader reader = CsvReader::fromString("\"never closed");
  std::vector<std::string> fields;
  try {
    reader.next(fields);
    FAIL() << "expected CsvSyntaxError";
  } catch (const CsvSyntaxError& e) {
    EXPECT_EQ(std::string(e.what()),
              "CSV row 1, column 1: quoted field never closed (it runs to "
              "the end of the input)");
  }
  EXPECT_FALSE(reader.next(fields));
  EXPECT_FALSE(reader.next(fields));
}

TEST(CsvReaderRules, LoneCrEndsRows) {
  const Outcome out = readAllWays("Name,Phone\r12 pipe,1\rWidget,2\r");
  EXPECT_EQ(out.rows, (Rows{{"Name", "Phone"}, {"12 pipe", "1"}, {"Widget", "2"}}));
  // Rows ended by a lone CR go into batches with LF, the line end every reader knows.
  EXPECT_EQ(out.raws, (std::vector<std::string>{"Name,Phone\n", "12 pipe,1\n", "Widget,2\n"}));
}

TEST(CsvReaderRules, CrInsideQuotesStaysData) {
  const Outcome out = readAllWays("a,b\r\"x\ry\",\"1\r\n2\"\rlast,\"\r\"");
  EXPECT_EQ(out.rows, (Rows{{"a", "b"}, {"x\ry", "1\r\n2"}, {"last", "\r"}}));
}

TEST(CsvReaderRules, MixedLineEndsAndBlankLines) {
  const Outcome out = readAllWays("a\r\rb\r\n\r\nc\n\rd\r\r\n");
  EXPECT_EQ(out.rows, (Rows{{"a"}, {"b"}, {"c"}, {"d"}}));
  EXPECT_EQ(out.raws, (std::vector<std::string>{"a\n", "b\r\n", "c\n", "d\n"}));
}

TEST(CsvReaderRules, CrlfSplitAcrossReadsIsOneLineEnd) {
  // The CR is the last byte of one read and the LF the first of the next.
  CsvReader reader(chunked("a,b\r\nc,d\r\n", 4), 4);
  const Outcome out = readWithErrors(reader);
  EXPECT_EQ(out.rows, (Rows{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(out.raws, (std::vector<std::string>{"a,b\r\n", "c,d\r\n"}));
}

TEST(CsvReaderRules, ServerResultsFollowTheSameRule) {
  // A query result is server data: the same stray quote is a ParseError there.
  QueryResultReader reader(
      ContentType::CSV,
      chunked("\"Id\",\"Name\"\n\"001\",\"a\"\n\"002\",b\"c\n\"003\",\"d\"\n", 64));
  std::vector<std::string> row;
  ASSERT_TRUE(reader.nextRow(row));
  try {
    reader.nextRow(row);
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("CSV row 3, column 2: quote inside an unquoted field", 0),
              0u)
        << e.what();
  }
}

}  // namespace
}  // namespace sfdc::bulk
