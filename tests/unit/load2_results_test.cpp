// The Bulk API 2.0 load over an in-memory service: jobs cut by rows, results that come
// back shuffled paired with their input rows by content (duplicates, re-rendered
// numbers, empty and unprocessed files), outcomes in input order, the result files.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "load2_test_support.hpp"

namespace sfdc::bulk::detail::load2 {
namespace {

using testing::FakeBulk2Ingest;
using Fate = FakeBulk2Ingest::Fate;

// content key -> the id the fake gave the row
std::map<std::string, std::string> idsByContent(const FakeBulk2Ingest& fake) {
  std::map<std::string, std::string> out;
  for (const auto& job : fake.jobs()) {
    if (!job.processed) continue;
    for (std::size_t i = 0; i < job.rows.size(); ++i) {
      if (!job.ids[i].empty()) out[rowKeyText(job.rows[i])] = job.ids[i];
    }
  }
  return out;
}

TEST(Load2Results, SixtyThousandRowsOverThreeJobsEachRowItsOwnOutcome) {
  FakeBulk2Ingest fake;
  fake.fate = [](const auto&, const auto& row) {
    const int n = std::stoi(row[1]);
    return n % 7 == 0 ? Fate::Fail : Fate::Succeed;
  };
  std::istringstream in(numberedCsv(60'000));
  LoadOptions options = v2Options();
  options.maxJobRecords = 20'000;
  options.concurrency = 2;
  Load2Tuning tuning = fastTuning();
  tuning.deliverChunkRows = 7'000;  // several deliveries per job
  const LoadResult result =
      runLoad2(fake, Operation::Insert, "Account", RecordSource::csvStream(in), options, tuning);

  ASSERT_EQ(result.rows.size(), 60'000u);
  EXPECT_EQ(result.recordsRead, 60'000u);
  ASSERT_EQ(result.jobIds.size(), 3u);
  ASSERT_EQ(result.jobs.size(), 3u);
  EXPECT_EQ(result.jobId, result.jobIds[0]);
  for (const auto& job : result.jobs) EXPECT_EQ(job.state, Bulk2JobState::JobComplete);
  const auto ids = idsByContent(fake);
  std::set<std::string> seenIds;
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    const RowResult& row = result.rows[i];
    const int n = static_cast<int>(i) + 1;
    ASSERT_EQ(row.row, static_cast<std::uint64_t>(n));
    const std::string key = "N" + std::to_string(n) + "|" + std::to_string(n) + "|";
    if (n % 7 == 0) {
      ASSERT_FALSE(row.success) << n;
      ASSERT_FALSE(row.notProcessed) << n;
      ASSERT_EQ(row.errors.size(), 1u);
      EXPECT_EQ(row.errors[0].statusCode, "REQUIRED_FIELD_MISSING");
    } else {
      ASSERT_TRUE(row.success) << n;
      ASSERT_TRUE(row.created) << n;
      ASSERT_EQ(row.id, ids.at(key)) << n;
      EXPECT_TRUE(seenIds.insert(row.id).second);
    }
  }
  EXPECT_EQ(result.failed, 60'000u / 7);
  EXPECT_EQ(result.succeeded, 60'000u - 60'000u / 7);
  EXPECT_EQ(result.notProcessed, 0u);
  for (const auto& job : fake.jobs()) {
    EXPECT_EQ(job.puts, 1);
    EXPECT_EQ(job.rows.size(), 20'000u);
    EXPECT_EQ(job.info.lineEnding, LineEnding::LF);
    EXPECT_EQ(job.info.columnDelimiter, ColumnDelimiter::Comma);
  }
}

TEST(Load2Results, IdenticalRowsEachGetOneOfTheOutcomes) {
  FakeBulk2Ingest fake;
  std::atomic<int> calls{0};
  // Identical rows, different fates: the first 10 of the 60 "Same" rows fail.
  fake.fate = [&](const auto&, const auto& row) {
    if (row[0] == "Same" && calls++ < 10) return Fate::Fail;
    return Fate::Succeed;
  };
  std::string csv = "Name,Amount\n";
  for (int i = 0; i < 60; ++i) csv += "Same,1\n";
  for (int i = 0; i < 40; ++i) csv += "Other,2\n";
  std::istringstream in(csv);
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 100u);
  EXPECT_EQ(result.failed, 10u);
  EXPECT_EQ(result.succeeded, 90u);
  std::multiset<std::string> fakeIds;
  for (const auto& job : fake.jobs()) {
    for (const auto& id : job.ids) {
      if (!id.empty()) fakeIds.insert(id);
    }
  }
  std::multiset<std::string> ours;
  for (const auto& row : result.rows) {
    if (row.success) ours.insert(row.id);
  }
  EXPECT_EQ(ours, fakeIds);  // every id handed out exactly once
  EXPECT_EQ(std::set<std::string>(ours.begin(), ours.end()).size(), 90u);
}

TEST(Load2Results, EmptySuccessFileAndParsedErrors) {
  FakeBulk2Ingest fake;
  fake.fate = [](const auto&, const auto&) { return Fate::Fail; };
  std::istringstream in(numberedCsv(5));
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 5u);
  for (const auto& row : result.rows) {
    ASSERT_FALSE(row.success);
    ASSERT_EQ(row.errors.size(), 1u);
    EXPECT_EQ(row.errors[0].statusCode, "REQUIRED_FIELD_MISSING");
    EXPECT_EQ(row.errors[0].message, "Required fields are missing: [Name]");
    EXPECT_EQ(row.errors[0].fields, std::vector<std::string>{"Name"});
  }
  EXPECT_FALSE(result.allSucceeded());
}

TEST(Load2Results, RowsOnlyInUnprocessedRecordsOfAFailedJob) {
  FakeBulk2Ingest fake;
  fake.failAfterProcessing = "InvalidBatch : Processing stopped";
  fake.fate = [](const auto&, const auto& row) {
    return std::stoi(row[1]) > 6 ? Fate::Unprocessed : Fate::Succeed;
  };
  std::istringstream in(numberedCsv(10));
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 10u);
  ASSERT_EQ(result.jobs.size(), 1u);
  EXPECT_EQ(result.jobs[0].state, Bulk2JobState::Failed);
  for (int i = 0; i < 10; ++i) {
    const RowResult& row = result.rows[static_cast<std::size_t>(i)];
    if (i < 6) {
      EXPECT_TRUE(row.success) << i;
      EXPECT_FALSE(row.id.empty());
    } else {
      ASSERT_TRUE(row.notProcessed) << i;
      ASSERT_EQ(row.errors.size(), 1u);
      EXPECT_EQ(row.errors[0].statusCode, "NOT_PROCESSED");
      EXPECT_NE(row.errors[0].message.find("Processing stopped"), std::string::npos);
    }
  }
  EXPECT_EQ(result.notProcessed, 4u);
  EXPECT_EQ(fake.resultDownloads(), 3);  // unprocessedrecords too
}

TEST(Load2Results, RowsInNoResultFileAreReportedWithoutAResult) {
  FakeBulk2Ingest fake;
  fake.fate = [](const auto&, const auto& row) {
    return row[1] == "3" ? Fate::Vanish : Fate::Succeed;
  };
  std::istringstream in(numberedCsv(4));
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_TRUE(result.rows[2].notProcessed);
  ASSERT_EQ(result.rows[2].errors.size(), 1u);
  EXPECT_NE(result.rows[2].errors[0].message.find("no result returned for this row"),
            std::string::npos);
  EXPECT_EQ(result.succeeded, 3u);
}

TEST(Load2Results, ResultRowsMatchingNoInputRowAreCountedInAWarning) {
  FakeBulk2Ingest fake;
  fake.fate = [](const auto&, const auto& row) {
    return row[1] == "2" ? Fate::Twice : Fate::Succeed;
  };
  std::istringstream in(numberedCsv(3));
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_TRUE(result.allSucceeded());
  const auto logs = fake.logs();
  EXPECT_EQ(std::count_if(logs.begin(), logs.end(),
                          [](const auto& line) {
                            return line.find("1 result rows of job") != std::string::npos &&
                                   line.find("match no row") != std::string::npos;
                          }),
            1);
}

TEST(Load2Results, NumbersReRenderedByTheServiceStillMatch) {
  FakeBulk2Ingest fake;
  fake.rerenderNumbers = true;
  std::istringstream in(
      "Name,Revenue\nA,912260031\nB,1000\nC,12\nD,100000000000000001\n"
      "E,100000000000000002\n");
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 5u);
  const auto ids = idsByContent(fake);
  EXPECT_EQ(result.rows[0].id, ids.at("A|912260031|"));
  EXPECT_EQ(result.rows[1].id, ids.at("B|1000|"));
  EXPECT_EQ(result.rows[2].id, ids.at("C|12|"));
  EXPECT_EQ(result.rows[3].id, ids.at("D|100000000000000001|"));
  EXPECT_EQ(result.rows[4].id, ids.at("E|100000000000000002|"));
  EXPECT_TRUE(result.allSucceeded());
}

TEST(Load2Results, SuccessAndErrorFilesInInputOrderFromCrlfInput) {
  ScratchDir dir;
  FakeBulk2Ingest fake;
  fake.fate = [](const auto&, const auto& row) {
    return row[0] == "Bad" ? Fate::Fail : Fate::Succeed;
  };
  // CRLF input with a quoted line break: sent with LF row ends (the fake fails a job
  // whose rows end with CRLF), the value kept as it is.
  std::istringstream in("Name,Note\r\nGood,\"two\r\nlines\"\r\nBad,x\r\nAlso,y\r\n");
  LoadOptions options = v2Options();
  options.successFile = dir.file("ok.csv");
  options.errorFile = dir.file("err.csv");
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  ASSERT_EQ(result.rows.size(), 3u);
  const auto jobs = fake.jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].body, "Name,Note\nGood,\"two\r\nlines\"\nBad,x\nAlso,y\n");
  EXPECT_EQ(readWholeFile(options.successFile),
            "Name,Note,sf__Id,sf__Created\nGood,\"two\r\nlines\"," + result.rows[0].id +
                ",true\nAlso,y," + result.rows[2].id + ",true\n");
  EXPECT_EQ(readWholeFile(options.errorFile),
            "Name,Note,sf__Error\nBad,x,REQUIRED_FIELD_MISSING:Required fields are missing: "
            "[Name]:Name --\n");
}

TEST(Load2Results, RecordSourcesAreSentAsCsv) {
  FakeBulk2Ingest fake;
  std::vector<nlohmann::json> records{{{"Name", "A"}, {"Amount", 1}},
                                      {{"Name", "B"}, {"Amount", 2}}};
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::records(records), v2Options(), fastTuning());
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_TRUE(result.allSucceeded());
  ASSERT_EQ(fake.jobs().size(), 1u);
  EXPECT_EQ(fake.jobs()[0].header.size(), 2u);
  EXPECT_EQ(fake.jobs()[0].rows.size(), 2u);
}

TEST(Load2Results, UpsertJobsCarryTheExternalIdAndReportUpdatesAsNotCreated) {
  FakeBulk2Ingest fake;
  std::istringstream in("Ext__c,Name\nE1,A\nE2,B\n");
  LoadOptions options = v2Options();
  options.externalIdFieldName = "Ext__c";
  const LoadResult result = runLoad2(fake, Operation::Upsert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  ASSERT_EQ(result.rows.size(), 2u);
  ASSERT_EQ(fake.jobs().size(), 1u);
  EXPECT_EQ(fake.jobs()[0].info.operation, Operation::Upsert);
  EXPECT_EQ(fake.jobs()[0].info.externalIdFieldName, "Ext__c");
  for (const auto& row : result.rows) {
    EXPECT_TRUE(row.success);
    EXPECT_FALSE(row.created);  // the fake reports sf__Created "false" for upserts
  }
}

TEST(Load2Results, UnreadResultsOfACleanJobAreNotDownloaded) {
  FakeBulk2Ingest fake;
  std::istringstream in(numberedCsv(30));
  LoadOptions options = v2Options();
  options.keepResults = false;
  options.maxJobRecords = 10;
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  EXPECT_EQ(result.succeeded, 30u);
  EXPECT_TRUE(result.rows.empty());
  EXPECT_EQ(fake.resultDownloads(), 0);
}

TEST(Load2Results, JobsRespectMaxJobBytesHeaderIncluded) {
  FakeBulk2Ingest fake;
  std::istringstream in(numberedCsv(100));
  LoadOptions options = v2Options();
  options.maxJobBytes = 120;
  const LoadResult result = runLoad2(fake, Operation::Insert, "Account",
                                     RecordSource::csvStream(in), options, fastTuning());
  EXPECT_EQ(result.succeeded, 100u);
  EXPECT_GT(fake.jobs().size(), 5u);
  std::size_t rows = 0;
  for (const auto& job : fake.jobs()) {
    EXPECT_LE(job.body.size(), 120u);
    EXPECT_EQ(job.body.rfind("Name,Amount\n", 0), 0u);
    rows += job.rows.size();
  }
  EXPECT_EQ(rows, 100u);
}

}  // namespace
}  // namespace sfdc::bulk::detail::load2
