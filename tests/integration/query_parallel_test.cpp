// Bulk API 1.0 queries with parallelDownloads > 1, end to end against the emulator over
// the real CurlTransport: rows in the same order as a sequential read across PK-chunk
// batches and split result files in every format, dropped connections, cancellation,
// errors in order, and spool files removed.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <set>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

const char* const kSoql = "SELECT Id, FirstName, LastName, Description FROM Contact";

class ParallelQueryTest : public EmulatorTest {
 protected:
  emulator::EmulatorOptions options() override {
    emulator::EmulatorOptions options;
    options.resultFileMaxBytes = 4'000;
    return options;
  }

  static QueryOptions fast(int parallel, bool chunked = true) {
    QueryOptions options;
    options.pollMinInterval = 5ms;
    options.pollMaxInterval = 50ms;
    options.timeout = 60s;
    options.parallelDownloads = parallel;
    if (chunked) options.pkChunking = PkChunking{200, "", ""};
    return options;
  }

  void insertContacts(std::size_t count) {
    Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
    std::string body = "FirstName,LastName,Description\n";
    for (std::size_t i = 0; i < count; ++i) {
      appendCsvRow(body, {i % 3 == 0 ? "say \"hi\", Zoë" : "F" + std::to_string(i),
                          "Last" + std::to_string(i), i % 4 == 0 ? "line1\nline2" : ""});
    }
    BatchInfo batch = client->addBatch(job, body);
    client->closeJob(job);
    ASSERT_EQ(waitForBatch(job, batch.id).state, BatchState::Completed);
  }

  static std::vector<std::vector<std::string>> rowsOf(QueryStream stream) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> row;
    while (stream.nextRow(row)) rows.push_back(row);
    return rows;
  }

  static std::vector<std::string> recordsOf(QueryStream stream) {
    std::vector<std::string> records;
    for (nlohmann::ordered_json record; stream.nextRecord(record);) {
      records.push_back(record.dump());
    }
    return records;
  }

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

TEST_F(ParallelQueryTest, CsvRowsEqualASequentialReadAcrossChunksAndFiles) {
  insertContacts(900);
  for (bool chunked : {true, false}) {
    SCOPED_TRACE(chunked ? "PK-chunked" : "one batch");
    QueryStream sequential = client->query(kSoql, fast(1, chunked));
    const std::string jobId = sequential.jobId();
    const auto expected = rowsOf(std::move(sequential));
    ASSERT_EQ(expected.size(), 900u);
    EXPECT_GT(resultFileCount(jobId), 5u);
    for (int parallel : {2, 4}) {
      QueryStream stream = client->query(kSoql, fast(parallel, chunked));
      EXPECT_EQ(stream.header(),
                (std::vector<std::string>{"Id", "FirstName", "LastName", "Description"}));
      EXPECT_EQ(rowsOf(std::move(stream)), expected) << parallel << " downloads";
    }
  }
}

TEST_F(ParallelQueryTest, JsonAndXmlRecordsEqualASequentialRead) {
  insertContacts(500);
  for (ContentType type : {ContentType::JSON, ContentType::XML}) {
    SCOPED_TRACE(std::string(toString(type)));
    QueryOptions options = fast(1);
    options.contentType = type;
    QueryStream sequential = client->query(kSoql, options);
    const std::string jobId = sequential.jobId();
    const auto expected = recordsOf(std::move(sequential));
    ASSERT_EQ(expected.size(), 500u);
    EXPECT_GT(resultFileCount(jobId), 2u);
    options.parallelDownloads = 3;
    EXPECT_EQ(recordsOf(client->query(kSoql, options)), expected);
  }
}

TEST_F(ParallelQueryTest, ConnectionsCutMidFileYieldEveryRowOnce) {
  insertContacts(900);
  const auto expected = rowsOf(client->query(kSoql, fast(1)));
  std::atomic<int> resumed{0};
  Config config = emulatorConfig(*server);
  config.logHandler = [&resumed](LogLevel, std::string_view message) {
    if (message.find("downloading it again") != std::string_view::npos) ++resumed;
  };
  Client logged(config, transport);
  emulator::Faults faults;
  faults.dropMidResponse = 4;
  faults.onlyFor = "queryResult";
  server->setFaults(faults);
  QueryStream stream = logged.query(kSoql, fast(4));
  EXPECT_EQ(rowsOf(std::move(stream)), expected);
  EXPECT_EQ(server->faults().dropMidResponse, 0);
  EXPECT_EQ(resumed.load(), 4);
}

TEST_F(ParallelQueryTest, ExpiredSessionMidDownloadIsRenewed) {
  insertContacts(600);
  const auto expected = rowsOf(client->query(kSoql, fast(1)));
  QueryStream stream = client->query(kSoql, fast(3));
  server->expireSessions();
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  while (stream.nextRow(row)) {
    rows.push_back(row);
    if (rows.size() == 150 || rows.size() == 400) server->expireSessions();
  }
  EXPECT_EQ(rows, expected);
}

TEST_F(ParallelQueryTest, ErrorInAFileSurfacesAfterTheFilesBeforeIt) {
  insertContacts(900);
  const auto expected = rowsOf(client->query(kSoql, fast(1)));
  Config config = emulatorConfig(*server);
  config.retry.maxAttempts = 1;
  Client noRetries(config, transport);
  QueryStream stream = noRetries.query(kSoql, fast(3));
  // One download out of the first few fails for good.
  emulator::Faults faults;
  faults.fail500 = 1;
  faults.onlyFor = "queryResult";
  faults.skipRequests = 2;
  server->setFaults(faults);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  EXPECT_THROW(
      {
        while (stream.nextRow(row)) rows.push_back(row);
      },
      ApiError);
  // What came before the failure is the sequential read's beginning, nothing skipped.
  ASSERT_LT(rows.size(), expected.size());
  EXPECT_TRUE(std::equal(rows.begin(), rows.end(), expected.begin()));
  // The stream stays on the failed file instead of moving past it.
  EXPECT_THROW(stream.nextRow(row), ApiError);
}

TEST_F(ParallelQueryTest, CancelStopsTheStreamPromptly) {
  insertContacts(900);
  QueryOptions options = fast(4);
  options.cancel = std::make_shared<CancellationToken>();
  QueryStream stream = client->query(kSoql, options);
  std::vector<std::string> row;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(stream.nextRow(row));
  options.cancel->cancel();
  const auto before = std::chrono::steady_clock::now();
  EXPECT_THROW(stream.nextRow(row), Error);
  { QueryStream gone = std::move(stream); }
  // Well under a poll-or-download timeout: the workers noticed within their wait slices.
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
}

class ScratchTmpdir {
 public:
  ScratchTmpdir()
      : dir_(std::filesystem::temp_directory_path() /
             ("sfdc-pq-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::create_directories(dir_);
    const char* old = ::getenv("TMPDIR");
    if (old) old_ = old;
    ::setenv("TMPDIR", dir_.c_str(), 1);
  }
  ~ScratchTmpdir() {
    if (old_) {
      ::setenv("TMPDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  // Regular files anywhere under the directory.
  std::size_t files() const {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      if (entry.is_regular_file()) ++count;
    }
    return count;
  }
  bool empty() const { return std::filesystem::is_empty(dir_); }

 private:
  std::filesystem::path dir_;
  std::optional<std::string> old_;
};

TEST_F(ParallelQueryTest, SpoolFilesAreRemovedAtTheEndAndWhenDestroyedEarly) {
  insertContacts(900);
  ScratchTmpdir tmp;
  {
    QueryStream stream = client->query(kSoql, fast(3));
    std::vector<std::string> row;
    std::size_t rows = 0;
    while (stream.nextRow(row)) {
      if (++rows == 10) {
        EXPECT_GT(tmp.files(), 0u) << "downloads are spooled to TMPDIR";
      }
    }
    EXPECT_EQ(rows, 900u);
    EXPECT_EQ(tmp.files(), 0u) << "every spool file read is removed";
  }
  EXPECT_TRUE(tmp.empty());
  {
    QueryStream stream = client->query(kSoql, fast(3));
    std::vector<std::string> row;
    ASSERT_TRUE(stream.nextRow(row));
  }
  EXPECT_TRUE(tmp.empty()) << "the spool directory goes with the stream";
}

}  // namespace
}  // namespace sfdc::bulk::testing
