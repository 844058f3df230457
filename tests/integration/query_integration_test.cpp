// Client::query end to end: the real CurlTransport against the emulator over loopback.
// Records are inserted through the core job API, then read back through query() in
// every format, across PK-chunk batches and split result files, through expired
// sessions and dropped connections.

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

struct Contact {
  std::string id;
  std::string firstName;
  std::string lastName;
  std::string description;
};

// Values with commas, quotes, line breaks, multibyte text and empty cells.
Contact makeContact(std::size_t i) {
  static const char* const firsts[] = {"Zoë 東京 🚀", "comma, inside", "say \"hi\"", "", "plain"};
  static const char* const descriptions[] = {"line1\nline2", "", "x,\"y\"\nz", "<tag>&amp;",
                                             "tab\there"};
  return Contact{"", firsts[i % 5], "Last" + std::to_string(i), descriptions[(i / 5) % 5]};
}

const char* const kSoql = "SELECT Id, FirstName, LastName, Description FROM Contact";

class QueryIntegrationTest : public EmulatorTest {
 protected:
  static QueryOptions fast() {
    QueryOptions options;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 50ms;
    options.timeout = 60s;
    return options;
  }

  // Insert `count` contacts through CSV insert jobs; returns them by id.
  std::map<std::string, Contact> insertContacts(std::size_t count) {
    Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
    std::vector<std::pair<BatchInfo, std::vector<Contact>>> batches;
    for (std::size_t start = 0; start < count; start += 10'000) {
      std::string body = "FirstName,LastName,Description\n";
      std::vector<Contact> rows;
      for (std::size_t i = start; i < std::min(count, start + 10'000); ++i) {
        rows.push_back(makeContact(i));
        appendCsvRow(body, {rows.back().firstName, rows.back().lastName, rows.back().description});
      }
      batches.emplace_back(client->addBatch(job, body), std::move(rows));
    }
    client->closeJob(job);
    std::map<std::string, Contact> byId;
    for (auto& [batch, rows] : batches) {
      EXPECT_EQ(waitForBatch(job, batch.id).state, BatchState::Completed);
      const auto results = client->getBatchResult(job, batch.id).records;
      EXPECT_EQ(results.size(), rows.size());
      for (std::size_t i = 0; i < results.size() && i < rows.size(); ++i) {
        EXPECT_TRUE(results[i].success);
        rows[i].id = results[i].id;
        byId[rows[i].id] = rows[i];
      }
    }
    return byId;
  }

  void deleteContacts(const std::vector<std::string>& ids) {
    Job job = client->createJob(Operation::Delete, "Contact", ContentType::CSV);
    std::string body = "Id\n";
    for (const auto& id : ids) body += id + "\n";
    BatchInfo batch = client->addBatch(job, body);
    client->closeJob(job);
    EXPECT_EQ(waitForBatch(job, batch.id).state, BatchState::Completed);
  }

  // Every row of a CSV stream, checking that no Id comes twice.
  static std::map<std::string, std::vector<std::string>> readRows(QueryStream& stream) {
    std::map<std::string, std::vector<std::string>> byId;
    std::vector<std::string> row;
    while (stream.nextRow(row)) {
      EXPECT_EQ(row.size(), stream.header().size());
      EXPECT_TRUE(byId.emplace(row.at(0), row).second) << "duplicate row " << row.at(0);
      EXPECT_NE(row.at(0), "Id") << "a header row was handed out as data";
    }
    return byId;
  }

  static void expectEqualRows(const std::map<std::string, Contact>& expected,
                              const std::map<std::string, std::vector<std::string>>& actual) {
    ASSERT_EQ(actual.size(), expected.size());
    for (const auto& [id, contact] : expected) {
      const auto it = actual.find(id);
      ASSERT_NE(it, actual.end()) << id;
      EXPECT_EQ(it->second[1], contact.firstName) << id;
      EXPECT_EQ(it->second[2], contact.lastName) << id;
      EXPECT_EQ(it->second[3], contact.description) << id;
    }
  }

  // Result files of every batch of a job, to check a test really spanned several.
  std::size_t resultFileCount(const std::string& jobId) {
    Job job = client->attachJob(jobId);
    std::size_t files = 0;
    for (const auto& batch : client->getAllBatches(job)) {
      if (batch.state == BatchState::Completed) {
        files += client->getBatchResult(job, batch.id).resultIds.size();
      }
    }
    return files;
  }
};

// JSON and XML give null for a field that was never set; CSV gives "" for both.
std::string text(const nlohmann::json& value) {
  return value.is_null() ? std::string() : value.get<std::string>();
}

TEST_F(QueryIntegrationTest, CsvJsonAndXmlReadBackFieldByField) {
  const auto expected = insertContacts(250);
  {
    QueryStream stream = client->query(kSoql, fast());
    EXPECT_EQ(stream.header(),
              (std::vector<std::string>{"Id", "FirstName", "LastName", "Description"}));
    expectEqualRows(expected, readRows(stream));
    EXPECT_EQ(stream.rowCount(), 250u);
  }
  for (ContentType type : {ContentType::JSON, ContentType::XML}) {
    SCOPED_TRACE(std::string(toString(type)));
    QueryOptions options = fast();
    options.contentType = type;
    QueryStream stream = client->query(kSoql, options);
    std::size_t count = 0;
    for (nlohmann::json record; stream.nextRecord(record); ++count) {
      const auto it = expected.find(record.at("Id").get<std::string>());
      ASSERT_NE(it, expected.end()) << record.dump();
      EXPECT_EQ(text(record.at("FirstName")), it->second.firstName) << record.dump();
      EXPECT_EQ(text(record.at("LastName")), it->second.lastName);
      EXPECT_EQ(text(record.at("Description")), it->second.description) << record.dump();
    }
    EXPECT_EQ(count, 250u);
  }
}

// A JSON query's datetimes arrive as the service sends them, epoch milliseconds, and reach
// the caller unchanged; CSV gives the ISO text.
TEST_F(QueryIntegrationTest, JsonDatetimesReachTheCallerAsEpochMilliseconds) {
  insertContacts(3);
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  QueryOptions options = fast();
  options.contentType = ContentType::JSON;
  QueryStream stream = client->query("SELECT Id, CreatedDate FROM Contact", options);
  std::size_t count = 0;
  for (nlohmann::json record; stream.nextRecord(record); ++count) {
    ASSERT_TRUE(record.at("CreatedDate").is_number_integer()) << record.dump();
    EXPECT_NEAR(static_cast<double>(record["CreatedDate"].get<long long>()),
                static_cast<double>(now), 60'000.0);
  }
  EXPECT_EQ(count, 3u);
  QueryStream csv = client->query("SELECT Id, CreatedDate FROM Contact", fast());
  for (const auto& [id, row] : readRows(csv)) {
    EXPECT_EQ(row.at(1).size(), 24u) << row.at(1);  // 2026-12-04T20:55:01.000Z
    EXPECT_EQ(row.at(1).back(), 'Z') << row.at(1);
  }
}

TEST_F(QueryIntegrationTest, QueryAllSeesDeletedRecords) {
  const auto contacts = insertContacts(10);
  std::vector<std::string> deleted;
  for (const auto& [id, contact] : contacts) {
    if (deleted.size() < 4) deleted.push_back(id);
  }
  deleteContacts(deleted);

  QueryStream live = client->query("SELECT Id, IsDeleted FROM Contact", fast());
  const auto liveRows = readRows(live);
  EXPECT_EQ(liveRows.size(), 6u);
  for (const auto& id : deleted) EXPECT_EQ(liveRows.count(id), 0u);

  QueryOptions all = fast();
  all.all = true;
  QueryStream everything = client->query("SELECT Id, IsDeleted FROM Contact", all);
  const auto allRows = readRows(everything);
  EXPECT_EQ(allRows.size(), 10u);
  for (const auto& id : deleted) {
    ASSERT_EQ(allRows.count(id), 1u);
    EXPECT_EQ(allRows.at(id)[1], "true");
  }
}

TEST_F(QueryIntegrationTest, PkChunkingReadsEveryChunkOnce) {
  const auto expected = insertContacts(1'000);
  QueryOptions options = fast();
  options.pkChunking = PkChunking{150, "", ""};
  QueryStream stream = client->query(kSoql, options);
  expectEqualRows(expected, readRows(stream));

  const auto batches = client->getAllBatches(client->attachJob(stream.jobId()));
  ASSERT_EQ(batches.size(), 1u + 7u);  // the SOQL batch and ceil(1000 / 150) chunks
  EXPECT_EQ(batches.front().state, BatchState::NotProcessed);
  for (std::size_t i = 1; i < batches.size(); ++i) {
    EXPECT_EQ(batches[i].state, BatchState::Completed);
  }
}

// PK chunks are id ranges: where records were deleted, chunks are short or empty, and
// the query still reads every live row once.
TEST_F(QueryIntegrationTest, PkChunkingReadsEmptyChunksAfterDeletes) {
  auto expected = insertContacts(500);
  std::vector<std::string> gone;
  for (auto it = std::next(expected.begin(), 100); gone.size() < 200;) {
    gone.push_back(it->first);
    it = expected.erase(it);
  }
  deleteContacts(gone);
  QueryOptions options = fast();
  options.pkChunking = PkChunking{100, "", ""};
  QueryStream stream = client->query(kSoql, options);
  expectEqualRows(expected, readRows(stream));

  const auto batches = client->getAllBatches(client->attachJob(stream.jobId()));
  ASSERT_EQ(batches.size(), 1u + 5u);  // 500 ids from first to last: 5 ranges of 100
  std::vector<std::int64_t> processed;
  for (std::size_t i = 1; i < batches.size(); ++i) {
    processed.push_back(batches[i].numberRecordsProcessed);
  }
  EXPECT_EQ(processed, (std::vector<std::int64_t>{100, 0, 0, 100, 100}));
}

TEST_F(QueryIntegrationTest, EmptyResultHasNoRows) {
  QueryStream stream = client->query(kSoql, fast());
  EXPECT_TRUE(stream.header().empty());
  std::vector<std::string> row;
  EXPECT_FALSE(stream.nextRow(row));
}

class SmallFilesQueryTest : public QueryIntegrationTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions options;
    options.resultFileMaxBytes = 4'000;
    return options;
  }
};

TEST_F(SmallFilesQueryTest, SplitResultFilesJoinWithOneHeader) {
  const auto expected = insertContacts(600);
  QueryStream stream = client->query(kSoql, fast());
  expectEqualRows(expected, readRows(stream));
  EXPECT_GT(resultFileCount(stream.jobId()), 5u);
}

TEST_F(SmallFilesQueryTest, JsonAndXmlAcrossSplitFiles) {
  const auto expected = insertContacts(300);
  for (ContentType type : {ContentType::JSON, ContentType::XML}) {
    SCOPED_TRACE(std::string(toString(type)));
    QueryOptions options = fast();
    options.contentType = type;
    QueryStream stream = client->query(kSoql, options);
    std::set<std::string> ids;
    for (nlohmann::json record; stream.nextRecord(record);) {
      EXPECT_TRUE(ids.insert(record.at("Id").get<std::string>()).second);
    }
    EXPECT_EQ(ids.size(), expected.size());
    EXPECT_GT(resultFileCount(stream.jobId()), 2u);
  }
}

TEST_F(SmallFilesQueryTest, SessionExpiredMidQueryCompletes) {
  const auto expected = insertContacts(600);
  QueryOptions options = fast();
  options.pkChunking = PkChunking{200, "", ""};
  QueryStream stream = client->query(kSoql, options);
  server->expireSessions();  // before the next poll or download
  std::map<std::string, std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (stream.nextRow(row)) {
    if (rows.size() == 100 || rows.size() == 400) server->expireSessions();
    EXPECT_TRUE(rows.emplace(row.at(0), row).second);
  }
  expectEqualRows(expected, rows);
  EXPECT_GT(resultFileCount(stream.jobId()), 3u);
}

TEST_F(SmallFilesQueryTest, DroppedConnectionsMidDownloadLoseAndRepeatNothing) {
  const auto expected = insertContacts(600);
  std::atomic<int> resumed{0};
  Config config = emulatorConfig(*server);
  config.logHandler = [&resumed](LogLevel, std::string_view message) {
    if (message.find("downloading it again") != std::string_view::npos) ++resumed;
  };
  Client logged(config, transport);
  QueryStream stream = logged.query(kSoql, fast());
  // The first file is open already; cut the next downloads halfway.
  emulator::Faults faults;
  faults.dropMidResponse = 3;
  server->setFaults(faults);
  expectEqualRows(expected, readRows(stream));
  EXPECT_EQ(server->faults().dropMidResponse, 0);
  EXPECT_EQ(resumed.load(), 3);
  EXPECT_EQ(stream.rowCount(), 600u);
}

TEST_F(SmallFilesQueryTest, QueryToCsvFileWritesOneHeaderAndEveryRow) {
  const auto expected = insertContacts(500);
  const auto path = (std::filesystem::temp_directory_path() /
                     ("sfdc-query-it-" +
                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + ".csv"))
                        .string();
  QueryOptions options = fast();
  options.pkChunking = PkChunking{100, "", ""};
  EXPECT_EQ(client->queryToCsvFile(kSoql, path, options), 500u);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  std::ifstream in(path, std::ios::binary);
  CsvReader reader(in);
  std::vector<std::string> row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row, (std::vector<std::string>{"Id", "FirstName", "LastName", "Description"}));
  std::map<std::string, std::vector<std::string>> rows;
  while (reader.next(row)) EXPECT_TRUE(rows.emplace(row.at(0), row).second);
  in.close();
  std::filesystem::remove(path);
  expectEqualRows(expected, rows);
}

}  // namespace
}  // namespace sfdc::bulk::testing
