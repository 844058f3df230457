// Bulk2CsvReader and the delimiter of CsvReader: result files of all six delimiters,
// the header row, paging headers, and the comma reader unchanged.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <sfdc/bulk.hpp>

namespace sfdc::bulk {
namespace {

ByteReader readerOf(std::string text, std::size_t chunk = 3) {
  auto state = std::make_shared<std::pair<std::string, std::size_t>>(std::move(text), 0);
  // Small chunks: rows and quoted delimiters cross read boundaries.
  return [state, chunk](char* buffer, std::size_t size) {
    const std::size_t n = std::min({size, chunk, state->first.size() - state->second});
    std::memcpy(buffer, state->first.data() + state->second, n);
    state->second += n;
    return n;
  };
}

struct DelimiterCase {
  ColumnDelimiter delimiter;
  char c;
};

class Bulk2CsvDelimiters : public ::testing::TestWithParam<DelimiterCase> {};

TEST_P(Bulk2CsvDelimiters, ResultFileSplitsOnTheJobsDelimiterOnly) {
  const char d = GetParam().c;
  // Values hold every other delimiter, quoted ones hold this one too.
  const std::string others = ",`^|;\t";
  std::string plainValue;
  for (char c : others) {
    if (c != d) plainValue += c;
  }
  const std::string text = std::string("\"sf__Id\"") + d + "\"sf__Error\"" + d + "Name\r\n" +
                           "\"001\"" + d + "\"x" + d + "y\"" + d + "\"" + plainValue + "\"\r\n" +
                           "\"002\"" + d + d + "\"say \"\"hi\"\"\"\r\n";
  Bulk2CsvReader reader(readerOf(text), GetParam().delimiter,
                        {{"Content-Type", "text/csv; charset=UTF-8"}});
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"sf__Id", "sf__Error", "Name"}));
  std::vector<std::string> row;
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"001", std::string("x") + d + "y", plainValue}));
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"002", "", "say \"hi\""}));
  EXPECT_FALSE(reader.nextRow(row));
  EXPECT_EQ(reader.rowCount(), 2u);
}

INSTANTIATE_TEST_SUITE_P(AllSix, Bulk2CsvDelimiters,
                         ::testing::Values(DelimiterCase{ColumnDelimiter::Comma, ','},
                                           DelimiterCase{ColumnDelimiter::Backquote, '`'},
                                           DelimiterCase{ColumnDelimiter::Caret, '^'},
                                           DelimiterCase{ColumnDelimiter::Pipe, '|'},
                                           DelimiterCase{ColumnDelimiter::Semicolon, ';'},
                                           DelimiterCase{ColumnDelimiter::Tab, '\t'}),
                         [](const auto& info) {
                           return std::string(toString(info.param.delimiter));
                         });

TEST(Bulk2CsvReader, NextRowWithoutHeaderCallSkipsTheHeader) {
  Bulk2CsvReader reader(readerOf("\"Id\"\n\"001\"\n"), ColumnDelimiter::Comma);
  std::vector<std::string> row;
  ASSERT_TRUE(reader.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"001"}));
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"Id"}));
}

TEST(Bulk2CsvReader, EmptyBodyHasNoHeaderNoRows) {
  Bulk2CsvReader reader(readerOf(""), ColumnDelimiter::Tab);
  EXPECT_TRUE(reader.header().empty());
  std::vector<std::string> row;
  EXPECT_FALSE(reader.nextRow(row));
}

TEST(Bulk2CsvReader, HeaderOnlyPageHasZeroRows) {
  Bulk2CsvReader reader(readerOf("\"Id\",\"Name\"\n"), ColumnDelimiter::Comma,
                        {{"Sforce-Locator", "null"}, {"Sforce-NumberOfRecords", "0"}});
  EXPECT_EQ(reader.header().size(), 2u);
  std::vector<std::string> row;
  EXPECT_FALSE(reader.nextRow(row));
  EXPECT_EQ(reader.numberOfRecords(), std::optional<std::uint64_t>(0));
  EXPECT_FALSE(reader.nextLocator().has_value());
}

TEST(Bulk2CsvReader, PagingHeaders) {
  Bulk2CsvReader paged(
      readerOf(""), ColumnDelimiter::Comma,
      {{"sforce-locator", "MDowR2FIbjAwMDAwNXMyVDRLQUk6MQ"}, {"Sforce-NumberOfRecords", "250000"}});
  EXPECT_EQ(paged.nextLocator(), std::optional<std::string>("MDowR2FIbjAwMDAwNXMyVDRLQUk6MQ"));
  EXPECT_EQ(paged.numberOfRecords(), std::optional<std::uint64_t>(250000));
  EXPECT_EQ(paged.responseHeaders().size(), 2u);

  Bulk2CsvReader unpaged(readerOf(""), ColumnDelimiter::Comma,
                         {{"Sforce-NumberOfRecords", "many"}});
  EXPECT_FALSE(unpaged.nextLocator().has_value());
  EXPECT_FALSE(unpaged.numberOfRecords().has_value());
}

TEST(Bulk2CsvReader, MalformedRowIsACsvSyntaxError) {
  Bulk2CsvReader reader(readerOf("Id|Name\n001|ab\"c\n"), ColumnDelimiter::Pipe);
  std::vector<std::string> row;
  try {
    reader.nextRow(row);
    FAIL() << "a stray quote parsed";
  } catch (const CsvSyntaxError& e) {
    EXPECT_EQ(e.row(), 2u);
    EXPECT_EQ(e.column(), 2u);
  }
}

TEST(Bulk2CsvReader, MovedReaderKeepsItsPosition) {
  Bulk2CsvReader first(readerOf("A;B\n1;2\n3;4\n"), ColumnDelimiter::Semicolon);
  std::vector<std::string> row;
  ASSERT_TRUE(first.nextRow(row));
  Bulk2CsvReader second = std::move(first);
  ASSERT_TRUE(second.nextRow(row));
  EXPECT_EQ(row, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(second.rowCount(), 2u);
}

TEST(CsvReaderDelimiter, DefaultIsCommaAndOthersAreFields) {
  auto comma = CsvReader::fromString("a;b,c\n");
  EXPECT_EQ(comma.delimiter(), ',');
  std::vector<std::string> row;
  ASSERT_TRUE(comma.next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"a;b", "c"}));

  auto semicolon = CsvReader::fromString("a;b,c\n", ';');
  ASSERT_TRUE(semicolon.next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"a", "b,c"}));
}

TEST(CsvReaderDelimiter, TextAfterClosingQuoteIsCheckedAgainstTheDelimiter) {
  auto reader = CsvReader::fromString("\"a\",b\n", '|');
  std::vector<std::string> row;
  EXPECT_THROW(reader.next(row), CsvSyntaxError);
}

TEST(CsvReaderDelimiter, QuoteCrAndLfAreRefused) {
  for (char bad : {'"', '\r', '\n'}) {
    EXPECT_THROW(CsvReader::fromString("a\n", bad), InvalidArgument) << int(bad);
  }
}

}  // namespace
}  // namespace sfdc::bulk
