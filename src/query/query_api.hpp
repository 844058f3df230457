#pragma once

// The Bulk API operations a running query needs after its job was created, behind an
// interface: Client::query plugs in the real client (sharing its session, so a stream
// keeps working after the Client object that made it is gone).

#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/logging.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::detail::query {

class QueryApi {
 public:
  virtual ~QueryApi() = default;
  /// One `GET /job/{id}/batch`.
  virtual std::vector<BatchInfo> getAllBatches(const Job& job) = 0;
  /// One `GET …/batch/{id}/result`: the batch's result file ids.
  virtual std::vector<std::string> resultIds(const Job& job, const std::string& batchId) = 0;
  /// One `GET …/result/{id}`, read incrementally.
  virtual QueryResultReader openResult(const Job& job, const std::string& batchId,
                                       const std::string& resultId) = 0;
  virtual void abortJob(const Job& job) = 0;
  virtual void log(LogLevel level, const std::string& message) = 0;
  /// Bounds and backoff for resuming a cut download.
  virtual const RetryPolicy& retryPolicy() const = 0;
};

}  // namespace sfdc::bulk::detail::query
