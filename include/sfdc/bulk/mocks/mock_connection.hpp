#pragma once

/// @file
/// A gMock Connection for unit tests of code that uses sfdc::bulk::Client. Build a
/// Client over it, set expectations on the operations your code should perform, and
/// answer them with the JobInfo, BatchInfo or exceptions your test needs:
///
/// @code
/// auto mock = std::make_shared<sfdc::bulk::mocks::MockConnection>();
/// EXPECT_CALL(*mock, getBatchInfo(_, "751R0000000zlh9IAA")).WillOnce(Return(completed));
/// sfdc::bulk::Client client(mock);
/// @endcode
///
/// Header-only; needs GoogleTest's gmock (link GTest::gmock).

#include <gmock/gmock.h>

#include <cstdint>
#include <memory>
#include <sfdc/bulk/connection.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk::mocks {

/// Every operation of Connection as a gMock method of the same name and signature.
class MockConnection : public Connection {
 public:
  /// @cond MOCK_METHODS
  // The mocked operations are those of Connection; see their documentation there.
  MOCK_METHOD(JobInfo, createJob,
              (Operation operation, std::string_view object, ContentType contentType,
               const JobOptions& options),
              (override));
  MOCK_METHOD(JobInfo, getJobInfo, (const Job& job), (override));
  MOCK_METHOD(JobInfo, closeJob, (const Job& job), (override));
  MOCK_METHOD(JobInfo, abortJob, (const Job& job), (override));
  MOCK_METHOD(BatchInfo, addBatch,
              (const Job& job, std::string_view body, const AddBatchOptions& options), (override));
  MOCK_METHOD(BatchInfo, addBatchStreamed,
              (const Job& job, std::shared_ptr<BodySource> body, const AddBatchOptions& options),
              (override));
  MOCK_METHOD(BatchInfo, getBatchInfo, (const Job& job, std::string_view batchId), (override));
  MOCK_METHOD(std::vector<BatchInfo>, getAllBatches, (const Job& job), (override));
  MOCK_METHOD(std::string, getBatchRequest, (const Job& job, std::string_view batchId), (override));
  MOCK_METHOD(std::vector<RecordResult>, getBatchResults,
              (const Job& job, std::string_view batchId), (override));
  MOCK_METHOD(std::vector<std::string>, getQueryResultIds,
              (const Job& job, std::string_view batchId), (override));
  MOCK_METHOD(QueryResultReader, openQueryResult,
              (const Job& job, std::string_view batchId, std::string_view resultId), (override));
  MOCK_METHOD(std::string, instanceUrl, (), (override));
  MOCK_METHOD(std::uint64_t, requestCount, (), (const, override));
  MOCK_METHOD(RetryPolicy, retryPolicy, (), (const, override));
  MOCK_METHOD(void, log, (LogLevel level, const std::string& message), (override));
  /// @endcond
};

}  // namespace sfdc::bulk::mocks
