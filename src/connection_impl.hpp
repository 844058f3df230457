#pragma once

// The real Connection: each operation builds its Bulk API call and hands it to the
// session, whose single request loop sends it (retries, session renewal, counting).

#include <memory>
#include <sfdc/bulk/connection.hpp>

#include "pacing.hpp"
#include "session.hpp"

namespace sfdc::bulk::detail {

class ConnectionImpl final : public Connection {
 public:
  /// `pacing` is the clock, sleeper and random source of the request loop (tests pass
  /// fakes so that retries do not sleep).
  ConnectionImpl(Config config, std::shared_ptr<HttpTransport> transport,
                 Pacing pacing = Pacing::system());

  JobInfo createJob(Operation operation, std::string_view object, ContentType contentType,
                    const JobOptions& options) override;
  JobInfo getJobInfo(const Job& job) override;
  JobInfo closeJob(const Job& job) override;
  JobInfo abortJob(const Job& job) override;
  BatchInfo addBatch(const Job& job, std::string_view body,
                     const AddBatchOptions& options) override;
  BatchInfo addBatchStreamed(const Job& job, std::shared_ptr<BodySource> body,
                             const AddBatchOptions& options) override;
  BatchInfo getBatchInfo(const Job& job, std::string_view batchId) override;
  std::vector<BatchInfo> getAllBatches(const Job& job) override;
  std::string getBatchRequest(const Job& job, std::string_view batchId) override;
  std::vector<RecordResult> getBatchResults(const Job& job, std::string_view batchId) override;
  std::vector<std::string> getQueryResultIds(const Job& job, std::string_view batchId) override;
  QueryResultReader openQueryResult(const Job& job, std::string_view batchId,
                                    std::string_view resultId) override;

  std::string instanceUrl() override;
  std::uint64_t requestCount() const override;
  RetryPolicy retryPolicy() const override;
  void log(LogLevel level, const std::string& message) override;
  /// A Bulk API 2.0 connection over this connection's session (token, transport,
  /// request count).
  std::shared_ptr<Bulk2Connection> bulk2() override;

 private:
  ApiCall batchUpload(const Job& job, const AddBatchOptions& options) const;
  std::string batchResultBody(std::string_view operation, const Job& job, std::string_view batchId);

  std::shared_ptr<Session> session_;
};

}  // namespace sfdc::bulk::detail
