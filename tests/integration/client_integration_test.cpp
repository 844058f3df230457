// Every core operation through the real CurlTransport against the emulator, in CSV,
// JSON and XML jobs.

#include <fstream>
#include <set>
#include <sfdc/emulator/emulator.hpp>
#include <sstream>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk {
namespace {

using testing::EmulatorTest;

class ClientIntegrationTest : public EmulatorTest,
                              public ::testing::WithParamInterface<ContentType> {};

nlohmann::json nastyContacts() {
  return nlohmann::json::array({
      {{"FirstName", "Ada"}, {"LastName", "Lovelace"}, {"Email", "ada@example.com"}},
      {{"FirstName", "Zoë"}, {"LastName", "東京 🚀"}, {"Description", "comma, \"quote\"\nnewline"}},
      {{"FirstName", "  padded  "}, {"LastName", "Spaces"}, {"Description", nullptr}},
      {{"FirstName", "Nobody"}, {"Email", "missing-last-name@example.com"}},
  });
}

TEST_P(ClientIntegrationTest, InsertThenQueryBackEveryOperation) {
  const ContentType type = GetParam();
  Job job = client->createJob(Operation::Insert, "Contact", type);
  EXPECT_EQ(job.contentType, type);
  BatchInfo batch = client->addBatch(job, nastyContacts());
  EXPECT_EQ(batch.state, BatchState::Queued);
  EXPECT_EQ(batch.jobId, job.id);

  batch = waitForBatch(job, batch.id);
  ASSERT_EQ(batch.state, BatchState::Completed) << batch.stateMessage;
  EXPECT_EQ(batch.numberRecordsProcessed, 4);
  EXPECT_EQ(batch.numberRecordsFailed, 1);

  auto all = client->getAllBatches(job);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, batch.id);
  EXPECT_FALSE(client->getBatchRequest(job, batch.id).empty());

  auto results = client->getBatchResult(job, batch.id).records;
  ASSERT_EQ(results.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(results[i].success) << i;
    EXPECT_TRUE(results[i].created) << i;
    EXPECT_EQ(results[i].id.substr(0, 3), "003") << results[i].id;
    EXPECT_EQ(results[i].id.size(), 18u);
  }
  EXPECT_FALSE(results[3].success);
  ASSERT_FALSE(results[3].errors.empty());
  EXPECT_EQ(results[3].errors[0].statusCode, "REQUIRED_FIELD_MISSING");

  JobInfo closed = client->closeJob(job);
  EXPECT_EQ(closed.state, JobState::Closed);
  JobInfo info = client->getJobInfo(job);
  EXPECT_EQ(info.numberBatchesCompleted, 1);
  EXPECT_EQ(info.numberRecordsProcessed, 4);
  EXPECT_EQ(info.numberRecordsFailed, 1);
  EXPECT_EQ(info.apiVersion, "59.0");

  Job query = client->createJob(Operation::Query, "Contact", type);
  BatchInfo q = client->addBatch(
      query, "SELECT Id, FirstName, LastName, Description FROM Contact ORDER BY CreatedDate");
  client->closeJob(query);
  q = waitForBatch(query, q.id);
  ASSERT_EQ(q.state, BatchState::Completed) << q.stateMessage;
  auto resultIds = client->getBatchResult(query, q.id).resultIds;
  ASSERT_EQ(resultIds.size(), 1u);
  auto reader = client->getQueryResult(query, q.id, resultIds[0]);
  std::vector<nlohmann::json> rows;
  for (nlohmann::json record; reader.nextRecord(record);) rows.push_back(record);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["Id"], results[0].id);
  EXPECT_EQ(rows[1]["FirstName"], "Zoë");
  EXPECT_EQ(rows[1]["LastName"], "東京 🚀");
  EXPECT_EQ(rows[1]["Description"], "comma, \"quote\"\nnewline");
  EXPECT_EQ(rows[2]["FirstName"], "  padded  ");
}

TEST_P(ClientIntegrationTest, UpdateUpsertDeleteAndAbort) {
  const ContentType type = GetParam();
  Job insert = client->createJob(Operation::Insert, "Account", type);
  auto batch = client->addBatch(
      insert, nlohmann::json::array({{{"Name", "One"}, {"External_Id__c", "EXT-1"}},
                                     {{"Name", "Two"}, {"External_Id__c", "EXT-2"}}}));
  batch = waitForBatch(insert, batch.id);
  auto inserted = client->getBatchResult(insert, batch.id).records;
  ASSERT_EQ(inserted.size(), 2u);
  ASSERT_TRUE(inserted[0].success);

  Job update = client->createJob(Operation::Update, "Account", type);
  batch = client->addBatch(update,
                           nlohmann::json::array({{{"Id", inserted[0].id}, {"Name", "One renamed"}},
                                                  {{"Id", "001000000000000BAD"}, {"Name", "x"}}}));
  batch = waitForBatch(update, batch.id);
  auto updated = client->getBatchResult(update, batch.id).records;
  ASSERT_EQ(updated.size(), 2u);
  EXPECT_TRUE(updated[0].success);
  EXPECT_FALSE(updated[0].created);
  EXPECT_FALSE(updated[1].success);

  JobOptions upsertOptions;
  upsertOptions.externalIdFieldName = "External_Id__c";
  Job upsert = client->createJob(Operation::Upsert, "Account", type, upsertOptions);
  EXPECT_EQ(upsert.externalIdFieldName, "External_Id__c");
  batch = client->addBatch(
      upsert, nlohmann::json::array({{{"External_Id__c", "EXT-2"}, {"Name", "Two upserted"}},
                                     {{"External_Id__c", "EXT-3"}, {"Name", "Three"}}}));
  batch = waitForBatch(upsert, batch.id);
  auto upserted = client->getBatchResult(upsert, batch.id).records;
  ASSERT_EQ(upserted.size(), 2u);
  EXPECT_TRUE(upserted[0].success);
  EXPECT_FALSE(upserted[0].created);
  EXPECT_EQ(upserted[0].id, inserted[1].id);
  EXPECT_TRUE(upserted[1].created);

  Job remove = client->createJob(Operation::Delete, "Account", type);
  batch = client->addBatch(remove, nlohmann::json::array({{{"Id", inserted[0].id}}}));
  batch = waitForBatch(remove, batch.id);
  auto deleted = client->getBatchResult(remove, batch.id).records;
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_TRUE(deleted[0].success);

  Job hard = client->createJob(Operation::HardDelete, "Account", type);
  batch = client->addBatch(hard, nlohmann::json::array({{{"Id", inserted[1].id}}}));
  batch = waitForBatch(hard, batch.id);
  EXPECT_TRUE(client->getBatchResult(hard, batch.id).records.at(0).success);

  Job doomed = client->createJob(Operation::Insert, "Account", type);
  JobInfo aborted = client->abortJob(doomed);
  EXPECT_EQ(aborted.state, JobState::Aborted);
  EXPECT_THROW(client->addBatch(doomed, nlohmann::json::array({{{"Name", "late"}}})), ApiError);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, ClientIntegrationTest,
                         ::testing::Values(ContentType::CSV, ContentType::JSON, ContentType::XML),
                         [](const auto& info) { return std::string(toString(info.param)); });

class CoreIntegrationTest : public EmulatorTest {};

TEST_F(CoreIntegrationTest, AttachJobFromIdAndUnknownJobIsAnApiError) {
  Job job = client->createJob(Operation::Insert, "Contact", ContentType::JSON);
  Job attached = client->attachJob(job.id);
  EXPECT_EQ(attached.contentType, ContentType::JSON);
  EXPECT_EQ(attached.object, "Contact");
  try {
    client->getJobInfo(
        Job{"750000000000000AAA", Operation::Insert, "Contact", ContentType::CSV, ""});
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_EQ(e.exceptionCode(), "InvalidJob");
  }
}

TEST_F(CoreIntegrationTest, RefreshesTheSessionWhenTheEmulatorExpiresIt) {
  Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  server->expireSessions();
  auto batch = client->addBatch(job, "LastName\nAfterExpiry\n");
  batch = waitForBatch(job, batch.id);
  EXPECT_EQ(batch.state, BatchState::Completed);
  server->expireSessions();
  EXPECT_EQ(client->closeJob(job).state, JobState::Closed);
}

TEST_F(CoreIntegrationTest, UnknownColumnFailsTheBatch) {
  Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  auto batch = client->addBatch(job, "LastName,Nmae\nX,Y\n");
  batch = waitForBatch(job, batch.id);
  EXPECT_EQ(batch.state, BatchState::Failed);
  EXPECT_EQ(batch.stateMessage, "InvalidBatch : Field name not found : Nmae");
}

TEST_F(CoreIntegrationTest, GzipBothWays) {
  Config config = testing::emulatorConfig(*server);
  config.gzipRequests = true;
  Client gz(config, transport);
  Job job = gz.createJob(Operation::Insert, "Contact", ContentType::CSV);
  std::string body = "LastName,Description\n";
  for (int i = 0; i < 2000; ++i) body += "Name" + std::to_string(i) + ",repeated text repeated\n";
  auto batch = gz.addBatch(job, body);
  batch = waitForBatch(job, batch.id);
  EXPECT_EQ(batch.state, BatchState::Completed);
  EXPECT_EQ(gz.getBatchRequest(job, batch.id), body);
  EXPECT_EQ(gz.getBatchResult(job, batch.id).records.size(), 2000u);
}

TEST_F(CoreIntegrationTest, SerialJobAndStreamedFileBatch) {
  JobOptions options;
  options.concurrencyMode = ConcurrencyMode::Serial;
  Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV, options);
  EXPECT_EQ(client->getJobInfo(job).concurrencyMode, ConcurrencyMode::Serial);
  std::stringstream first("LastName\nA1\nA2\n");
  auto b1 = client->addBatch(job, first);
  const std::string path = ::testing::TempDir() + "/serial_batch.csv";
  std::ofstream(path) << "LastName\nB1\n";
  auto b2 = client->addBatchFromFile(job, path);
  b1 = waitForBatch(job, b1.id);
  b2 = waitForBatch(job, b2.id);
  EXPECT_EQ(b1.state, BatchState::Completed);
  EXPECT_EQ(b2.state, BatchState::Completed);
  EXPECT_EQ(client->getBatchResult(job, b2.id).records.size(), 1u);
}

TEST_F(CoreIntegrationTest, PkChunkedQueryCreatesChunkBatches) {
  Job insert = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  std::string body = "LastName\n";
  for (int i = 0; i < 250; ++i) body += "Chunk" + std::to_string(i) + "\n";
  waitForBatch(insert, client->addBatch(insert, body).id);

  JobOptions options;
  options.pkChunking = PkChunking{100, "", ""};
  Job query = client->createJob(Operation::Query, "Contact", ContentType::CSV, options);
  auto parent = client->addBatch(query, "SELECT Id, LastName FROM Contact");
  parent = waitForBatch(query, parent.id);
  EXPECT_EQ(parent.state, BatchState::NotProcessed);
  std::set<std::string> ids;
  std::size_t rows = 0;
  for (const auto& batch : client->getAllBatches(query)) {
    if (batch.id == parent.id) continue;
    auto done = waitForBatch(query, batch.id);
    ASSERT_EQ(done.state, BatchState::Completed);
    EXPECT_NE(client->getBatchRequest(query, batch.id).find("Id >= "), std::string::npos);
    for (const auto& resultId : client->getBatchResult(query, batch.id).resultIds) {
      auto reader = client->getQueryResult(query, batch.id, resultId);
      for (std::vector<std::string> row; reader.nextRow(row);) {
        ids.insert(row[0]);
        ++rows;
      }
    }
  }
  EXPECT_EQ(rows, 250u);
  EXPECT_EQ(ids.size(), 250u);
}

TEST_F(CoreIntegrationTest, EmptyQueryResultReadsAsNoRows) {
  Job query = client->createJob(Operation::Query, "Lead", ContentType::CSV);
  auto batch = client->addBatch(query, "SELECT Id FROM Lead WHERE LastName = 'nobody'");
  batch = waitForBatch(query, batch.id);
  auto ids = client->getBatchResult(query, batch.id).resultIds;
  ASSERT_EQ(ids.size(), 1u);
  auto reader = client->getQueryResult(query, batch.id, ids[0]);
  std::vector<std::string> row;
  EXPECT_FALSE(reader.nextRow(row));
}

TEST_F(CoreIntegrationTest, RetriesThroughInjectedServiceUnavailable) {
  Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  emulator::Faults faults;
  faults.fail503 = 2;
  faults.retryAfterSeconds = 0;
  server->setFaults(faults);
  EXPECT_EQ(client->getJobInfo(job).id, job.id);
  faults = {};
  faults.fail500 = 1;
  server->setFaults(faults);
  EXPECT_EQ(client->getAllBatches(job).size(), 0u);
}

TEST_F(CoreIntegrationTest, ManyThreadsShareOneClient) {
  Job job = client->createJob(Operation::Insert, "Contact", ContentType::CSV);
  std::vector<std::thread> threads;
  std::vector<std::string> batchIds(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      batchIds[t] = client->addBatch(job, "LastName\nThread" + std::to_string(t) + "\n").id;
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique(batchIds.begin(), batchIds.end());
  EXPECT_EQ(unique.size(), 8u);
  EXPECT_EQ(client->getAllBatches(job).size(), 8u);
}

}  // namespace
}  // namespace sfdc::bulk
