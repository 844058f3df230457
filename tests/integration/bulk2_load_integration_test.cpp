// Client::load and Client::query over Bulk API 2.0 against the emulator: a load split
// over several jobs with every row's outcome checked, result files in the same format as
// 1.0 loads, whole-job failures, and queries sequential and parallel.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

class Bulk2LoadTest : public EmulatorFilesTest {
 protected:
  LoadOptions bulk2() const {
    LoadOptions options;
    options.api = BulkApi::V2;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 50ms;
    return options;
  }

  /// Rows of a CSV file keyed by the header.
  static std::vector<std::map<std::string, std::string>> readCsv(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    CsvReader reader(in);
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
    if (!reader.next(header)) return rows;
    for (std::vector<std::string> row; reader.next(row);) {
      std::map<std::string, std::string> cells;
      for (std::size_t i = 0; i < header.size() && i < row.size(); ++i) cells[header[i]] = row[i];
      rows.push_back(cells);
    }
    return rows;
  }
};

// 60,000 rows over three jobs of 20,000; every 1,000th row lacks its LastName and must
// fail, with its own row number, and every other row must succeed with its own id.
TEST_F(Bulk2LoadTest, SixtyThousandRowsOverThreeJobsEachRowMappedToItsOutcome) {
  constexpr std::size_t kRows = 60'000;
  const std::string input = path("in.csv");
  {
    std::ofstream out(input, std::ios::binary);
    out << "FirstName,LastName,Email\r\n";  // CRLF input: the load sends LF
    for (std::size_t i = 1; i <= kRows; ++i) {
      out << "F" << i << "," << (i % 1000 == 0 ? "" : "L" + std::to_string(i)) << ",row" << i
          << "@example.com\r\n";
    }
  }
  LoadOptions options = bulk2();
  options.maxJobRecords = 20'000;
  options.concurrency = 2;
  options.successFile = path("success.csv");
  options.errorFile = path("errors.csv");
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), options);

  EXPECT_EQ(result.recordsRead, kRows);
  EXPECT_EQ(result.jobIds.size(), 3u);
  ASSERT_EQ(result.jobs.size(), 3u);
  for (const auto& job : result.jobs) EXPECT_EQ(job.state, Bulk2JobState::JobComplete);
  EXPECT_EQ(result.jobId, result.jobIds.front());
  EXPECT_EQ(result.succeeded, kRows - 60);
  EXPECT_EQ(result.failed, 60u);
  EXPECT_EQ(result.notProcessed, 0u);
  ASSERT_EQ(result.rows.size(), kRows);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < kRows; ++i) {
    const RowResult& row = result.rows[i];
    ASSERT_EQ(row.row, i + 1);
    if ((i + 1) % 1000 == 0) {
      EXPECT_FALSE(row.success) << "row " << row.row;
      ASSERT_FALSE(row.errors.empty()) << "row " << row.row;
      EXPECT_EQ(row.errors[0].statusCode, "REQUIRED_FIELD_MISSING");
    } else {
      EXPECT_TRUE(row.success) << "row " << row.row;
      EXPECT_TRUE(row.created);
      EXPECT_TRUE(ids.insert(row.id).second) << "id handed to two rows: " << row.id;
    }
  }
  EXPECT_EQ(recordCount("Contact"), kRows - 60);

  // The result files in the same format as 1.0 loads, in input order.
  const auto success = readCsv(path("success.csv"));
  ASSERT_EQ(success.size(), kRows - 60);
  EXPECT_EQ(success[0].at("Email"), "row1@example.com");
  EXPECT_EQ(success[0].at("sf__Id"), result.rows[0].id);
  EXPECT_EQ(success[0].at("sf__Created"), "true");
  const auto errors = readCsv(path("errors.csv"));
  ASSERT_EQ(errors.size(), 60u);
  EXPECT_EQ(errors[0].at("Email"), "row1000@example.com");
  EXPECT_NE(errors[0].at("sf__Error").find("REQUIRED_FIELD_MISSING"), std::string::npos);

  // Each record holds its own row's values: the mapping did not swap rows.
  QueryOptions query;
  query.api = BulkApi::V2;
  query.maxRecordsPerPage = 9'000;
  query.parallelDownloads = 3;
  QueryStream stream = client->query("SELECT Id, FirstName, Email FROM Contact", query);
  std::map<std::string, std::string> emailById;
  for (std::vector<std::string> row; stream.nextRow(row);) emailById[row.at(0)] = row.at(2);
  EXPECT_EQ(emailById.size(), kRows - 60);
  std::size_t mismatched = 0;
  for (const RowResult& row : result.rows) {
    if (row.success && emailById[row.id] != "row" + std::to_string(row.row) + "@example.com") {
      ++mismatched;
    }
  }
  EXPECT_EQ(mismatched, 0u);
}

TEST_F(Bulk2LoadTest, IdenticalRowsEachGetTheirOwnResult) {
  std::vector<nlohmann::json> records(50, nlohmann::json{{"LastName", "Same"}});
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::records(records), bulk2());
  EXPECT_EQ(result.succeeded, 50u);
  std::set<std::string> ids;
  for (const auto& row : result.rows) ids.insert(row.id);
  EXPECT_EQ(ids.size(), 50u);
}

TEST_F(Bulk2LoadTest, WholeJobFailureReportsEveryRowNotProcessedWithTheServersMessage) {
  const std::string input = path("bad.csv");
  {
    std::ofstream out(input, std::ios::binary);
    out << "LastName,NoSuchField__c\n";
    for (int i = 0; i < 500; ++i) out << "L" << i << ",x\n";
  }
  LoadOptions options = bulk2();
  options.errorFile = path("errors.csv");
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), options);
  EXPECT_EQ(result.notProcessed, 500u);
  EXPECT_EQ(result.succeeded, 0u);
  ASSERT_EQ(result.jobs.size(), 1u);
  EXPECT_EQ(result.jobs[0].state, Bulk2JobState::Failed);
  EXPECT_NE(result.jobs[0].errorMessage.find("NoSuchField__c"), std::string::npos);
  ASSERT_EQ(result.rows.size(), 500u);
  EXPECT_TRUE(result.rows[0].notProcessed);
  ASSERT_FALSE(result.rows[0].errors.empty());
  EXPECT_NE(result.rows[0].errors[0].message.find("NoSuchField__c"), std::string::npos);
  EXPECT_EQ(readCsv(path("errors.csv")).size(), 500u);
  EXPECT_FALSE(result.allSucceeded());
}

TEST_F(Bulk2LoadTest, RefusesWhatBulkApi2CannotDo) {
  LoadOptions json = bulk2();
  json.contentType = ContentType::JSON;
  EXPECT_THROW(client->load(Operation::Insert, "Contact",
                            RecordSource::records({{{"LastName", "A"}}}), json),
               InvalidArgument);
  LoadOptions serial = bulk2();
  serial.concurrencyMode = ConcurrencyMode::Serial;
  EXPECT_THROW(client->load(Operation::Insert, "Contact",
                            RecordSource::records({{{"LastName", "A"}}}), serial),
               InvalidArgument);
  QueryOptions chunked;
  chunked.api = BulkApi::V2;
  chunked.pkChunking = PkChunking{};
  EXPECT_THROW(client->query("SELECT Id FROM Contact", chunked), InvalidArgument);
  // Nothing reached the server.
  EXPECT_EQ(client->requestCount(), 0u);
}

TEST_F(Bulk2LoadTest, RecordsLoadedOverOneApiAreVisibleOverTheOther) {
  LoadOptions v1;
  v1.pollMinInterval = 5ms;
  client->load(Operation::Insert, "Account", RecordSource::records({{{"Name", "Over v1"}}}), v1);
  client->load(Operation::Insert, "Account", RecordSource::records({{{"Name", "Over v2"}}}),
               bulk2());
  for (const BulkApi api : {BulkApi::V1, BulkApi::V2}) {
    QueryOptions query;
    query.api = api;
    QueryStream stream = client->query("SELECT Name FROM Account", query);
    std::set<std::string> names;
    for (std::vector<std::string> row; stream.nextRow(row);) names.insert(row.at(0));
    EXPECT_EQ(names, (std::set<std::string>{"Over v1", "Over v2"}));
  }
}

}  // namespace
}  // namespace sfdc::bulk::testing
