// Client::collectLoad and LoadOptions::waitForResults end to end against the emulator
// over the real CurlTransport: a load submitted without waiting, its results collected
// later from the job and the input; result files rebuilt from a finished job compared
// byte for byte with the live load's; rows the job lacks, rows it has twice, an input
// that is not the job's, a job still open.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Rows with the cases that make pairing hard: identical rows, quoted cells with commas,
/// quotes and line breaks, rows that fail (no LastName), and `#N/A` cells.
std::string contactsCsv(int rows) {
  std::string out = "FirstName,LastName,Email,Description\n";
  for (int i = 1; i <= rows; ++i) {
    if (i % 97 == 0) {
      out += "Twin,Same,twin@example.com,\n";  // identical rows, several times
    } else if (i % 53 == 0) {
      out += "NoLast" + std::to_string(i) + ",,x" + std::to_string(i) + "@example.com,\n";
    } else if (i % 31 == 0) {
      out += "Q" + std::to_string(i) + ",\"L, " + std::to_string(i) +
             "\",q@example.com,\"said \"\"hi\"\"\nover two lines\"\n";
    } else {
      out += "F" + std::to_string(i) + ",L" + std::to_string(i) + ",f" + std::to_string(i) +
             "@example.com," + (i % 7 == 0 ? "#N/A" : "d" + std::to_string(i)) + "\n";
    }
  }
  return out;
}

class LoadCollectTest : public EmulatorFilesTest {
 protected:
  void SetUp() override {
    EmulatorFilesTest::SetUp();
    input = (dir / "contacts.csv").string();
    std::ofstream(input, std::ios::binary) << contactsCsv(kRows);
  }
  LoadOptions options(const std::string& prefix = {}) {
    LoadOptions o;
    o.pollMinInterval = 5ms;
    o.pollMaxInterval = 50ms;
    o.timeout = 120s;
    o.batchSize = 100;
    o.concurrency = 4;
    if (!prefix.empty()) {
      o.successFile = (dir / (prefix + "-success.csv")).string();
      o.errorFile = (dir / (prefix + "-error.csv")).string();
    }
    return o;
  }

  static constexpr int kRows = 1234;
  std::string input;
};

TEST_F(LoadCollectTest, RebuiltResultFilesMatchTheLiveLoadsByteForByte) {
  for (const ContentType type : {ContentType::CSV, ContentType::JSON}) {
    SCOPED_TRACE(std::string(toString(type)));
    const std::string live = std::string("live-") + std::string(toString(type));
    const std::string rebuilt = std::string("rebuilt-") + std::string(toString(type));
    LoadOptions liveOptions = options(live);
    liveOptions.contentType = type;
    const LoadResult loaded =
        client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), liveOptions);
    ASSERT_EQ(loaded.recordsRead, static_cast<std::uint64_t>(kRows));
    ASSERT_GT(loaded.failed, 0u);  // the rows without LastName
    ASSERT_EQ(loaded.batches.size(), 13u);

    const LoadResult collected =
        client->collectLoad(loaded.jobId, RecordSource::csvFile(input), options(rebuilt));
    EXPECT_EQ(collected.jobId, loaded.jobId);
    EXPECT_EQ(collected.recordsRead, loaded.recordsRead);
    EXPECT_EQ(collected.succeeded, loaded.succeeded);
    EXPECT_EQ(collected.failed, loaded.failed);
    EXPECT_EQ(collected.notProcessed, 0u);
    EXPECT_TRUE(collected.duplicates.empty());
    ASSERT_EQ(collected.rows.size(), loaded.rows.size());
    for (std::size_t i = 0; i < collected.rows.size(); ++i) {
      EXPECT_EQ(collected.rows[i].row, i + 1);
      EXPECT_EQ(collected.rows[i].id, loaded.rows[i].id) << "row " << i + 1;
      EXPECT_EQ(collected.rows[i].success, loaded.rows[i].success) << "row " << i + 1;
    }
    const std::string liveSuccess = readAll(dir / (live + "-success.csv"));
    EXPECT_FALSE(liveSuccess.empty());
    EXPECT_EQ(readAll(dir / (rebuilt + "-success.csv")), liveSuccess);
    EXPECT_EQ(readAll(dir / (rebuilt + "-error.csv")), readAll(dir / (live + "-error.csv")));
  }
}

TEST_F(LoadCollectTest, LoadWithoutWaitingReturnsOnceUploadedAndCollectReportsEveryRowOnce) {
  emulator::EmulatorOptions slow;
  slow.batchLatency = 300ms;  // batches still run when the load returns
  server->stop();
  server = std::make_unique<emulator::Emulator>(slow);
  server->start();
  client = std::make_unique<Client>(emulatorConfig(*server), transport);

  LoadOptions submit = options();
  submit.waitForResults = false;
  const LoadResult submitted =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), submit);
  EXPECT_TRUE(submitted.resultsPending);
  EXPECT_FALSE(submitted.allSucceeded());
  EXPECT_EQ(submitted.recordsRead, static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(submitted.batches.size(), 13u);
  EXPECT_TRUE(submitted.rows.empty());
  const Job job = client->attachJob(submitted.jobId);
  const JobInfo info = client->getJobInfo(job);
  EXPECT_EQ(info.state, JobState::Closed);
  EXPECT_LT(info.numberBatchesCompleted, 13);  // it did not wait for them

  std::vector<LoadProgress> seen;
  LoadOptions collect = options("collected");
  collect.onProgress = [&](const LoadProgress& p) { seen.push_back(p); };
  const LoadResult collected =
      client->collectLoad(submitted.jobId, RecordSource::csvFile(input), collect);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().batchesCompleted, 13);
  EXPECT_EQ(seen.back().jobId, submitted.jobId);
  EXPECT_EQ(collected.recordsRead, static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(collected.succeeded + collected.failed, static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(collected.notProcessed, 0u);
  // Each succeeded row is stored once, and its id is the one reported.
  std::set<std::string> ids;
  for (const auto& row : collected.rows) {
    if (row.success) ids.insert(row.id);
  }
  EXPECT_EQ(ids.size(), collected.succeeded);
  EXPECT_EQ(recordCount("Contact"), collected.succeeded);
  // The error file names each failed row with the input's own cells.
  const std::string errors = readAll(dir / "collected-error.csv");
  EXPECT_NE(errors.find("NoLast53,,x53@example.com,,REQUIRED_FIELD_MISSING"), std::string::npos)
      << errors.substr(0, 400);
}

TEST_F(LoadCollectTest, NoWaitRefusesWhatNeedsOutcomes) {
  LoadOptions submit = options("x");
  submit.waitForResults = false;
  EXPECT_THROW(client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), submit),
               InvalidArgument);
  submit = options();
  submit.waitForResults = false;
  submit.api = BulkApi::V2;
  EXPECT_THROW(client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), submit),
               InvalidArgument);
  EXPECT_EQ(recordCount("Contact"), 0u);
}

TEST_F(LoadCollectTest, InputRowsInNoBatchAreNotSent) {
  const std::string part = (dir / "part.csv").string();
  std::ofstream(part, std::ios::binary) << contactsCsv(150);
  const LoadResult loaded =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(part), options());
  // The whole file is given: its rows after 150 were never in the job.
  const LoadResult collected =
      client->collectLoad(loaded.jobId, RecordSource::csvFile(input), options("more"));
  EXPECT_EQ(collected.recordsRead, static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(collected.notProcessed, static_cast<std::uint64_t>(kRows - 150));
  EXPECT_EQ(collected.succeeded, loaded.succeeded);
  const RowResult& after = collected.rows.at(150);
  EXPECT_TRUE(after.notProcessed);
  EXPECT_EQ(after.errors.at(0).statusCode, "NOT_SENT");
  EXPECT_NE(after.errors.at(0).message.find(loaded.jobId), std::string::npos);
}

TEST_F(LoadCollectTest, AnInputThatIsNotTheJobsIsRefusedAndWritesNoFile) {
  const LoadResult loaded =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), options());
  const std::string other = (dir / "other.csv").string();
  std::string text = contactsCsv(kRows);
  text.replace(text.find("F1,L1"), 5, "F1,XX");  // one cell differs
  std::ofstream(other, std::ios::binary) << text;
  try {
    client->collectLoad(loaded.jobId, RecordSource::csvFile(other), options("other"));
    FAIL() << "a changed input was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("1 of the job's 1234 rows are not in it"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "other-success.csv"));
  EXPECT_FALSE(fs::exists(dir / "other-error.csv"));

  const std::string renamed = (dir / "renamed.csv").string();
  std::ofstream(renamed, std::ios::binary) << "First,LastName\nA,B\n";
  try {
    client->collectLoad(loaded.jobId, RecordSource::csvFile(renamed), options());
    FAIL() << "an input without the job's columns was accepted";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("'FirstName'"), std::string::npos) << e.what();
  }
}

TEST_F(LoadCollectTest, AnOpenJobIsRefused) {
  const Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  client->addBatch(job, "FirstName,LastName\nA,B\n");
  try {
    client->collectLoad(job.id, RecordSource::csvFile(input), options());
    FAIL() << "an open job was collected";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("still open"), std::string::npos) << e.what();
  }
}

TEST_F(LoadCollectTest, ABatchCreatedTwiceIsReportedWithTheIdsItCreated) {
  const std::string body = "FirstName,LastName\nA,One\nB,Two\nC,Three\n";
  const std::string small = (dir / "small.csv").string();
  std::ofstream(small, std::ios::binary) << body;
  const Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  const BatchInfo first = client->addBatch(job, body);
  const BatchInfo second = client->addBatch(job, body);  // what a lost answer can cause
  client->closeJob(job);
  LoadOptions collect = options();
  const LoadResult collected = client->collectLoad(job.id, RecordSource::csvFile(small), collect);
  EXPECT_EQ(collected.succeeded, 3u);
  ASSERT_EQ(collected.duplicates.size(), 1u);
  const DuplicateBatch& duplicate = collected.duplicates[0];
  EXPECT_EQ(duplicate.batchId, second.id);
  EXPECT_EQ(duplicate.duplicateOf, first.id);
  EXPECT_EQ(duplicate.rowCount, 3u);
  EXPECT_EQ(duplicate.recordIds.size(), 3u);
  EXPECT_FALSE(collected.allSucceeded());
  EXPECT_EQ(recordCount("Contact"), 6u);

  collect.deleteDuplicates = true;
  const LoadResult cleaned = client->collectLoad(job.id, RecordSource::csvFile(small), collect);
  ASSERT_EQ(cleaned.duplicates.size(), 1u);
  EXPECT_TRUE(cleaned.duplicates[0].deleted);
  EXPECT_EQ(recordCount("Contact"), 3u);
}

}  // namespace
}  // namespace sfdc::bulk::testing
