// Binary attachment batches (row 43 of the gaps list): ZIP_CSV, ZIP_XML and ZIP_JSON jobs
// whose batches are zips of request.txt and the files the records' binary fields name.

#include <sstream>

#include "org.hpp"
#include "server_test_support.hpp"
#include "zip_test_support.hpp"

namespace sfdc::emulator::testing {
namespace {

class ServerAttachmentTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    const std::string job = createJob("insert", "Account", "CSV");
    const std::string batch = addBatch(job, "Name\nAcme\n", "text/csv");
    waitForBatch(job, batch);
    auto r = get("/job/" + job + "/batch/" + batch + "/result");
    ASSERT_TRUE(r);
    accountId_ = r->body.substr(r->body.find('\n') + 2, 18);
  }

  /// The batch's result rows (CSV, header dropped) after it finished.
  std::vector<std::string> resultRows(const std::string& job, const std::string& batch) {
    const std::string info = waitForBatch(job, batch);
    EXPECT_EQ(xmlValue(info, "state"), "Completed") << info;
    auto r = get("/job/" + job + "/batch/" + batch + "/result");
    std::vector<std::string> rows;
    if (!r) return rows;
    std::istringstream lines(r->body);
    std::string line;
    std::getline(lines, line);
    while (std::getline(lines, line)) rows.push_back(line);
    return rows;
  }

  std::string failureOf(const std::string& zip) {
    const std::string job = createJob("insert", "Attachment", "ZIP_CSV");
    const std::string info = waitForBatch(job, addBatch(job, zip, "zip/csv"));
    EXPECT_EQ(xmlValue(info, "state"), "Failed") << info;
    return xmlValue(info, "stateMessage");
  }

  std::string accountId_;
};

TEST_F(ServerAttachmentTest, ZipCsvLoadsTheFilesTheRecordsName) {
  const std::string gif(3000, '\x47');  // compresses well
  std::string doc;
  for (int i = 0; i < 5000; ++i) doc += static_cast<char>((i * 7919) % 256);  // barely
  const std::string request =
      "Name,ParentId,Body\n"
      "logo.gif," +
      accountId_ +
      ",#logo.gif\n"
      "subdir/report.doc," +
      accountId_ +
      ",#subdir/report.doc\n"
      "plain," +
      accountId_ +
      ",logo.gif\n"
      "missing," +
      accountId_ +
      ",#nothere.txt\n"
      "folder," +
      accountId_ + ",#subdir\n";
  for (const bool deflate : {true, false}) {
    const std::string zip = makeZip(
        {{"request.txt", request}, {"logo.gif", gif}, {"subdir/", ""}, {"subdir/report.doc", doc}},
        deflate);
    const std::string job = createJob("insert", "Attachment", "ZIP_CSV");
    const std::vector<std::string> rows = resultRows(job, addBatch(job, zip, "zip/csv"));
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_NE(rows[0].find("\"true\",\"true\""), std::string::npos) << rows[0];
    EXPECT_NE(rows[1].find("\"true\",\"true\""), std::string::npos) << rows[1];
    EXPECT_NE(rows[2].find("INVALID_FIELD:Body: the value must name a file in the zip as #path"),
              std::string::npos)
        << rows[2];
    EXPECT_NE(rows[3].find("INVALID_FIELD:Body: #nothere.txt was not found in the zip"),
              std::string::npos)
        << rows[3];
    EXPECT_NE(rows[4].find("INVALID_FIELD:Body: #subdir is a directory in the zip"),
              std::string::npos)
        << rows[4];
  }
  // What was stored: each file's bytes, twice (stored and deflated); BodyLength says so.
  const QueryOutput stored =
      emulator_.org().query("SELECT Name, BodyLength FROM Attachment ORDER BY Name", false);
  ASSERT_EQ(stored.rows.size(), 4u);
  EXPECT_EQ(*stored.rows[0][0], "logo.gif");
  EXPECT_EQ(*stored.rows[0][1], "3000");
  EXPECT_EQ(*stored.rows[2][0], "subdir/report.doc");
  EXPECT_EQ(*stored.rows[2][1], "5000");
}

TEST_F(ServerAttachmentTest, ZipJsonAndZipXmlReadTheirRequestInTheirFormat) {
  const std::string json =
      "[{\"Name\":\"a.txt\",\"ParentId\":\"" + accountId_ + "\",\"Body\":\"#a.txt\"}]";
  const std::string jsonJob = createJob("insert", "Attachment", "ZIP_JSON");
  const std::string jsonBatch =
      addBatch(jsonJob, makeZip({{"request.txt", json}, {"a.txt", "hello"}}), "zip/json");
  const std::string jsonInfo = waitForBatch(jsonJob, jsonBatch);
  EXPECT_EQ(nlohmann::json::parse(jsonInfo).at("state"), "Completed") << jsonInfo;
  auto jsonResult = get("/job/" + jsonJob + "/batch/" + jsonBatch + "/result");
  ASSERT_TRUE(jsonResult);
  EXPECT_EQ(nlohmann::json::parse(jsonResult->body).at(0).at("success"), true) << jsonResult->body;

  const std::string xml =
      std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sObjects xmlns=\"") + kXmlNs +
      "\"><sObject><Name>b.txt</Name><ParentId>" + accountId_ +
      "</ParentId><Body>#b.txt</Body></sObject></sObjects>";
  const std::string xmlJob = createJob("insert", "Attachment", "ZIP_XML");
  const std::string xmlBatch =
      addBatch(xmlJob, makeZip({{"request.txt", xml}, {"b.txt", "hello, world"}}), "zip/xml");
  EXPECT_EQ(xmlValue(waitForBatch(xmlJob, xmlBatch), "state"), "Completed");
  auto xmlResult = get("/job/" + xmlJob + "/batch/" + xmlBatch + "/result");
  ASSERT_TRUE(xmlResult);
  EXPECT_EQ(xmlValue(xmlResult->body, "success"), "true") << xmlResult->body;

  const QueryOutput stored =
      emulator_.org().query("SELECT Name, BodyLength FROM Attachment ORDER BY Name", false);
  ASSERT_EQ(stored.rows.size(), 2u);
  EXPECT_EQ(*stored.rows[0][1], "5");
  EXPECT_EQ(*stored.rows[1][1], "12");
}

TEST_F(ServerAttachmentTest, BadZipsFailTheBatchWithInvalidBatch) {
  const std::string request = "Name,ParentId,Body\na," + accountId_ + ",#a\n";
  EXPECT_EQ(failureOf("not a zip at all, just text"),
            "InvalidBatch : Failed to read the zip content: not a zip archive (no end of central "
            "directory record)");
  EXPECT_EQ(failureOf(makeZip({{"a", "x"}})),
            "InvalidBatch : request.txt was not found at the root of the zip (a zip made by "
            "compressing a folder holds the folder, not its files)");
  // A zip of a folder: request.txt one level down.
  EXPECT_NE(failureOf(makeZip({{"batch/", ""}, {"batch/request.txt", request}}))
                .find("request.txt was not found at the root"),
            std::string::npos);
  EXPECT_EQ(failureOf(makeZip({{"request.txt/", ""}})),
            "InvalidBatch : request.txt in the zip is a directory");
  // Corrupted bytes: the CRC catches a stored entry, inflate a deflated one.
  std::string corrupt = makeZip({{"request.txt", request}, {"a", "payload"}}, false);
  corrupt[corrupt.find("payload")] = 'P';
  EXPECT_EQ(failureOf(corrupt), "InvalidBatch : Failed to read the zip content: CRC mismatch in a");
  // A header that claims a smaller size than the data inflates to.
  EXPECT_EQ(failureOf(makeZip({{"request.txt", request}, {"a", std::string(100, 'a')}}, true,
                              static_cast<std::uint32_t>(-1))),
            "InvalidBatch : Failed to read the zip content: corrupt deflate data in request.txt");
  // The limits of binary content: 1,000 files, 20 MB unzipped.
  // request.txt counts; folders do not.
  std::vector<ZipInput> many{{"request.txt", request}, {"dir/", ""}};
  for (int i = 0; i < 999; ++i) many.push_back({"dir/f" + std::to_string(i), "x"});
  const std::string job = createJob("insert", "Attachment", "ZIP_CSV");
  EXPECT_EQ(xmlValue(waitForBatch(job, addBatch(job, makeZip(many), "zip/csv")), "state"),
            "Completed");
  many.push_back({"one-more", "x"});
  EXPECT_EQ(failureOf(makeZip(many)),
            "InvalidBatch : Failed to read the zip content: the zip holds more than 1000 files");
  std::vector<ZipInput> big{{"request.txt", request}};
  for (int i = 0; i < 3; ++i)
    big.push_back({"big" + std::to_string(i), std::string(7'000'000, 'z')});
  EXPECT_EQ(failureOf(makeZip(big)),
            "InvalidBatch : Failed to read the zip content: the unzipped files exceed 20971520 "
            "bytes (at big2)");
}

TEST_F(ServerAttachmentTest, BinaryFieldsNeedAZipJobAndAreNotQueryable) {
  // A CSV job cannot set Body: the whole batch fails with the service's text.
  const std::string csvJob = createJob("insert", "Attachment", "CSV");
  const std::string info = waitForBatch(
      csvJob, addBatch(csvJob, "Name,ParentId,Body\na," + accountId_ + ",aGVsbG8=\n", "text/csv"));
  EXPECT_EQ(xmlValue(info, "state"), "Failed");
  EXPECT_EQ(xmlValue(info, "stateMessage"),
            "InvalidBatch : Binary field Body is only supported for content types ZIP_XML and "
            "ZIP_CSV");
  // A bulk query of a binary field fails; BodyLength and the rest can be queried.
  const std::string queryJob = createJob("query", "Attachment", "CSV");
  const std::string failed =
      waitForBatch(queryJob, addBatch(queryJob, "SELECT Id, Body FROM Attachment", "text/csv"));
  EXPECT_EQ(xmlValue(failed, "stateMessage"), "FeatureNotEnabled : Binary field not supported");
  const std::string ok = waitForBatch(
      queryJob, addBatch(queryJob, "SELECT Id, Name, BodyLength FROM Attachment", "text/csv"));
  EXPECT_EQ(xmlValue(ok, "state"), "Completed") << ok;
}

TEST_F(ServerAttachmentTest, ParentIdMustNameAnExistingRecordOfAnyObject) {
  const std::string missingAccount =
      "001" + accountId_.substr(3, 9) + "ZZZ" + accountId_.substr(15);
  const std::string request =
      "Name,ParentId,Body\n"
      "a," +
      missingAccount +
      ",#a\n"
      "b,a0B000000000001AAA,#a\n"
      "c,,#a\n"
      "d," +
      accountId_ + ",\n";
  const std::string job = createJob("insert", "Attachment", "ZIP_CSV");
  const std::vector<std::string> rows =
      resultRows(job, addBatch(job, makeZip({{"request.txt", request}, {"a", "x"}}), "zip/csv"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_NE(rows[0].find("INVALID_CROSS_REFERENCE_KEY"), std::string::npos) << rows[0];
  EXPECT_NE(rows[1].find("INVALID_CROSS_REFERENCE_KEY"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find("REQUIRED_FIELD_MISSING"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find("REQUIRED_FIELD_MISSING"), std::string::npos) << rows[3];
}

}  // namespace
}  // namespace sfdc::emulator::testing
