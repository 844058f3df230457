#pragma once

// The real Bulk2Connection: each operation builds its 2.0 call and hands it to the
// session, whose single request loop sends it (retries, session renewal, counting). A
// v1 ConnectionImpl hands out one over its own session.

#include <memory>
#include <sfdc/bulk/bulk2_connection.hpp>

#include "session.hpp"

namespace sfdc::bulk::detail {

class Bulk2ConnectionImpl final : public Bulk2Connection {
 public:
  explicit Bulk2ConnectionImpl(std::shared_ptr<Session> session);

  Bulk2JobInfo createIngestJob(Operation operation, std::string_view object,
                               const IngestJobOptions& options) override;
  void uploadJobData(const IngestJob& job, std::shared_ptr<BodySource> csv,
                     const UploadOptions& options) override;
  Bulk2JobInfo closeIngestJob(std::string_view jobId) override;
  Bulk2JobInfo abortIngestJob(std::string_view jobId) override;
  Bulk2JobInfo getIngestJobInfo(std::string_view jobId) override;
  void deleteIngestJob(std::string_view jobId) override;
  Bulk2JobPage listIngestJobs(const Bulk2JobFilter& filter,
                              std::string_view nextRecordsUrl) override;
  Bulk2CsvReader openIngestResults(const IngestJob& job, IngestResultKind kind) override;

  Bulk2JobInfo createQueryJob(std::string_view soql, const QueryJobOptions& options) override;
  Bulk2JobInfo getQueryJobInfo(std::string_view jobId) override;
  Bulk2JobInfo abortQueryJob(std::string_view jobId) override;
  void deleteQueryJob(std::string_view jobId) override;
  Bulk2JobPage listQueryJobs(const Bulk2JobFilter& filter,
                             std::string_view nextRecordsUrl) override;
  Bulk2CsvReader openQueryResults(const QueryJob& job, const QueryPageRequest& page) override;
  QueryResultPageLinks getQueryResultPages(const QueryJob& job,
                                           std::string_view nextRecordsUrl) override;
  Bulk2CsvReader openQueryResultsUrl(const QueryJob& job, std::string_view resultUrl) override;

  std::string instanceUrl() override;
  std::uint64_t requestCount() const override;
  RetryPolicy retryPolicy() const override;
  void log(LogLevel level, const std::string& message) override;

 private:
  /// Throws InvalidArgument when Config::apiVersion is older than `minimum`, the first
  /// version with `feature`.
  void requireApiVersion(const char* operation, int minimum, const char* feature) const;
  Bulk2JobInfo jobInfoCall(const ApiCall& call);
  /// PATCH the job's state to `target`; a repeat after a lost answer that is refused is
  /// resolved by reading the job's state.
  Bulk2JobInfo changeState(const char* operation, const std::string& kind, std::string_view jobId,
                           Bulk2JobState target);
  Bulk2JobInfo createJob(const char* operation, const std::string& kind, std::string body);
  void deleteJob(const char* operation, const std::string& kind, std::string_view jobId);
  Bulk2JobPage listJobs(const char* operation, const std::string& kind,
                        const Bulk2JobFilter& filter, std::string_view nextRecordsUrl);
  Bulk2CsvReader download(const ApiCall& call, ColumnDelimiter delimiter);

  std::shared_ptr<Session> session_;
};

}  // namespace sfdc::bulk::detail
