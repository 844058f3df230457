// Binary attachment loads end to end: zips built by AttachmentZip, uploaded through the
// real CurlTransport to ZIP_CSV and ZIP_JSON jobs of the emulator, results read back,
// and the stored files measured by a query of the org.

#include <gtest/gtest.h>

#include <map>
#include <sfdc/bulk/attachment_zip.hpp>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

class AttachmentIntegrationTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    Job job = client->createJob(Operation::Insert, "Account", ContentType::CSV);
    BatchInfo batch = client->addBatch(job, "Name\nAcme\n");
    ASSERT_EQ(waitForBatch(job, batch.id).state, BatchState::Completed);
    accountId = client->getBatchResult(job, batch.id).records.at(0).id;
  }

  /// Name -> BodyLength of every stored attachment.
  std::map<std::string, std::string> storedLengths() {
    std::map<std::string, std::string> out;
    QueryStream rows = client->query("SELECT Name, BodyLength FROM Attachment");
    std::vector<std::string> row;
    while (rows.nextRow(row)) out[row.at(0)] = row.at(1);
    return out;
  }

  std::string accountId;
};

std::string pseudoRandomBytes(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    seed = seed * 1103515245u + 12345u;
    out[i] = static_cast<char>(seed >> 24);
  }
  return out;
}

TEST_F(AttachmentIntegrationTest, ZipCsvBatchLoadsEachFileOnceAndReportsBadReferences) {
  AttachmentZip zip;
  zip.setRequest(
      "Name,ParentId,Body\n"
      "logo.gif," +
      accountId +
      ",#logo.gif\n"
      "docs/report.pdf," +
      accountId +
      ",#docs/report.pdf\n"
      "empty.txt," +
      accountId +
      ",#empty.txt\n"
      "missing.txt," +
      accountId + ",#missing.txt\n");
  zip.addFile("logo.gif", pseudoRandomBytes(70'000, 1));
  zip.addFile("docs/report.pdf", std::string(250'000, 'p'));
  zip.addFile("empty.txt", "");
  EXPECT_EQ(zip.fileCount(), 3u);
  EXPECT_EQ(zip.unzippedBytes(), 320'000u);

  // Requests are gzipped by configuration; the zip upload must not be.
  Config config = emulatorConfig(*server);
  config.gzipRequests = true;
  Client gzipping(config, transport);
  Job job = gzipping.createJob(Operation::Insert, "Attachment", ContentType::ZIP_CSV);
  BatchInfo batch = gzipping.addBatch(job, zip.build());
  gzipping.closeJob(job);
  batch = waitForBatch(job, batch.id);
  ASSERT_EQ(batch.state, BatchState::Completed) << batch.stateMessage;
  const auto records = gzipping.getBatchResult(job, batch.id).records;
  ASSERT_EQ(records.size(), 4u);
  EXPECT_TRUE(records[0].success);
  EXPECT_TRUE(records[1].success);
  // An empty file is an empty Body, which the emulator, as for any field, takes as none
  // (whether the service stores a zero-byte attachment is not documented).
  EXPECT_FALSE(records[2].success);
  ASSERT_EQ(records[2].errors.size(), 1u);
  EXPECT_EQ(records[2].errors[0].statusCode, "REQUIRED_FIELD_MISSING");
  EXPECT_FALSE(records[3].success);
  ASSERT_EQ(records[3].errors.size(), 1u);
  EXPECT_EQ(records[3].errors[0].statusCode, "INVALID_FIELD");
  EXPECT_NE(records[3].errors[0].message.find("#missing.txt was not found in the zip"),
            std::string::npos);

  const auto lengths = storedLengths();
  ASSERT_EQ(lengths.size(), 2u);
  EXPECT_EQ(lengths.at("logo.gif"), "70000");
  EXPECT_EQ(lengths.at("docs/report.pdf"), "250000");
}

TEST_F(AttachmentIntegrationTest, ZipJsonBatchAndTheServicesRefusals) {
  AttachmentZip zip;
  zip.setRequest(
      nlohmann::json::array({{{"Name", "a.bin"}, {"ParentId", accountId}, {"Body", "#a.bin"}}})
          .dump());
  zip.addFile("a.bin", pseudoRandomBytes(4096, 7));
  Job job = client->createJob(Operation::Insert, "Attachment", ContentType::ZIP_JSON);
  BatchInfo batch = client->addBatch(job, zip.build());
  batch = waitForBatch(job, batch.id);
  ASSERT_EQ(batch.state, BatchState::Completed) << batch.stateMessage;
  EXPECT_TRUE(client->getBatchResult(job, batch.id).records.at(0).success);
  EXPECT_EQ(storedLengths().at("a.bin"), "4096");

  // A CSV job cannot carry a binary field; the batch fails as the service fails it.
  Job csv = client->createJob(Operation::Insert, "Attachment", ContentType::CSV);
  BatchInfo plain = client->addBatch(csv, "Name,ParentId,Body\nb," + accountId + ",Ym9keQ==\n");
  plain = waitForBatch(csv, plain.id);
  EXPECT_EQ(plain.state, BatchState::Failed);
  EXPECT_EQ(plain.stateMessage,
            "InvalidBatch : Binary field Body is only supported for content types ZIP_XML and "
            "ZIP_CSV");
  // Nor can a bulk query read one.
  try {
    QueryStream rows = client->query("SELECT Id, Body FROM Attachment");
    std::vector<std::string> row;
    while (rows.nextRow(row)) {
    }
    ADD_FAILURE() << "a query of Body succeeded";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.exceptionCode(), "FeatureNotEnabled");
    EXPECT_NE(std::string(e.what()).find("Binary field not supported"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sfdc::bulk::testing
