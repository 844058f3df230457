#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/logging.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk {

/**
 * One CSV download of Bulk API 2.0, read row by row as the caller asks: an ingest
 * job's result file or one page of a query job's results. Memory is bounded by the
 * read buffer plus the longest row, whatever the size of the download.
 */
class SFDC_BULK_EXPORT Bulk2CsvReader {
 public:
  /// A reader over `source` (the body of a response with `headers`), whose columns are
  /// separated by `delimiter`.
  Bulk2CsvReader(ByteReader source, ColumnDelimiter delimiter, Headers headers = {});
  ~Bulk2CsvReader();
  /// Readers move; they cannot be copied.
  Bulk2CsvReader(Bulk2CsvReader&&) noexcept;
  /// Take over `other`'s position in the download.
  Bulk2CsvReader& operator=(Bulk2CsvReader&&) noexcept;

  /// The column names (the first row); empty for an empty body.
  const std::vector<std::string>& header();
  /// The next data row; false at the end. Throws CsvSyntaxError for a malformed row and
  /// TransportError when the connection breaks.
  bool nextRow(std::vector<std::string>& row);
  /// Data rows returned so far.
  std::uint64_t rowCount() const noexcept;

  /// The response headers.
  const Headers& responseHeaders() const noexcept;
  /// Query result pages: the locator of the next page (`Sforce-Locator`), or nullopt on
  /// the last page (the header's literal value `null`) and for other downloads.
  std::optional<std::string> nextLocator() const;
  /// Query result pages: the rows the page holds (`Sforce-NumberOfRecords`), when sent.
  std::optional<std::uint64_t> numberOfRecords() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

/// Choices for one `uploadJobData` request.
struct UploadOptions {
  /// Gzip the body (`Content-Encoding: gzip`); unset follows Config::gzipRequests.
  std::optional<bool> gzip;
};

/**
 * The Bulk API 2.0 operations, one virtual function each, below Bulk2Client and the
 * 2.0 load and query engines. `makeBulk2Connection` (or Connection::bulk2() of the real
 * v1 connection, which shares its session) returns the real one: `Authorization: Bearer`,
 * the token refreshed and the request replayed when the API answers 401
 * `INVALID_SESSION_ID`, retries within Config::retry, error arrays
 * `[{"errorCode","message"}]` turned into ApiError with both fields.
 *
 * Job ids are taken as `std::string_view`; every operation throws ApiError, AuthError or
 * TransportError. The default implementation of each operation throws
 * Error("... is not implemented"), so a partial fake only overrides what its test uses.
 * Implementations must be safe to call from several threads at once.
 */
class SFDC_BULK_EXPORT Bulk2Connection {
 public:
  virtual ~Bulk2Connection();

  /// `POST /jobs/ingest`: a new job in state Open. Never repeated once it may have
  /// reached the server (an unanswered create leaves at most an empty Open job behind).
  virtual Bulk2JobInfo createIngestJob(Operation operation, std::string_view object,
                                       const IngestJobOptions& options);
  /// `PUT /jobs/ingest/{id}/batches`: the job's data, streamed from `csv` (rewound when
  /// the request must be sent again). Only one upload per job is allowed: a second one
  /// makes closing the job fail, so this request is only resent when the server provably
  /// did not read it (429, 503, a failure before sending). After any other failure
  /// (TransportError with requestSent()), the data may or may not be in the job: abort
  /// the job and upload again to a new one.
  virtual void uploadJobData(const IngestJob& job, std::shared_ptr<BodySource> csv,
                             const UploadOptions& options);
  /// `PATCH /jobs/ingest/{id}` with `state` UploadComplete: processing starts. A repeat
  /// after a lost answer is resolved by reading the job's state.
  virtual Bulk2JobInfo closeIngestJob(std::string_view jobId);
  /// `PATCH /jobs/ingest/{id}` with `state` Aborted.
  virtual Bulk2JobInfo abortIngestJob(std::string_view jobId);
  /// `GET /jobs/ingest/{id}`: every field of the jobInfo.
  virtual Bulk2JobInfo getIngestJobInfo(std::string_view jobId);
  /// `DELETE /jobs/ingest/{id}` (not while Open).
  virtual void deleteIngestJob(std::string_view jobId);
  /// `GET /jobs/ingest` with `filter`, or the page at `nextRecordsUrl` when not empty.
  virtual Bulk2JobPage listIngestJobs(const Bulk2JobFilter& filter,
                                      std::string_view nextRecordsUrl);
  /// `GET /jobs/ingest/{id}/successfulResults` (or failedResults, unprocessedrecords),
  /// streamed. `job` gives the id and the delimiter of the file.
  virtual Bulk2CsvReader openIngestResults(const IngestJob& job, IngestResultKind kind);

  /// `POST /jobs/query`: the job starts at once (state UploadComplete). Never repeated
  /// once it may have reached the server.
  virtual Bulk2JobInfo createQueryJob(std::string_view soql, const QueryJobOptions& options);
  /// `GET /jobs/query/{id}`.
  virtual Bulk2JobInfo getQueryJobInfo(std::string_view jobId);
  /// `PATCH /jobs/query/{id}` with `state` Aborted.
  virtual Bulk2JobInfo abortQueryJob(std::string_view jobId);
  /// `DELETE /jobs/query/{id}` (only once terminal).
  virtual void deleteQueryJob(std::string_view jobId);
  /// `GET /jobs/query` with `filter`, or the page at `nextRecordsUrl` when not empty.
  virtual Bulk2JobPage listQueryJobs(const Bulk2JobFilter& filter, std::string_view nextRecordsUrl);
  /// `GET /jobs/query/{id}/results[?locator=…&maxRecords=…]`, streamed; the reader's
  /// nextLocator() names the following page.
  virtual Bulk2CsvReader openQueryResults(const QueryJob& job, const QueryPageRequest& page);
  /// `GET /jobs/query/{id}/resultPages` (API 58.0 and later), or the set of links at
  /// `nextRecordsUrl` when not empty.
  virtual QueryResultPageLinks getQueryResultPages(const QueryJob& job,
                                                   std::string_view nextRecordsUrl);
  /// One page named by a link of getQueryResultPages (a relative `/services/data/…`
  /// URL; others are refused with InvalidArgument), streamed.
  virtual Bulk2CsvReader openQueryResultsUrl(const QueryJob& job, std::string_view resultUrl);

  /// The instance URL requests go to; empty when there is none (the default).
  virtual std::string instanceUrl();
  /// HTTP requests sent so far (shared with the v1 connection it came from); 0 by
  /// default.
  virtual std::uint64_t requestCount() const;
  /// The retry bounds this connection uses. The default is a default-constructed
  /// RetryPolicy.
  virtual RetryPolicy retryPolicy() const;
  /// Where loads and queries over this connection report progress and trouble; the
  /// default drops the message.
  virtual void log(LogLevel level, const std::string& message);
};

/// The real 2.0 connection: requests go through `transport` (a CurlTransport when null),
/// authenticated per `config` (Config::apiVersion is the 2.0 version too: ingest needs
/// 41.0, query 47.0, resultPages 58.0). Throws InvalidArgument as the Client constructor
/// does.
SFDC_BULK_EXPORT std::shared_ptr<Bulk2Connection> makeBulk2Connection(
    Config config, std::shared_ptr<HttpTransport> transport = nullptr);

}  // namespace sfdc::bulk
