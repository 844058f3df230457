// Unit-testing your own code with sfdc::bulk::mocks::MockConnection: no network, no
// emulator, and every answer of the Bulk API chosen by the test.
//
// The code under test is `submitContacts` below, standing in for a function of yours
// that takes a Client. The tests build that Client over a MockConnection.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <sfdc/bulk.hpp>
#include <sfdc/bulk/mocks/mock_connection.hpp>
#include <string>

namespace {

using ::sfdc::bulk::BatchInfo;
using ::sfdc::bulk::BatchState;
using ::sfdc::bulk::Client;
using ::sfdc::bulk::ContentType;
using ::sfdc::bulk::JobInfo;
using ::sfdc::bulk::JobState;
using ::sfdc::bulk::Operation;
using ::sfdc::bulk::mocks::MockConnection;
using ::testing::_;
using ::testing::Field;
using ::testing::Return;
using ::testing::StrictMock;
using ::testing::Throw;

// --- Your code --------------------------------------------------------------------

/// Insert the contacts of `csv` as one batch, close the job and say how the batch
/// stands right after: "queued", "failed: <reason>", or "not submitted: <reason>".
std::string submitContacts(Client& client, const std::string& csv) {
  try {
    auto job = client.createJob(Operation::Insert, "Contact", ContentType::CSV);
    auto batch = client.addBatch(job, csv);
    client.closeJob(job);
    auto info = client.getBatchInfo(job, batch.id);
    if (info.state == BatchState::Failed) return "failed: " + info.stateMessage;
    return "queued";
  } catch (const sfdc::bulk::ApiError& e) {
    return "not submitted: " + e.exceptionCode();
  }
}

// --- Its tests --------------------------------------------------------------------

constexpr const char* kJobId = "750R0000000zlh9IAA";
constexpr const char* kBatchId = "751R0000000zlhAIAQ";

JobInfo openJob() {
  JobInfo job;
  job.id = kJobId;
  job.operation = Operation::Insert;
  job.object = "Contact";
  job.contentType = ContentType::CSV;
  job.state = JobState::Open;
  return job;
}

BatchInfo batchIn(BatchState state, std::string message = {}) {
  BatchInfo batch;
  batch.id = kBatchId;
  batch.jobId = kJobId;
  batch.state = state;
  batch.stateMessage = std::move(message);
  return batch;
}

TEST(SubmitContacts, ReportsAQueuedBatch) {
  auto mock = std::make_shared<StrictMock<MockConnection>>();
  const std::string csv = "FirstName,LastName\nAda,Lovelace\n";
  EXPECT_CALL(*mock, createJob(Operation::Insert, "Contact", ContentType::CSV, _))
      .WillOnce(Return(openJob()));
  EXPECT_CALL(*mock, addBatch(Field(&sfdc::bulk::Job::id, kJobId), csv, _))
      .WillOnce(Return(batchIn(BatchState::Queued)));
  EXPECT_CALL(*mock, closeJob(Field(&sfdc::bulk::Job::id, kJobId))).WillOnce(Return(openJob()));
  EXPECT_CALL(*mock, getBatchInfo(_, kBatchId)).WillOnce(Return(batchIn(BatchState::Queued)));

  Client client(mock);
  EXPECT_EQ(submitContacts(client, csv), "queued");
}

TEST(SubmitContacts, ReportsWhyABatchFailed) {
  auto mock = std::make_shared<::testing::NiceMock<MockConnection>>();
  ON_CALL(*mock, createJob).WillByDefault(Return(openJob()));
  ON_CALL(*mock, addBatch).WillByDefault(Return(batchIn(BatchState::Queued)));
  ON_CALL(*mock, getBatchInfo)
      .WillByDefault(Return(batchIn(BatchState::Failed, "InvalidBatch : Field name not found")));

  Client client(mock);
  EXPECT_EQ(submitContacts(client, "Nmae\nx\n"), "failed: InvalidBatch : Field name not found");
}

TEST(SubmitContacts, ReportsARefusedJob) {
  auto mock = std::make_shared<StrictMock<MockConnection>>();
  EXPECT_CALL(*mock, createJob)
      .WillOnce(Throw(sfdc::bulk::ApiError(400, "InvalidEntity",
                                           "Entity 'Contact' is not "
                                           "supported by the Bulk API")));

  Client client(mock);
  EXPECT_EQ(submitContacts(client, "LastName\nx\n"), "not submitted: InvalidEntity");
}

}  // namespace
