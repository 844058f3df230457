#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {

class Client;

/// What the server side of a query is doing, as last polled (QueryOptions::onProgress).
struct QueryProgress {
  /// The query job.
  std::string jobId;
  /// Bulk API 1.0: the job's batches by state (PK chunks counted, the SOQL batch they
  /// replace not). Bulk API 2.0: 0.
  std::size_t batchesQueued = 0;
  /// As batchesQueued.
  std::size_t batchesInProgress = 0;
  /// As batchesQueued.
  std::size_t batchesCompleted = 0;
  /// Records the server has processed so far: numberRecordsProcessed summed over the
  /// batches (2.0: the job's).
  std::int64_t recordsProcessed = 0;
  /// Bulk API 2.0: the job's state, e.g. `InProgress`; 1.0: empty.
  std::string jobState;
};

/// Settings of Client::query and Client::queryToCsvFile.
struct QueryOptions {
  /// The Bulk API the query runs over. V2 returns CSV only; pkChunking does not apply
  /// (the service chunks on its own).
  BulkApi api = BulkApi::V1;
  /// queryAll: include deleted and archived records.
  bool all = false;
  /// Bulk API 2.0: rows per result page (`maxRecords`); unset lets the server choose.
  /// Pages downloaded in parallel (parallelDownloads > 1) have the server's size.
  std::optional<std::int64_t> maxRecordsPerPage;
  /// Result downloads run at once; rows still reach the caller in result order, and
  /// memory holds one read buffer per download. Each file or page downloaded ahead is
  /// held in a private temporary file (0600, in a 0700 directory under the system
  /// temporary directory) until it is read, and removed then or when the stream goes.
  ///
  /// Bulk API 1.0: up to N result files, of one batch and across PK-chunk batches as
  /// they complete (downloads of early chunks start while later chunks still run).
  /// Bulk API 2.0: up to N result pages through `resultPages` (API 58.0 and later; where
  /// the server does not offer it, pages are read by locator one after the other).
  ///
  /// 1 (the default) reads one download after the other on the reading thread, with
  /// nothing written to disk: the parallel mode puts record data in temporary files,
  /// parses each row twice (into the file and out of it: more CPU) and, over 2.0, gives
  /// up maxRecordsPerPage, which a caller should choose knowingly. It pays where the
  /// network bounds a download, or for PK chunks that complete in rounds; 4 is a good
  /// start.
  int parallelDownloads = 1;
  /// CSV (rows) or JSON/XML (records).
  ContentType contentType = ContentType::CSV;
  /// Split the query into one batch per range of record ids (large tables).
  std::optional<PkChunking> pkChunking;
  /// First interval between polls. It doubles while the job is unchanged, up to
  /// pollMaxInterval and to a sixteenth of the time waited so far (so a finished job is
  /// seen at most about 6 % late).
  std::chrono::milliseconds pollMinInterval{200};
  /// Longest interval between polls.
  std::chrono::milliseconds pollMaxInterval{std::chrono::seconds(10)};
  /// Total time to wait for the query job; TimeoutError afterwards.
  std::chrono::milliseconds timeout{std::chrono::hours(2)};
  /// Stop early.
  std::shared_ptr<CancellationToken> cancel;
  /// Called after each poll of the job with what the server reported, on the thread that
  /// polls: inside Client::query while a 2.0 job runs, inside QueryStream's reads while a
  /// 1.0 job's batches run (with parallelDownloads > 1: on the stream's own polling
  /// thread). Must not throw.
  std::function<void(const QueryProgress&)> onProgress;
};

/**
 * A lazy stream over every record of a bulk query: all result files of all batches
 * (PK-chunk batches included; the NotProcessed parent skipped), pulled from the network
 * as the caller reads, in constant memory. A later file's header row is dropped; a
 * download cut by an expired session or a dropped connection is resumed without handing
 * a row to the caller twice.
 *
 * With QueryOptions::parallelDownloads > 1 the result files are downloaded several at
 * a time ahead of the reader, each into a private temporary file, and still handed out
 * in batch order, then file order; an error in a file is thrown when the reader reaches
 * it.
 *
 * Over Bulk API 2.0 (QueryOptions::api) the stream reads the job's result pages in
 * order, page after page by locator or several at once (QueryOptions::parallelDownloads,
 * each page held in a private temporary file until it is read); each page's repeated
 * header row is dropped the same way.
 */
class SFDC_BULK_EXPORT QueryStream {
 public:
  class Impl;
  /// Streams come from Client::query.
  explicit QueryStream(std::unique_ptr<Impl> impl);
  ~QueryStream();
  /// Streams move; they cannot be copied.
  QueryStream(QueryStream&&) noexcept;
  /// Take over `other`'s position in the results.
  QueryStream& operator=(QueryStream&&) noexcept;

  /// The query job.
  const std::string& jobId() const;
  /// CSV: the column names. Other formats: empty.
  const std::vector<std::string>& header();
  /// CSV: the next row; false at the end.
  bool nextRow(std::vector<std::string>& row);
  /// Any format: the next record (CSV rows as field → string).
  bool nextRecord(nlohmann::json& record);
  /// The same with the fields in the order the result has them (the SELECT's, or the
  /// CSV header's), where nlohmann::json sorts them by name.
  bool nextRecord(nlohmann::ordered_json& record);
  /// Rows handed out so far.
  std::uint64_t rowCount() const noexcept;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfdc::bulk
