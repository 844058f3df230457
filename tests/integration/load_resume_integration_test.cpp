// Journaled loads and Client::resumeLoad end to end against the emulator: what the
// journal records, a load stopped by an outage continued without sending a row twice,
// and every refusal (changed input, finished load, aborted job, damaged journal).
// Killing a real process at many moments is the kill test's job (tests/faults).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class LoadResumeTest : public EmulatorFilesTest {
 protected:
  void SetUp() override {
    EmulatorFilesTest::SetUp();
    input = (dir / "in.csv").string();
    journal = (dir / "load.journal").string();
    std::ofstream out(input, std::ios::binary);
    out << "FirstName,LastName\n";
    for (int i = 1; i <= kRows; ++i) out << "F" << i << ",L" << i << "\n";
  }
  LoadOptions loadOptions() {
    LoadOptions o;
    o.pollMinInterval = 5ms;
    o.pollMaxInterval = 50ms;
    o.timeout = 60s;
    o.batchSize = 100;
    o.concurrency = 2;
    o.journalFile = journal;
    o.successFile = (dir / "success.csv").string();
    o.errorFile = (dir / "errors.csv").string();
    return o;
  }

  /// Stops a journaled load part-way: after three batches every upload is refused with
  /// 503 until the load gives up on them; the job stays open for the resume.
  void stopPartWay() {
    emulator::Faults faults;
    faults.onlyFor = "addBatch";
    faults.skipRequests = 3;
    faults.fail503 = 100000;
    faults.retryAfterSeconds = 0;
    server->setFaults(faults);
    EXPECT_THROW(
        client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), loadOptions()),
        LoadIncompleteError);
    server->setFaults({});
    const LoadJournalInfo info = readLoadJournal(journal);
    EXPECT_EQ(info.state, "stopped");
    EXPECT_EQ(info.batchesAccepted, 3u);
    EXPECT_FALSE(info.jobId.empty());
  }

  std::size_t lines(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::size_t n = 0;
    std::string line;
    while (std::getline(in, line)) ++n;
    return n;
  }

  static constexpr int kRows = 1000;
  std::string input;
  std::string journal;
};

TEST_F(LoadResumeTest, JournalRecordsTheLoadAndAFinishedLoadIsNotResumed) {
  const LoadResult result =
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), loadOptions());
  EXPECT_TRUE(result.allSucceeded());
  const LoadJournalInfo info = readLoadJournal(journal);
  EXPECT_EQ(info.state, "finished");
  EXPECT_EQ(info.jobId, result.jobId);
  EXPECT_EQ(info.object, "Contact");
  EXPECT_EQ(info.operation, Operation::Insert);
  EXPECT_EQ(info.inputFile, fs::absolute(input).lexically_normal().string());
  EXPECT_EQ(info.inputBytes, fs::file_size(input));
  EXPECT_EQ(info.batchesStarted, 10u);
  EXPECT_EQ(info.batchesAccepted, 10u);
  EXPECT_EQ(info.rowsStarted, static_cast<std::uint64_t>(kRows));
  EXPECT_TRUE(info.inputEnded);
  try {
    client->resumeLoad(journal, {});
    ADD_FAILURE() << "a finished load was resumed";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("nothing to resume"), std::string::npos) << e.what();
  }
  EXPECT_EQ(recordCount("Contact"), static_cast<std::size_t>(kRows));
  // A second load must not take over the journal of the first.
  EXPECT_THROW(
      client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), loadOptions()),
      InvalidArgument);
}

TEST_F(LoadResumeTest, StoppedLoadResumesIntoItsJobAndLoadsEveryRowOnce) {
  stopPartWay();
  const std::string jobId = readLoadJournal(journal).jobId;
  LoadOptions resumeOptions;
  resumeOptions.pollMinInterval = 5ms;
  resumeOptions.pollMaxInterval = 50ms;
  const LoadResult result = client->resumeLoad(journal, resumeOptions);
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.jobId, jobId);
  EXPECT_EQ(result.succeeded, static_cast<std::uint64_t>(kRows));
  EXPECT_EQ(result.batches.size(), 10u);
  EXPECT_EQ(recordCount("Contact"), static_cast<std::size_t>(kRows));
  // The result files come from the journal and cover the whole input once.
  EXPECT_EQ(lines((dir / "success.csv").string()), static_cast<std::size_t>(kRows) + 1);
  EXPECT_EQ(lines((dir / "errors.csv").string()), 1u);
  EXPECT_EQ(readLoadJournal(journal).state, "finished");
  EXPECT_EQ(
      client->getJobInfo(Job{jobId, Operation::Insert, "Contact", ContentType::CSV, ""}).state,
      JobState::Closed);
}

TEST_F(LoadResumeTest, ChangedInputIsRefusedBeforeAnythingIsSent) {
  stopPartWay();
  const std::size_t stored = recordCount("Contact");
  {
    // Same size, one byte different inside the rows already sent.
    std::fstream file(input, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(25);
    file.put('X');
  }
  const std::uint64_t requestsBefore = client->requestCount();
  try {
    client->resumeLoad(journal, {});
    ADD_FAILURE() << "a changed input was resumed";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("changed"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("rows 1-100"), std::string::npos) << e.what();
  }
  EXPECT_EQ(client->requestCount(), requestsBefore);
  { std::ofstream(input, std::ios::app | std::ios::binary) << "extra,row\n"; }
  try {
    client->resumeLoad(journal, {});
    ADD_FAILURE() << "a longer input was resumed";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("bytes then"), std::string::npos) << e.what();
  }
  EXPECT_EQ(recordCount("Contact"), stored);
}

TEST_F(LoadResumeTest, AbortedJobIsRefusedWithWhatToDo) {
  stopPartWay();
  const LoadJournalInfo info = readLoadJournal(journal);
  client->abortJob(Job{info.jobId, Operation::Insert, "Contact", ContentType::CSV, ""});
  try {
    client->resumeLoad(journal, {});
    ADD_FAILURE() << "an aborted job was resumed";
  } catch (const InvalidArgument& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("Aborted"), std::string::npos) << text;
    EXPECT_NE(text.find("sfbulk job results " + info.jobId), std::string::npos) << text;
  }
}

TEST_F(LoadResumeTest, TornLastEntryIsDroppedAndDamageElsewhereIsAnError) {
  stopPartWay();
  const LoadJournalInfo before = readLoadJournal(journal);
  { std::ofstream(journal, std::ios::app | std::ios::binary) << "0badc0de {\"e\":\"acc"; }
  const LoadJournalInfo torn = readLoadJournal(journal);
  EXPECT_EQ(torn.batchesAccepted, before.batchesAccepted);
  // Resuming repairs the tail and finishes the load.
  LoadOptions resumeOptions;
  resumeOptions.pollMinInterval = 5ms;
  EXPECT_TRUE(client->resumeLoad(journal, resumeOptions).allSucceeded());
  EXPECT_EQ(readLoadJournal(journal).state, "finished");
  EXPECT_EQ(recordCount("Contact"), static_cast<std::size_t>(kRows));

  // A changed byte in an entry that is not the last: the checksum tells.
  std::string text;
  {
    std::ifstream in(journal, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  const auto at = text.find("\"e\":\"job\"");
  ASSERT_NE(at, std::string::npos);
  text[at + 5] = 'J';
  std::ofstream(journal, std::ios::binary | std::ios::trunc) << text;
  try {
    readLoadJournal(journal);
    ADD_FAILURE() << "a damaged journal was read";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("damaged at line 2"), std::string::npos) << e.what();
  }
}

TEST_F(LoadResumeTest, JournalNeedsAFileSourceAndBulkApiV1) {
  std::istringstream stream("FirstName,LastName\nA,B\n");
  EXPECT_THROW(
      client->load(Operation::Insert, "Contact", RecordSource::csvStream(stream), loadOptions()),
      InvalidArgument);
  LoadOptions v2 = loadOptions();
  v2.api = BulkApi::V2;
  EXPECT_THROW(client->load(Operation::Insert, "Contact", RecordSource::csvFile(input), v2),
               InvalidArgument);
  EXPECT_FALSE(fs::exists(journal) && fs::file_size(journal) > 0);
  EXPECT_EQ(recordCount("Contact"), 0u);
}

}  // namespace
}  // namespace sfdc::bulk::testing
