// Every Bulk API 2.0 operation of Bulk2Client, through the real CurlTransport against the
// emulator on loopback: ingest and query jobs, result files, paging, listing, deletion,
// errors, and session expiry in the middle of an upload and of a download.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;

class Bulk2ClientTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    bulk2 = std::make_unique<Bulk2Client>(client->bulk2());
  }
  void TearDown() override {
    bulk2.reset();
    EmulatorTest::TearDown();
  }

  template <class Handle>
  Bulk2JobInfo waitForJob(const Handle& job) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    for (;;) {
      Bulk2JobInfo info = bulk2->getJobInfo(job);
      if (info.isTerminal()) return info;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "job " << job.id << " still " << toString(info.state);
        return info;
      }
      std::this_thread::sleep_for(5ms);
    }
  }

  /// Every row of a result file, keyed by the header.
  static std::vector<std::map<std::string, std::string>> rowsOf(Bulk2CsvReader reader) {
    std::vector<std::map<std::string, std::string>> rows;
    const std::vector<std::string> header = reader.header();
    std::vector<std::string> row;
    while (reader.nextRow(row)) {
      std::map<std::string, std::string> cells;
      for (std::size_t i = 0; i < header.size() && i < row.size(); ++i) cells[header[i]] = row[i];
      rows.push_back(cells);
    }
    return rows;
  }

  /// Every row of every page of a query job's results (header dropped).
  std::vector<std::vector<std::string>> queryRows(const QueryJob& job,
                                                  std::optional<std::int64_t> pageSize,
                                                  int* pages = nullptr) {
    std::vector<std::vector<std::string>> rows;
    QueryPageRequest page;
    page.maxRecords = pageSize;
    int count = 0;
    for (;;) {
      Bulk2CsvReader reader = bulk2->openResults(job, page);
      ++count;
      reader.header();
      std::vector<std::string> row;
      while (reader.nextRow(row)) rows.push_back(row);
      const auto next = reader.nextLocator();
      if (!next) break;
      page.locator = *next;
    }
    if (pages != nullptr) *pages = count;
    return rows;
  }

  std::unique_ptr<Bulk2Client> bulk2;
};

TEST_F(Bulk2ClientTest, IngestJobFromCreateToResultsAndDeletion) {
  IngestJob job = bulk2->createIngestJob(Operation::Insert, "Contact");
  EXPECT_EQ(job.id.size(), 18u);
  EXPECT_EQ(job.id.substr(0, 3), "750");
  Bulk2JobInfo info = bulk2->getJobInfo(job);
  EXPECT_EQ(info.state, Bulk2JobState::Open);
  EXPECT_EQ(info.operation, Operation::Insert);
  EXPECT_EQ(info.object, "Contact");
  EXPECT_EQ(info.jobType, "V2Ingest");

  bulk2->uploadJobData(job,
                       "FirstName,LastName,Email\n"
                       "Ada,Lovelace,ada@example.com\n"
                       "Grace,Hopper,grace@example.com\n"
                       "Nobody,,nobody@example.com\n");
  info = bulk2->closeJob(job);
  EXPECT_EQ(info.state, Bulk2JobState::UploadComplete);
  info = waitForJob(job);
  EXPECT_EQ(info.state, Bulk2JobState::JobComplete);
  EXPECT_EQ(info.numberRecordsProcessed, 3);
  EXPECT_EQ(info.numberRecordsFailed, 1);

  const auto succeeded = rowsOf(bulk2->openResults(job, IngestResultKind::Successful));
  ASSERT_EQ(succeeded.size(), 2u);
  std::set<std::string> emails;
  for (const auto& row : succeeded) {
    EXPECT_EQ(row.at("sf__Id").substr(0, 3), "003");
    EXPECT_EQ(row.at("sf__Created"), "true");
    emails.insert(row.at("Email"));
  }
  EXPECT_EQ(emails, (std::set<std::string>{"ada@example.com", "grace@example.com"}));
  const auto failed = rowsOf(bulk2->openResults(job, IngestResultKind::Failed));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].at("Email"), "nobody@example.com");
  EXPECT_NE(failed[0].at("sf__Error").find("REQUIRED_FIELD_MISSING"), std::string::npos)
      << failed[0].at("sf__Error");
  EXPECT_TRUE(rowsOf(bulk2->openResults(job, IngestResultKind::Unprocessed)).empty());

  // Visible to Bulk API 1.0 too: one org.
  QueryStream stream = client->query("SELECT Id FROM Contact WHERE LastName = 'Hopper'");
  std::vector<std::string> row;
  EXPECT_TRUE(stream.nextRow(row));

  bool listed = false;
  for (const auto& item : bulk2->listIngestJobs()) listed = listed || item.id == job.id;
  EXPECT_TRUE(listed);
  bulk2->deleteJob(job);
  try {
    bulk2->getJobInfo(job);
    ADD_FAILURE() << "a deleted job still answers";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 404);
    EXPECT_EQ(e.exceptionCode(), "NOT_FOUND");
  }
}

// A gzipped upload (Content-Encoding: gzip) is read as the CSV it holds.
TEST_F(Bulk2ClientTest, GzippedUploadLoadsEveryRow) {
  IngestJob job = bulk2->createIngestJob(Operation::Insert, "Contact");
  std::string csv = "FirstName,LastName,Email\n";
  for (int i = 0; i < 2'000; ++i) {
    csv += "Zo\xC3\xAB,Gzip" + std::to_string(i) + ",gz" + std::to_string(i) + "@example.com\n";
  }
  UploadOptions gzip;
  gzip.gzip = true;
  bulk2->uploadJobData(job, csv, gzip);
  bulk2->closeJob(job);
  const Bulk2JobInfo info = waitForJob(job);
  EXPECT_EQ(info.state, Bulk2JobState::JobComplete);
  EXPECT_EQ(info.numberRecordsProcessed, 2'000);
  EXPECT_EQ(info.numberRecordsFailed, 0);
  EXPECT_EQ(recordCount("Contact WHERE LastName LIKE 'Gzip%'"), 2'000u);
}

TEST_F(Bulk2ClientTest, UpsertUpdateAndDeleteJobs) {
  IngestJob insert = bulk2->createIngestJob(Operation::Insert, "Contact");
  bulk2->uploadJobData(insert, "LastName,Email\nOne,one@example.com\nTwo,two@example.com\n");
  bulk2->closeJob(insert);
  waitForJob(insert);
  std::map<std::string, std::string> ids;
  for (const auto& row : rowsOf(bulk2->openResults(insert, IngestResultKind::Successful))) {
    ids[row.at("Email")] = row.at("sf__Id");
  }
  ASSERT_EQ(ids.size(), 2u);

  IngestJobOptions byId;
  byId.externalIdFieldName = "Id";
  IngestJob upsert = bulk2->createIngestJob(Operation::Upsert, "Contact", byId);
  EXPECT_EQ(bulk2->getJobInfo(upsert).externalIdFieldName, "Id");
  bulk2->uploadJobData(upsert, "Id,LastName\n" + ids["one@example.com"] + ",Uno\n");
  bulk2->closeJob(upsert);
  EXPECT_EQ(waitForJob(upsert).numberRecordsFailed, 0);
  const auto upserted = rowsOf(bulk2->openResults(upsert, IngestResultKind::Successful));
  ASSERT_EQ(upserted.size(), 1u);
  EXPECT_EQ(upserted[0].at("sf__Created"), "false");

  IngestJob update = bulk2->createIngestJob(Operation::Update, "Contact");
  bulk2->uploadJobData(update, "Id,LastName\n" + ids["two@example.com"] + ",Dos\n");
  bulk2->closeJob(update);
  EXPECT_EQ(waitForJob(update).numberRecordsFailed, 0);

  IngestJob remove = bulk2->createIngestJob(Operation::Delete, "Contact");
  bulk2->uploadJobData(remove, "Id\n" + ids["one@example.com"] + "\n");
  bulk2->closeJob(remove);
  EXPECT_EQ(waitForJob(remove).numberRecordsProcessed, 1);
  EXPECT_EQ(recordCount("Contact"), 1u);

  EXPECT_THROW(bulk2->createIngestJob(Operation::Upsert, "Contact"), InvalidArgument);
  EXPECT_THROW(bulk2->createIngestJob(Operation::Query, "Contact"), InvalidArgument);
}

TEST_F(Bulk2ClientTest, AbortedJobAndWholeJobFailures) {
  IngestJob aborted = bulk2->createIngestJob(Operation::Insert, "Contact");
  EXPECT_EQ(bulk2->abortJob(aborted).state, Bulk2JobState::Aborted);

  IngestJob unknownColumn = bulk2->createIngestJob(Operation::Insert, "Contact");
  bulk2->uploadJobData(unknownColumn, "LastName,NoSuchField__c\nA,b\n");
  bulk2->closeJob(unknownColumn);
  Bulk2JobInfo info = waitForJob(unknownColumn);
  EXPECT_EQ(info.state, Bulk2JobState::Failed);
  EXPECT_NE(info.errorMessage.find("NoSuchField__c"), std::string::npos) << info.errorMessage;

  IngestJob wrongEnding = bulk2->createIngestJob(Operation::Insert, "Contact");
  bulk2->uploadJobData(wrongEnding, "LastName\r\nA\r\nB\r\n");
  bulk2->closeJob(wrongEnding);
  info = waitForJob(wrongEnding);
  EXPECT_EQ(info.state, Bulk2JobState::Failed);
  EXPECT_NE(info.errorMessage.find("LineEnding"), std::string::npos) << info.errorMessage;

  // The same data declared as CRLF goes through.
  IngestJobOptions crlf;
  crlf.lineEnding = LineEnding::CRLF;
  IngestJob rightEnding = bulk2->createIngestJob(Operation::Insert, "Contact", crlf);
  bulk2->uploadJobData(rightEnding, "LastName\r\nA\r\nB\r\n");
  bulk2->closeJob(rightEnding);
  EXPECT_EQ(waitForJob(rightEnding).state, Bulk2JobState::JobComplete);

  // Two uploads to one job poison it: closing fails.
  IngestJob twice = bulk2->createIngestJob(Operation::Insert, "Contact");
  bulk2->uploadJobData(twice, "LastName\nA\n");
  bulk2->uploadJobData(twice, "LastName\nB\n");
  try {
    bulk2->closeJob(twice);
    ADD_FAILURE() << "a job with two uploads closed";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_NE(e.exceptionMessage().find("PUT"), std::string::npos) << e.what();
  }
}

TEST_F(Bulk2ClientTest, DelimitersOtherThanCommaRoundTrip) {
  for (const auto delimiter :
       {ColumnDelimiter::Semicolon, ColumnDelimiter::Tab, ColumnDelimiter::Pipe,
        ColumnDelimiter::Caret, ColumnDelimiter::Backquote}) {
    SCOPED_TRACE(std::string(toString(delimiter)));
    const char d = delimiterChar(delimiter);
    IngestJobOptions options;
    options.columnDelimiter = delimiter;
    IngestJob job = bulk2->createIngestJob(Operation::Insert, "Contact", options);
    bulk2->uploadJobData(job, std::string("LastName") + d + "FirstName\nSmith" + d + "Jo\n");
    bulk2->closeJob(job);
    EXPECT_EQ(waitForJob(job).numberRecordsFailed, 0);
    const auto rows = rowsOf(bulk2->openResults(job, IngestResultKind::Successful));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("LastName"), "Smith");
    EXPECT_EQ(rows[0].at("FirstName"), "Jo");
  }
}

TEST_F(Bulk2ClientTest, QueryPagesByLocatorWithNastyValuesFieldByField) {
  const std::vector<std::vector<std::string>> values = {
      {"Quote \"inside\"", "comma, here"},
      {"Zoë 東京 🚀", "two\r\nlines"},
      {"  leading spaces", "line\nfeed"},
      {"Plain", ""},
  };
  IngestJob job = bulk2->createIngestJob(Operation::Insert, "Contact");
  std::string csv = "LastName,Description\n";
  for (const auto& row : values) {
    appendCsvField(csv, row[0]);
    csv += ",";
    appendCsvField(csv, row[1]);
    csv += "\n";
  }
  bulk2->uploadJobData(job, csv);
  bulk2->closeJob(job);
  ASSERT_EQ(waitForJob(job).numberRecordsFailed, 0);

  QueryJob query = bulk2->createQueryJob("SELECT LastName, Description FROM Contact");
  Bulk2JobInfo info = waitForJob(query);
  EXPECT_EQ(info.state, Bulk2JobState::JobComplete);
  EXPECT_EQ(info.jobType, "V2Query");
  EXPECT_EQ(info.numberRecordsProcessed, 4);
  int pages = 0;
  auto rows = queryRows(query, 1, &pages);
  EXPECT_EQ(pages, 4);
  std::sort(rows.begin(), rows.end());
  auto expected = values;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(rows, expected);

  // Pages can be read again by their locator, and the page size does not change them.
  auto whole = queryRows(query, std::nullopt);
  std::sort(whole.begin(), whole.end());
  EXPECT_EQ(whole, expected);

  const std::vector<std::string> links = bulk2->resultPageUrls(query);
  ASSERT_FALSE(links.empty());
  std::vector<std::vector<std::string>> fromLinks;
  for (const auto& link : links) {
    Bulk2CsvReader reader = bulk2->openResultsUrl(query, link);
    reader.header();
    for (std::vector<std::string> row; reader.nextRow(row);) fromLinks.push_back(row);
  }
  std::sort(fromLinks.begin(), fromLinks.end());
  EXPECT_EQ(fromLinks, expected);
  EXPECT_THROW(bulk2->openResultsUrl(query, "https://elsewhere.example.com/x"), InvalidArgument);

  bool listed = false;
  for (const auto& item : bulk2->listQueryJobs()) listed = listed || item.id == query.id;
  EXPECT_TRUE(listed);
  EXPECT_THROW(bulk2->abortJob(query), ApiError);  // already complete
  bulk2->deleteJob(query);
}

TEST_F(Bulk2ClientTest, QueryWithoutRowsHasAHeaderOnlyPageAndBadSoqlIsRefusedAtCreation) {
  QueryJob query = bulk2->createQueryJob("SELECT Id, LastName FROM Contact WHERE LastName = 'x'");
  waitForJob(query);
  Bulk2CsvReader reader = bulk2->openResults(query);
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"Id", "LastName"}));
  std::vector<std::string> row;
  EXPECT_FALSE(reader.nextRow(row));
  EXPECT_FALSE(reader.nextLocator().has_value());

  try {
    bulk2->createQueryJob("SELECT NoSuchField__c FROM Contact");
    ADD_FAILURE() << "a query on an unknown field was accepted";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_FALSE(e.exceptionCode().empty());
  }
  EXPECT_THROW(bulk2->createQueryJob("   "), InvalidArgument);
}

TEST_F(Bulk2ClientTest, SessionExpiryMidUploadAndMidDownloadIsRenewedAndReplayed) {
  // A file body: the replay after the refresh must send it again from its first byte.
  const std::string path = ::testing::TempDir() + "bulk2-expiry.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "LastName,Email\n";
    for (int i = 0; i < 5000; ++i) out << "L" << i << ",e" << i << "@example.com\n";
  }
  IngestJob job = bulk2->createIngestJob(Operation::Insert, "Contact");
  server->expireSessions();
  bulk2->uploadJobDataFromFile(job, path);
  server->expireSessions();
  bulk2->closeJob(job);
  EXPECT_EQ(waitForJob(job).numberRecordsProcessed, 5000);
  server->expireSessions();
  EXPECT_EQ(rowsOf(bulk2->openResults(job, IngestResultKind::Successful)).size(), 5000u);

  QueryJob query = bulk2->createQueryJob("SELECT Email FROM Contact");
  waitForJob(query);
  server->expireSessions();
  EXPECT_EQ(queryRows(query, 1000).size(), 5000u);
  std::remove(path.c_str());
}

TEST_F(Bulk2ClientTest, UnknownJobsAndWrongKindsAreNotFound) {
  IngestJob missing;
  missing.id = "750000000000000AAA";
  try {
    bulk2->getJobInfo(missing);
    ADD_FAILURE() << "an unknown job answered";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 404);
    EXPECT_EQ(e.exceptionCode(), "NOT_FOUND");
  }
  QueryJob query = bulk2->createQueryJob("SELECT Id FROM Contact");
  IngestJob asIngest;
  asIngest.id = query.id;
  EXPECT_THROW(bulk2->getJobInfo(asIngest), ApiError);
}

}  // namespace
}  // namespace sfdc::bulk::testing
