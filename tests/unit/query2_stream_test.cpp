// Client::query over Bulk API 2.0, page after page by locator: the header of the first
// page only, the final `null` locator, empty pages, values that stress the CSV reader.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/fake_bulk2_query.hpp"

namespace sfdc::bulk::testing {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Query2Stream : ::testing::Test {
  std::shared_ptr<FakeBulk2Query> server = std::make_shared<FakeBulk2Query>();
  Client client{std::make_shared<Bulk2OnlyConnection>(server)};
};

TEST_F(Query2Stream, FollowsLocatorsUntilTheLiteralNull) {
  server->makeRows(8);  // pages of 3, 3 and 2 rows
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(stream.jobId(), FakeBulk2Query::kJobId);
  EXPECT_EQ(stream.header(), (std::vector<std::string>{"Id", "Name"}));
  EXPECT_EQ(readAllRows(stream), server->rows);
  EXPECT_EQ(stream.rowCount(), 8u);

  const auto seen = server->seen();
  ASSERT_EQ(seen.pageRequests.size(), 3u);
  EXPECT_EQ(seen.pageRequests[0].first, 0u);
  EXPECT_EQ(seen.pageRequests[1].first, 1u);
  EXPECT_EQ(seen.pageRequests[2].first, 2u);
  EXPECT_EQ(seen.soql, std::vector<std::string>{"SELECT Id, Name FROM Account"});
  EXPECT_FALSE(seen.createOptions.at(0).all);
  // Reading on after the end asks for nothing more.
  std::vector<std::string> row;
  EXPECT_FALSE(stream.nextRow(row));
  EXPECT_EQ(server->seen().pageRequests.size(), 3u);
}

TEST_F(Query2Stream, LaterHeadersAreDroppedAndEmptyPagesSkipped) {
  server->makeRows(5);
  server->pageSizes = {2, 0, 0, 3, 0};
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  const Rows rows = readAllRows(stream);
  EXPECT_EQ(rows, server->rows);
  for (const auto& row : rows) EXPECT_NE(row, server->header);
  EXPECT_EQ(server->seen().pageRequests.size(), 5u);
}

TEST_F(Query2Stream, ALaterPageWithoutItsHeaderLosesNoRow) {
  // Salesforce repeats the header; should a page ever lack it, its first row is data.
  server->makeRows(7);
  server->headerOnEveryPage = false;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(readAllRows(stream), server->rows);
}

TEST_F(Query2Stream, ZeroRowsGiveTheHeaderAndNoRow) {
  server->makeRows(0);
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  EXPECT_EQ(stream.header(), server->header);
  EXPECT_TRUE(readAllRows(stream).empty());
  EXPECT_EQ(stream.rowCount(), 0u);
}

TEST_F(Query2Stream, MaxRecordsPerPageIsSentWithEveryPage) {
  server->makeRows(10);
  QueryOptions options = fastV2Options();
  options.maxRecordsPerPage = 4;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  EXPECT_EQ(readAllRows(stream), server->rows);
  const auto seen = server->seen();
  ASSERT_EQ(seen.pageRequests.size(), 3u);  // 4 + 4 + 2
  for (const auto& request : seen.pageRequests) EXPECT_EQ(request.second, 4);
}

TEST_F(Query2Stream, NastyValuesComeBackFieldByField) {
  server->header = {"Id", "Description", "City"};
  server->rows = {
      {"001A", "say \"hi\", twice", "Zoë 東京 🚀"},
      {"001B", "line one\nline two\r\nline three", "  leading spaces"},
      {"001C", "", "trailing  "},
      {"001D", "a,b,,c", "\"\""},
      {"001E", "\r", "#N/A"},
  };
  server->pageSizes = {2, 3};
  server->chunkBytes = 3;
  server->lineEnding = "\r\n";
  QueryStream stream = client.query("SELECT Id, Description, City FROM Account", fastV2Options());
  EXPECT_EQ(readAllRows(stream), server->rows);
}

TEST_F(Query2Stream, NextRecordGivesFieldToStringObjects) {
  server->makeRows(4);
  QueryStream stream = client.query("SELECT Id, Name FROM Account", fastV2Options());
  nlohmann::json record;
  std::size_t count = 0;
  while (stream.nextRecord(record)) {
    ASSERT_TRUE(record.is_object());
    EXPECT_EQ(record.at("Id"), server->rows[count][0]);
    EXPECT_EQ(record.at("Name"), server->rows[count][1]);
    ++count;
  }
  EXPECT_EQ(count, 4u);
}

TEST_F(Query2Stream, CancellingWhileReadingStopsAtTheNextRow) {
  server->makeRows(9);
  QueryOptions options = fastV2Options();
  options.cancel = std::make_shared<CancellationToken>();
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  std::vector<std::string> row;
  ASSERT_TRUE(stream.nextRow(row));
  options.cancel->cancel();
  EXPECT_THROW(stream.nextRow(row), Error);
  EXPECT_EQ(stream.rowCount(), 1u);
  // The job is complete: there is nothing to abort, and no further page was asked for.
  EXPECT_EQ(server->seen().aborts, 0);
  EXPECT_EQ(server->seen().pageRequests.size(), 1u);
}

TEST_F(Query2Stream, QueryAllIsAskedFor) {
  server->makeRows(1);
  QueryOptions options = fastV2Options();
  options.all = true;
  QueryStream stream = client.query("SELECT Id FROM Account", options);
  EXPECT_TRUE(server->seen().createOptions.at(0).all);
}

TEST_F(Query2Stream, QueryToCsvFileWritesOneHeaderAndEveryRow) {
  server->makeRows(7);
  server->rows[3][1] = "with, comma";
  const auto path =
      (std::filesystem::temp_directory_path() / ("query2-" + std::to_string(::getpid()) + ".csv"))
          .string();
  const std::uint64_t written =
      client.queryToCsvFile("SELECT Id, Name FROM Account", path, fastV2Options());
  EXPECT_EQ(written, 7u);
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string expected = "Id,Name\n";
  for (const auto& row : server->rows) appendCsvRow(expected, row);
  EXPECT_EQ(text.str(), expected);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace sfdc::bulk::testing
