#include "salesforce_id.hpp"

#include <gtest/gtest.h>

namespace sfdc::emulator::detail {
namespace {

TEST(SalesforceIdTest, ChecksumMatchesKnownIds) {
  // Ids from Salesforce documentation samples with their published 18-character forms.
  EXPECT_EQ(idChecksum("003D000000Q89kQ"), "IAR");
  EXPECT_EQ(idChecksum("001D000000ISUr3"), "IAH");
  EXPECT_EQ(idChecksum("001xx000003DHP0"), "AAO");
  EXPECT_EQ(idChecksum("000000000000000"), "AAA");
  EXPECT_EQ(idChecksum("AAAAAAAAAAAAAAA"), "555");
}

TEST(SalesforceIdTest, NormalizeAccepts15And18Characters) {
  EXPECT_EQ(normalizeId("003D000000Q89kQ"), "003D000000Q89kQIAR");
  EXPECT_EQ(normalizeId("003D000000Q89kQIAR"), "003D000000Q89kQIAR");
  // The suffix is recomputed, so a lower-cased suffix still names the same record.
  EXPECT_EQ(normalizeId("003D000000Q89kQiar"), "003D000000Q89kQIAR");
}

TEST(SalesforceIdTest, NormalizeRejectsNonIds) {
  EXPECT_FALSE(normalizeId(""));
  EXPECT_FALSE(normalizeId("003D000000Q89k"));
  EXPECT_FALSE(normalizeId("003D000000Q89kQIA"));
  EXPECT_FALSE(normalizeId("003D000000Q89k-"));
  EXPECT_FALSE(normalizeId("003D000000Q89kQIARX"));
}

TEST(SalesforceIdTest, MintedIdsAreWellFormedAndSortInCreationOrder) {
  std::string previous;
  for (std::uint64_t counter : {1ull, 9ull, 10ull, 35ull, 36ull, 61ull, 62ull, 63ull, 3843ull,
                                3844ull, 1000000ull, 999999999999ull}) {
    const std::string id = makeId("003", counter);
    ASSERT_EQ(id.size(), 18u);
    EXPECT_EQ(id.substr(0, 3), "003");
    EXPECT_EQ(normalizeId(id), id);
    EXPECT_EQ(idCounter("003", id), counter);
    EXPECT_LT(previous, id);
    previous = id;
  }
}

TEST(SalesforceIdTest, CounterOnlyForTheOwnPrefix) {
  const std::string id = makeId("003", 42);
  EXPECT_FALSE(idCounter("001", id));
  EXPECT_FALSE(idCounter("003", "003D000000Q89kQIAR"));
}

}  // namespace
}  // namespace sfdc::emulator::detail
