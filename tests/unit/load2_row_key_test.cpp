// Keys that pair Bulk API 2.0 result rows with input rows: numbers by exact value, text
// by its bytes; the LF row ends of what is sent.

#include <gtest/gtest.h>

#include "load2/lf_rows.hpp"
#include "load2/row_key.hpp"

namespace sfdc::bulk::detail::load2 {
namespace {

std::string canonical(const std::string& cell) {
  std::string out;
  return canonicalNumber(cell, out) ? out : "<text>";
}

RowKey keyOf(std::vector<std::string> cells) {
  std::vector<std::size_t> columns(cells.size());
  for (std::size_t i = 0; i < columns.size(); ++i) columns[i] = i;
  return rowKey(cells, columns);
}

TEST(Load2RowKey, NumbersRenderedAsJavaDoublesHaveTheirInputsCanonicalForm) {
  EXPECT_EQ(canonical("912260031"), canonical("9.12260031E8"));
  EXPECT_EQ(canonical("1000"), canonical("1.0E3"));
  EXPECT_EQ(canonical("0.5"), canonical("5.0E-1"));
  EXPECT_EQ(canonical("-12"), canonical("-1.2E1"));
  EXPECT_EQ(canonical("0"), canonical("0.0"));
  EXPECT_EQ(canonical("007"), canonical("7"));
  EXPECT_EQ(canonical("912260031"), "912260031e9");
}

TEST(Load2RowKey, DistinctValuesStayDistinctWithoutRounding) {
  // Past double precision: two long numeric ids must not be taken for one another.
  EXPECT_NE(canonical("100000000000000001"), canonical("100000000000000002"));
  EXPECT_NE(canonical("1.5"), canonical("15"));
  EXPECT_NE(canonical("-1"), canonical("1"));
}

TEST(Load2RowKey, TextIsNotANumber) {
  for (const char* text :
       {"", "abc", "12abc", "0x1A", "1e", "1.2.3", "inf", "NaN", " 12", "12 ", "+", "."}) {
    EXPECT_EQ(canonical(text), "<text>") << text;
  }
}

TEST(Load2RowKey, RowsKeyByCellsAndCellBoundaries) {
  EXPECT_EQ(keyOf({"Acme", "912260031"}), keyOf({"Acme", "9.12260031E8"}));
  EXPECT_FALSE(keyOf({"ab", "c"}) == keyOf({"a", "bc"}));
  EXPECT_FALSE(keyOf({"Acme", "1"}) == keyOf({"acme", "1"}));
  // Only the listed columns count.
  const std::vector<std::string> cells{"sf-id", "Acme", "7"};
  EXPECT_EQ(rowKey(cells, {1, 2}), keyOf({"Acme", "7"}));
}

TEST(Load2LfRows, EveryRowEndsWithOneLfAndQuotedBreaksStay) {
  std::string crlf = "a,b\r\n";
  endWithLf(crlf);
  EXPECT_EQ(crlf, "a,b\n");
  std::string last = "a,b";
  endWithLf(last);
  EXPECT_EQ(last, "a,b\n");
  std::string quoted = "a,\"line1\r\nline2\"\r\n";
  endWithLf(quoted);
  EXPECT_EQ(quoted, "a,\"line1\r\nline2\"\n");
}

}  // namespace
}  // namespace sfdc::bulk::detail::load2
