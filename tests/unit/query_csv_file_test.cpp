// Client::queryToCsvFile: one header, every row, and no file under the name on failure.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/query_test_support.hpp"

namespace sfdc::bulk::testing {
namespace {

struct QueryCsvFileTest : QueryTest {
  std::filesystem::path dir;
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("sfdc-query-csv-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  static std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

TEST_F(QueryCsvFileTest, WritesOneHeaderAndEveryRowQuotingOnlyWhenNeeded) {
  singleBatch({"752x01000000000AAA", "752x02000000000AAA", "752x03000000000AAA"});
  server->files["752x01000000000AAA"] = "\"Id\",\"Name\"\n\"001A\",\"Acme, Inc.\"\n";
  server->files["752x02000000000AAA"] = "Records not found for this query";
  server->files["752x03000000000AAA"] =
      "\"Id\",\"Name\"\n\"001B\",\"say \"\"hi\"\"\"\n\"001C\",\"\"\n";
  const auto path = (dir / "out.csv").string();
  QueryOptions options = fast();
  options.contentType = ContentType::JSON;  // the file is CSV whatever was asked
  EXPECT_EQ(client.queryToCsvFile("SELECT Id, Name FROM Account", path, options), 3u);
  EXPECT_EQ(slurp(path), "Id,Name\n001A,\"Acme, Inc.\"\n001B,\"say \"\"hi\"\"\"\n001C,\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_NE(server->requests()[0].body.find("<contentType>CSV</contentType>"), std::string::npos);
}

TEST_F(QueryCsvFileTest, NoRowsWritesAnEmptyFile) {
  singleBatch({"752x01000000000AAA"});
  server->files["752x01000000000AAA"] = "Records not found for this query";
  const auto path = (dir / "empty.csv").string();
  EXPECT_EQ(client.queryToCsvFile("SELECT Id FROM Account", path, fast()), 0u);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ(slurp(path), "");
}

TEST_F(QueryCsvFileTest, FailureLeavesNoFileThatLooksComplete) {
  const std::string parent = server->rootBatchId;
  server->polls = {
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "InProgress"}},
      {{parent, "NotProcessed"},
       {"751c10000000000AAA", "Completed"},
       {"751c20000000000AAA", "Failed"}},
  };
  server->resultIds = {{"751c10000000000AAA", {"752a00000000000AAA"}}};
  server->files = {{"752a00000000000AAA", "\"Id\"\n\"001A\"\n"}};
  const auto path = (dir / "partial.csv").string();
  {
    std::ofstream old(path);
    old << "previous contents\n";
  }
  QueryOptions options = fast();
  options.pkChunking = PkChunking{};
  EXPECT_THROW(client.queryToCsvFile("SELECT Id FROM Account", path, options), ApiError);
  EXPECT_EQ(slurp(path), "previous contents\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST_F(QueryCsvFileTest, UnwritablePathFailsBeforeAnyRequest) {
  const auto path = (dir / "missing-dir" / "out.csv").string();
  EXPECT_THROW(client.queryToCsvFile("SELECT Id FROM Account", path, fast()), Error);
  EXPECT_TRUE(server->requests().empty());
}

}  // namespace
}  // namespace sfdc::bulk::testing
