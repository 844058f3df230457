#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/logging.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk {

class Bulk2Connection;

/// Choices for one `addBatch` request.
struct AddBatchOptions {
  /// Gzip the body (`Content-Encoding: gzip`); unset follows Config::gzipRequests.
  std::optional<bool> gzip;
};

/**
 * The Bulk API v1 operations, one virtual function each, below Client and the load and
 * query engines. `makeConnection` returns the real one (authentication, retries, the
 * session refresh on `InvalidSessionId`, request counting); a Client can be built over
 * any other, such as a mock in a unit test (`sfdc/bulk/mocks/mock_connection.hpp`) or a
 * wrapper that adds logging or metrics around the real one.
 *
 * Every operation throws what Client documents for it (subclasses of sfdc::bulk::Error).
 * The default implementation of each operation throws Error("... is not implemented"),
 * so a partial fake only overrides what its test uses. Implementations must be safe to
 * call from several threads at once: loads upload batches in parallel.
 */
class SFDC_BULK_EXPORT Connection {
 public:
  virtual ~Connection();

  /// `POST /job`. The request is never repeated once it may have reached the server.
  virtual JobInfo createJob(Operation operation, std::string_view object, ContentType contentType,
                            const JobOptions& options);
  /// `GET /job/{id}`.
  virtual JobInfo getJobInfo(const Job& job);
  /// `POST /job/{id}` with `state=Closed`.
  virtual JobInfo closeJob(const Job& job);
  /// `POST /job/{id}` with `state=Aborted`.
  virtual JobInfo abortJob(const Job& job);

  /// `POST /job/{id}/batch` with a body held in memory, already in the job's format.
  /// Never repeated once it may have reached the server.
  virtual BatchInfo addBatch(const Job& job, std::string_view body, const AddBatchOptions& options);
  /// `POST /job/{id}/batch` with a body read from `body` as the request goes out
  /// (rewound when the request must be sent again).
  virtual BatchInfo addBatchStreamed(const Job& job, std::shared_ptr<BodySource> body,
                                     const AddBatchOptions& options);

  /// `GET /job/{id}/batch/{batchId}`.
  virtual BatchInfo getBatchInfo(const Job& job, std::string_view batchId);
  /// `GET /job/{id}/batch`: every batch of the job.
  virtual std::vector<BatchInfo> getAllBatches(const Job& job);
  /// `GET /job/{id}/batch/{batchId}/request`: the body as it was uploaded.
  virtual std::string getBatchRequest(const Job& job, std::string_view batchId);
  /// `GET /job/{id}/batch/{batchId}/result` of a DML job: one result per input record.
  virtual std::vector<RecordResult> getBatchResults(const Job& job, std::string_view batchId);
  /// `GET /job/{id}/batch/{batchId}/result` of a query job: the ids of its result files.
  virtual std::vector<std::string> getQueryResultIds(const Job& job, std::string_view batchId);
  /// `GET /job/{id}/batch/{batchId}/result/{resultId}`, read as the caller asks for rows.
  virtual QueryResultReader openQueryResult(const Job& job, std::string_view batchId,
                                            std::string_view resultId);

  /// The instance URL requests go to; empty when there is none (the default).
  virtual std::string instanceUrl();
  /// HTTP requests sent to the Bulk API so far; 0 by default.
  virtual std::uint64_t requestCount() const;
  /// The retry bounds this connection uses; loads and queries resume broken downloads
  /// within them. The default is a default-constructed RetryPolicy.
  virtual RetryPolicy retryPolicy() const;
  /// Where Client::load and Client::query report progress and trouble; the default
  /// drops the message.
  virtual void log(LogLevel level, const std::string& message);
  /// The Bulk API 2.0 side of this connection, sharing its session, transport and
  /// request count (loads and queries with `api = BulkApi::V2` run over it), or null
  /// when it has none (the default).
  virtual std::shared_ptr<Bulk2Connection> bulk2();
};

/// The real connection: requests go through `transport` (a CurlTransport when null),
/// authenticated per `config`. Throws InvalidArgument as the Client constructor does.
SFDC_BULK_EXPORT std::shared_ptr<Connection> makeConnection(
    Config config, std::shared_ptr<HttpTransport> transport = nullptr);

}  // namespace sfdc::bulk
