// Client::query resuming a result download that broke off: no row lost, none repeated.

#include <gtest/gtest.h>

#include "support/query_test_support.hpp"

namespace sfdc::bulk::testing {
namespace {

std::string csvFile(const std::string& prefix, int rows) {
  std::string body = "\"Id\",\"Note\"\n";
  for (int i = 0; i < rows; ++i) {
    body += "\"" + prefix + std::to_string(i) + "\",\"multi\nline, \"\"quoted\"\"\"\n";
  }
  return body;
}

TEST_F(QueryTest, CsvDownloadCutMidFileResumesWithoutDuplicates) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA"});
  server->files["752x01000000000AAA"] = csvFile("a", 50);
  server->files["752x02000000000AAA"] = csvFile("b", 50);
  // The first file breaks off twice (at different places), the second once.
  server->cuts["752x01000000000AAA"] = {300, 1};
  server->cuts["752x02000000000AAA"] = {101, 1};
  QueryStream stream = client.query("SELECT Id, Note FROM Account", fast());
  const Rows rows = readAll(stream);
  ASSERT_EQ(rows.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    const std::string id = (i < 50 ? "a" : "b") + std::to_string(i % 50);
    EXPECT_EQ(rows[i][0], id);
    EXPECT_EQ(rows[i][1], "multi\nline, \"quoted\"");
  }
  EXPECT_EQ(server->count("/result/752x01000000000AAA"), 2u);
  EXPECT_EQ(server->count("/result/752x02000000000AAA"), 2u);
}

TEST_F(QueryTest, CutInsideTheHeaderResumes) {
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = csvFile("a", 3);
  server->cuts["752x01000000000AAA"] = {4, 2};
  QueryStream stream = client.query("SELECT Id, Note FROM Account", fast());
  EXPECT_EQ(stream.header(), (std::vector<std::string>{"Id", "Note"}));
  EXPECT_EQ(readAll(stream).size(), 3u);
  EXPECT_EQ(server->count("/result/752x01000000000AAA"), 3u);
}

TEST_F(QueryTest, JsonDownloadCutMidFileResumesWithoutDuplicates) {
  server->contentType = "JSON";
  singleBatch({"752x01000000000AAA"});
  std::string body = "[";
  for (int i = 0; i < 40; ++i) {
    body += (i ? "," : "") + std::string(R"({"attributes":{"type":"Account"},"Id":"001)") +
            std::to_string(i) + R"(","Name":"n]}\"x"})";
  }
  body += "]";
  server->files["752x01000000000AAA"] = body;
  server->cuts["752x01000000000AAA"] = {body.size() / 2, 1};
  QueryOptions options = fast();
  options.contentType = ContentType::JSON;
  QueryStream stream = client.query("SELECT Id, Name FROM Account", options);
  std::vector<std::string> ids;
  for (nlohmann::json record; stream.nextRecord(record);) ids.push_back(record["Id"]);
  ASSERT_EQ(ids.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(ids[i], "001" + std::to_string(i));
}

TEST_F(QueryTest, DownloadThatKeepsBreakingEndsWithTheTransportError) {
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = csvFile("a", 20);
  server->cuts["752x01000000000AAA"] = {200, 1000};
  QueryStream stream = client.query("SELECT Id, Note FROM Account", fast());
  std::vector<std::string> row;
  std::size_t rows = 0;
  try {
    while (stream.nextRow(row)) ++rows;
    FAIL() << "no error";
  } catch (const TransportError&) {
  }
  // Bounded by Config::retry.maxAttempts (5) downloads without progress.
  EXPECT_EQ(server->count("/result/752x01000000000AAA"), 5u);
  EXPECT_EQ(rows, stream.rowCount());
}

}  // namespace
}  // namespace sfdc::bulk::testing
