// A 2.0 result page that breaks off mid-body or fails on an expired session is
// requested again by the same locator; the rows already handed out are skipped, so no
// row comes twice and none is lost.

#include <gtest/gtest.h>

#include <set>

#include "support/fake_bulk2_query.hpp"

namespace sfdc::bulk::testing {
namespace {

struct Query2Resume : ::testing::Test {
  std::shared_ptr<FakeBulk2Query> server = std::make_shared<FakeBulk2Query>();
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};

  std::vector<std::size_t> requestedPages() const {
    std::vector<std::size_t> pages;
    for (const auto& request : server->seen().pageRequests) pages.push_back(request.first);
    return pages;
  }
};

TEST_F(Query2Resume, AMidPageBreakIsResumedWithNoRowTwice) {
  server->makeRows(9);
  server->breakPage[1] = {1, 2};  // page 2 breaks inside its second row, twice
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  const auto rows = readAllRows(stream);
  EXPECT_EQ(rows, server->rows);
  std::set<std::vector<std::string>> distinct(rows.begin(), rows.end());
  EXPECT_EQ(distinct.size(), rows.size());
  // Page 2 (index 1) was asked for three times, by the same locator.
  EXPECT_EQ(requestedPages(), (std::vector<std::size_t>{0, 1, 1, 1, 2}));
}

TEST_F(Query2Resume, ABreakInTheFirstRowOfTheFirstPageIsResumed) {
  server->makeRows(4);
  server->breakPage[0] = {0, 1};
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(readAllRows(stream), server->rows);
}

TEST_F(Query2Resume, ASessionExpiryOnAPageIsResumed) {
  server->makeRows(7);
  server->expirePage[2] = 1;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(readAllRows(stream), server->rows);
  EXPECT_EQ(requestedPages(), (std::vector<std::size_t>{0, 1, 2, 2}));
}

TEST_F(Query2Resume, APageThatAlwaysBreaksEndsWithTheTransportErrorAfterBoundedAttempts) {
  server->makeRows(6);
  server->breakPage[1] = {2, 1000};
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  EXPECT_THROW(
      {
        while (stream.nextRow(row)) rows.push_back(row);
      },
      TransportError);
  // Everything before the break point was handed out exactly once.
  ASSERT_EQ(rows.size(), 5u);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i], server->rows[i]);
  std::size_t page1 = 0;
  for (auto page : requestedPages()) page1 += page == 1;
  EXPECT_EQ(page1, static_cast<std::size_t>(server->policy.maxAttempts));
}

TEST_F(Query2Resume, ABodyShorterThanAnnouncedIsRequestedAgain) {
  // The body ends cleanly at a row boundary, one row short of Sforce-NumberOfRecords.
  server->makeRows(9);
  server->truncatePage[1] = {2, 1};
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(readAllRows(stream), server->rows);
  EXPECT_EQ(requestedPages(), (std::vector<std::size_t>{0, 1, 1, 2}));
}

TEST_F(Query2Resume, ARefusedPageIsNotRetried) {
  server->makeRows(6);
  server->pageSizes = {3, 3};
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  // Make the second page's locator unknown to the server: a 400 is final.
  server->pageSizes = {6};
  std::vector<std::string> row;
  EXPECT_THROW(
      {
        while (stream.nextRow(row)) {
        }
      },
      ApiError);
  EXPECT_EQ(requestedPages(), (std::vector<std::size_t>{0, 1}));
}

}  // namespace
}  // namespace sfdc::bulk::testing
