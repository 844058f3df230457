#pragma once

#include <iosfwd>
#include <memory>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk {

/**
 * Salesforce Bulk API 2.0 client: every ingest and query job operation of
 * `/services/data/vXX.X/jobs`, low level. For whole loads and queries (splitting across
 * jobs, every input row mapped to its outcome, paged results streamed) use
 * Client::load and Client::query with `api = BulkApi::V2`.
 *
 * Cheap to share and safe to use from many threads. `Client::bulk2()` returns one that
 * shares the v1 client's session and request count.
 *
 * @code
 * sfdc::bulk::Bulk2Client bulk2(config);
 * auto job = bulk2.createIngestJob(Operation::Insert, "Contact");
 * bulk2.uploadJobData(job, "FirstName,LastName\nAda,Lovelace\n");
 * bulk2.closeJob(job);
 * // … poll getJobInfo(job) until isTerminal() …
 * auto failed = bulk2.openResults(job, IngestResultKind::Failed);
 * @endcode
 */
class SFDC_BULK_EXPORT Bulk2Client {
 public:
  /// A client over a libcurl transport with default options.
  explicit Bulk2Client(Config config);
  /// A client over the given transport.
  Bulk2Client(Config config, std::shared_ptr<HttpTransport> transport);
  /// A client over `connection` (throws InvalidArgument when it is null).
  explicit Bulk2Client(std::shared_ptr<Bulk2Connection> connection);
  ~Bulk2Client();
  /// Copies share the connection.
  Bulk2Client(const Bulk2Client&);
  /// Share `other`'s connection.
  Bulk2Client& operator=(const Bulk2Client&);
  /// Take over the connection of `other`.
  Bulk2Client(Bulk2Client&&) noexcept;
  /// Take over the connection of `other`.
  Bulk2Client& operator=(Bulk2Client&&) noexcept;

  /// Create an ingest job. Validates first: upsert needs an external id field and no
  /// other operation takes one; query operations are refused (use createQueryJob).
  IngestJob createIngestJob(Operation operation, std::string_view object,
                            const IngestJobOptions& options = {});
  /// A handle on an existing ingest job (one `GET /jobs/ingest/{id}`).
  IngestJob attachIngestJob(std::string_view jobId);
  /// Upload the job's data from memory (one `PUT`; see Bulk2Connection::uploadJobData).
  void uploadJobData(const IngestJob& job, std::string_view csv, const UploadOptions& options = {});
  /// Upload the job's data streamed from `csv` (read as the request goes out).
  void uploadJobData(const IngestJob& job, std::istream& csv, const UploadOptions& options = {});
  /// Upload the job's data streamed from a file.
  void uploadJobDataFromFile(const IngestJob& job, const std::string& path,
                             const UploadOptions& options = {});
  /// Upload the job's data from a body source.
  void uploadJobData(const IngestJob& job, std::shared_ptr<BodySource> csv,
                     const UploadOptions& options = {});
  /// Close the job (`UploadComplete`): processing starts.
  Bulk2JobInfo closeJob(const IngestJob& job);
  /// Abort the job: unprocessed rows stay unprocessed; records already saved stay.
  Bulk2JobInfo abortJob(const IngestJob& job);
  /// The job's current jobInfo; poll it until Bulk2JobInfo::isTerminal().
  Bulk2JobInfo getJobInfo(const IngestJob& job);
  /// Delete the job and its data (UploadComplete or terminal jobs only).
  void deleteJob(const IngestJob& job);
  /// One of the job's result files, streamed (JobComplete, Failed or Aborted jobs).
  Bulk2CsvReader openResults(const IngestJob& job, IngestResultKind kind);
  /// Every ingest job of the org (all pages; Bulk API 1.0 jobs included, as `Classic`).
  std::vector<Bulk2JobInfo> listIngestJobs(const Bulk2JobFilter& filter = {});

  /// Create a query job; it starts at once.
  QueryJob createQueryJob(std::string_view soql, const QueryJobOptions& options = {});
  /// A handle on an existing query job (one `GET /jobs/query/{id}`).
  QueryJob attachQueryJob(std::string_view jobId);
  /// The job's current jobInfo; poll it until Bulk2JobInfo::isTerminal().
  Bulk2JobInfo getJobInfo(const QueryJob& job);
  /// Abort the query (UploadComplete or InProgress jobs only).
  Bulk2JobInfo abortJob(const QueryJob& job);
  /// Delete the job and its results (terminal jobs only).
  void deleteJob(const QueryJob& job);
  /// One page of the results (JobComplete jobs), streamed; its nextLocator() names the
  /// next page.
  Bulk2CsvReader openResults(const QueryJob& job, const QueryPageRequest& page = {});
  /// Links to result pages that can be downloaded at once (API 58.0 and later), all of
  /// them (following `nextRecordsUrl`).
  std::vector<std::string> resultPageUrls(const QueryJob& job);
  /// One page named by a link of resultPageUrls, streamed.
  Bulk2CsvReader openResultsUrl(const QueryJob& job, std::string_view resultUrl);
  /// Every query job of the org (all pages).
  std::vector<Bulk2JobInfo> listQueryJobs(const Bulk2JobFilter& filter = {});

  /// The instance URL requests go to.
  std::string instanceUrl() const;
  /// HTTP requests sent over this client's connection.
  std::uint64_t requestCount() const noexcept;
  /// The connection this client runs over.
  const std::shared_ptr<Bulk2Connection>& connection() const noexcept { return connection_; }

 private:
  std::shared_ptr<Bulk2Connection> connection_;
};

}  // namespace sfdc::bulk
