#pragma once

/// @file
/// A gMock Bulk2Connection for unit tests of code that uses sfdc::bulk::Bulk2Client. Build
/// a Bulk2Client over it, set expectations on the operations your code should perform,
/// and answer them with the Bulk2JobInfo values or exceptions your test needs:
///
/// @code
/// auto mock = std::make_shared<sfdc::bulk::mocks::MockBulk2Connection>();
/// EXPECT_CALL(*mock, getIngestJobInfo("750R0000000zlh9IAA")).WillOnce(Return(complete));
/// sfdc::bulk::Bulk2Client bulk2(mock);
/// @endcode
///
/// Header-only; needs GoogleTest's gmock (link GTest::gmock).

#include <gmock/gmock.h>

#include <cstdint>
#include <memory>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::mocks {

/// Every operation of Bulk2Connection as a gMock method of the same name and signature.
class MockBulk2Connection : public Bulk2Connection {
 public:
  /// @cond MOCK_METHODS
  // The mocked operations are those of Bulk2Connection; see their documentation there.
  MOCK_METHOD(Bulk2JobInfo, createIngestJob,
              (Operation operation, std::string_view object, const IngestJobOptions& options),
              (override));
  MOCK_METHOD(void, uploadJobData,
              (const IngestJob& job, std::shared_ptr<BodySource> csv, const UploadOptions& options),
              (override));
  MOCK_METHOD(Bulk2JobInfo, closeIngestJob, (std::string_view jobId), (override));
  MOCK_METHOD(Bulk2JobInfo, abortIngestJob, (std::string_view jobId), (override));
  MOCK_METHOD(Bulk2JobInfo, getIngestJobInfo, (std::string_view jobId), (override));
  MOCK_METHOD(void, deleteIngestJob, (std::string_view jobId), (override));
  MOCK_METHOD(Bulk2JobPage, listIngestJobs,
              (const Bulk2JobFilter& filter, std::string_view nextRecordsUrl), (override));
  MOCK_METHOD(Bulk2CsvReader, openIngestResults, (const IngestJob& job, IngestResultKind kind),
              (override));
  MOCK_METHOD(Bulk2JobInfo, createQueryJob, (std::string_view soql, const QueryJobOptions& options),
              (override));
  MOCK_METHOD(Bulk2JobInfo, getQueryJobInfo, (std::string_view jobId), (override));
  MOCK_METHOD(Bulk2JobInfo, abortQueryJob, (std::string_view jobId), (override));
  MOCK_METHOD(void, deleteQueryJob, (std::string_view jobId), (override));
  MOCK_METHOD(Bulk2JobPage, listQueryJobs,
              (const Bulk2JobFilter& filter, std::string_view nextRecordsUrl), (override));
  MOCK_METHOD(Bulk2CsvReader, openQueryResults, (const QueryJob& job, const QueryPageRequest& page),
              (override));
  MOCK_METHOD(QueryResultPageLinks, getQueryResultPages,
              (const QueryJob& job, std::string_view nextRecordsUrl), (override));
  MOCK_METHOD(Bulk2CsvReader, openQueryResultsUrl,
              (const QueryJob& job, std::string_view resultUrl), (override));
  MOCK_METHOD(std::string, instanceUrl, (), (override));
  MOCK_METHOD(std::uint64_t, requestCount, (), (const, override));
  MOCK_METHOD(RetryPolicy, retryPolicy, (), (const, override));
  MOCK_METHOD(void, log, (LogLevel level, const std::string& message), (override));
  /// @endcond
};

}  // namespace sfdc::bulk::mocks
