#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <iosfwd>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <sfdc/bulk/bulk2_types.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk {

class PayloadSerializer;

/**
 * Where `Client::load` reads records from. Every source is read incrementally: the
 * loader pulls only as far ahead as the batches in flight need.
 */
class SFDC_BULK_EXPORT RecordSource {
 public:
  /// A CSV file with a header row (RFC 4180; the file is streamed, never read whole).
  static RecordSource csvFile(std::string path);
  /// A CSV stream with a header row; the caller keeps it alive during the load.
  static RecordSource csvStream(std::istream& in);
  /// A CSV file whose fields are separated by `delimiter` (tab, semicolon, pipe, caret,
  /// backquote: the other delimiters Bulk API 2.0 names). Rows are re-encoded with
  /// commas for the batches and the result files (Bulk API v1 takes nothing else), so
  /// the reader's rewritesRows() is true. Throws InvalidArgument for a delimiter that is
  /// a quote, CR or LF.
  static RecordSource csvFile(std::string path, char delimiter);
  /// A CSV stream whose fields are separated by `delimiter`, as csvFile(path, delimiter).
  static RecordSource csvStream(std::istream& in, char delimiter);
  /// Records in memory (JSON objects: see PayloadSerializer for the record shape).
  static RecordSource records(std::vector<nlohmann::json> records);
  /// A generator: fills `record` and returns true, or returns false at the end.
  static RecordSource generator(std::function<bool(nlohmann::json& record)> next);

  /// Implementation interface (public so that users can plug in their own sources).
  class SFDC_BULK_EXPORT Reader {
   public:
    virtual ~Reader() = default;
    /// CSV sources: the header row. Record sources: empty.
    virtual const std::vector<std::string>& csvHeader() { return noHeader_; }
    /// CSV sources: the next row's raw bytes (one RFC 4180 record with its line end)
    /// and its fields. Returns false at the end.
    virtual bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) {
      (void)raw;
      (void)fields;
      return false;
    }
    /// Record sources: the next record. CSV sources convert rows to records (field →
    /// string; `#N/A` → null; empty cells omitted) for JSON/XML jobs.
    virtual bool nextRecord(nlohmann::json& record) = 0;
    /// True for CSV sources, whose rows go into CSV batches as they are.
    virtual bool isCsv() const { return false; }
    /// The file the records come from, when there is one (the loader refuses result
    /// files that would overwrite it).
    virtual std::string sourcePath() const { return {}; }
    /**
     * CSV sources: true when the rows nextCsvRow hands out are not the input's own bytes
     * (re-encoded with another delimiter or encoding, columns mapped, values converted).
     * The batches get csvHeader() and the rows as handed out, while the success and
     * error files keep the input's own columns and cells, taken from inputHeader() and
     * inputFields(), as Salesforce Data Loader's result files do. Such a source cannot be
     * journaled (LoadOptions::journalFile resumes from byte offsets of the input) or
     * grouped (LoadOptions::groupBy): the load refuses both with InvalidArgument.
     */
    virtual bool rewritesRows() const { return false; }
    /// With rewritesRows(): the input's own header, for the result files.
    virtual const std::vector<std::string>& inputHeader() { return csvHeader(); }
    /// With rewritesRows(): the input's own cells of the row nextCsvRow returned last,
    /// for the result files.
    virtual const std::vector<std::string>& inputFields() const { return noHeader_; }

   private:
    std::vector<std::string> noHeader_;
  };

  /// A source over your own Reader.
  explicit RecordSource(std::shared_ptr<Reader> reader) : reader_(std::move(reader)) {}
  /// The reader the loader pulls from.
  Reader& reader() const { return *reader_; }

 private:
  std::shared_ptr<Reader> reader_;
};

/// Counters reported to `LoadOptions::onProgress`; monotone within one load.
struct LoadProgress {
  /// The load's job.
  std::string jobId;
  /// Records read from the source.
  std::uint64_t recordsRead = 0;
  /// Records in uploaded batches.
  std::uint64_t recordsSent = 0;
  /// Records Salesforce has processed, failed ones included.
  std::uint64_t recordsProcessed = 0;
  /// Records Salesforce reported as failed.
  std::uint64_t recordsFailed = 0;
  /// Batches waiting to run.
  int batchesQueued = 0;
  /// Batches running.
  int batchesInProgress = 0;
  /// Batches done; their rows have results.
  int batchesCompleted = 0;
  /// Batches that failed as a whole; their rows are notProcessed.
  int batchesFailed = 0;
  /// Batches never run (the job was aborted).
  int batchesNotProcessed = 0;
  /// Row outcomes that were lock failures (UNABLE_TO_LOCK_ROW, or rows of a batch that
  /// failed for locks), each attempt counted; recordsProcessed and recordsFailed count
  /// first attempts only.
  std::uint64_t lockFailures = 0;
  /// Rows sent again by LoadOptions::retryLockFailures, each attempt counted.
  std::uint64_t recordsRetried = 0;
  /// Times Salesforce itself put a batch of the load back in its queue (after a transient
  /// failure, a lock-out or its 10-minute processing limit): the job's numberRetries
  /// (Bulk API 2.0: the jobs' retries). Bulk API v1 reads it with the job's info about
  /// once a minute while batches run and when it closes the job; 2.0 with every poll.
  std::int64_t serverRetries = 0;
};

/// The outcome of one input row. `row` is 1-based and counts data rows (the CSV header
/// is not a row).
struct RowResult {
  /// 1-based input row.
  std::uint64_t row = 0;
  /// Record id; empty when the row failed.
  std::string id;
  /// True when Salesforce accepted the row.
  bool success = false;
  /// True when the row created a record.
  bool created = false;
  /// Why the row failed.
  std::vector<RecordError> errors;
  /// True when the row never got a result: its batch Failed or was NotProcessed (the
  /// errors then hold the batch's stateMessage), or the load was cancelled.
  bool notProcessed = false;
};

/// A cancellation flag shared between the caller and a running load or query.
class SFDC_BULK_EXPORT CancellationToken {
 public:
  /// Ask the running load or query to stop; safe from any thread.
  void cancel() noexcept { cancelled_.store(true); }
  /// True once cancel() was called.
  bool cancelled() const noexcept { return cancelled_.load(); }

 private:
  std::atomic<bool> cancelled_{false};
};

/// Settings of Client::load; the defaults suit most loads.
struct LoadOptions {
  /// The Bulk API the load runs over. V2 takes CSV jobs only (record sources are written
  /// as CSV), Parallel mode only, and cuts the source into jobs of at most maxJobBytes
  /// and maxJobRecords rows, `concurrency` of them in flight at once; batchSize and
  /// maxBatchBytes do not apply (the service cuts its own batches).
  BulkApi api = BulkApi::V1;
  /// Bulk API 2.0: most bytes of CSV uploaded to one job.
  std::size_t maxJobBytes = kMaxBulk2UploadBytes;
  /// Bulk API 2.0: most rows sent to one job.
  std::size_t maxJobRecords = kDefaultBulk2JobRecords;
  /// Format of the job's batches. CSV sources can feed JSON and XML jobs too.
  ContentType contentType = ContentType::CSV;
  /// CSV sources into CSV jobs: how every row sent ends, the header included. Unset:
  /// Bulk API v1 batches keep each input row's own line end (the header ends with LF);
  /// Bulk API 2.0 jobs use LF. Bulk API 2.0 jobs are created with it as their
  /// lineEnding. Line breaks inside quoted values are part of the value and stay as they
  /// are. Not for record sources into CSV jobs, nor with journalFile (InvalidArgument).
  std::optional<LineEnding> lineEnding;
  std::string externalIdFieldName;  ///< upsert
  /// Serial runs one batch at a time, to avoid lock contention.
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;
  /// Lead or case assignment rule to apply.
  std::string assignmentRuleId;
  /// Gzip batch bodies; unset follows Config::gzipRequests.
  std::optional<bool> gzip;
  /// Batches uploaded at once (and read ahead); memory is bounded by this × batch size.
  int concurrency = 4;
  /// Records per batch, at most kMaxRecordsPerBatch.
  std::size_t batchSize = kMaxRecordsPerBatch;
  /// Bytes per batch body, at most kMaxBatchBytes (characters are capped likewise).
  std::size_t maxBatchBytes = kMaxBatchBytes;
  /// First interval between polls of the job's batch list (over 2.0, of each job). It
  /// doubles while nothing changes, up to pollMaxInterval and to a sixteenth of the time
  /// waited so far (so a finished job is seen at most about 6 % late).
  std::chrono::milliseconds pollMinInterval{200};
  /// Longest interval between polls.
  std::chrono::milliseconds pollMaxInterval{std::chrono::seconds(10)};
  /// Total time to wait for the job; TimeoutError afterwards (the job stays open).
  std::chrono::milliseconds timeout{std::chrono::hours(2)};
  /// Called from the loading thread after each change.
  std::function<void(const LoadProgress&)> onProgress;
  /// Called once per input row when its final result is known: in row order, or with
  /// groupBy in batch order (RowResult::row still names the input row).
  std::function<void(const RowResult&)> onResult;
  /// Keep every RowResult in LoadResult::rows (turn off for huge loads to keep memory
  /// flat; use onResult or the result files instead). With it off and no onResult or
  /// result files, batches that report every row processed without failure are not
  /// downloaded (one API request saved per batch); only the counts are returned.
  bool keepResults = true;
  /// Data Loader style files: input columns + `sf__Id`,`sf__Created` / `sf__Error`.
  /// Rows are in the order of onResult.
  std::string successFile;
  /// Where failed and unprocessed rows go (columns + `sf__Error`); empty: not
  /// written.
  std::string errorFile;
  /// Stop early: aborts the job; rows not yet sent are reported notProcessed.
  std::shared_ptr<CancellationToken> cancel;
  /// Custom serializer for JSON/XML/CSV record sources (default: the stock one).
  std::shared_ptr<PayloadSerializer> serializer;
  /// When a batch is found twice in the job (the same rows created by two batches),
  /// delete the records the extra copy created (insert loads), in a delete job of its
  /// own. Off by default: the load then reports the duplicates and their ids.
  bool deleteDuplicates = false;
  /// Directory for the load's private spool files (batch bodies, rows for the result
  /// files, groupBy's partitions); empty: the system temporary directory.
  std::string spoolDirectory;

  /**
   * Bulk API v1: a column (CSV sources) or field (record sources) whose equal values
   * should share a batch, e.g. `AccountId` for Contacts. Child records lock their parent
   * while they are written, so Parallel batches holding children of one parent wait
   * for each other and rows fail with UNABLE_TO_LOCK_ROW. With groupBy the source is
   * first read whole into spool files partitioned by the value (memory stays bounded;
   * disk holds a copy of the input), rows with one value are kept together, largest
   * groups first, and a batch that continues the previous batch's group does not start
   * until that batch finished, so the load's own batches never compete for a parent. So
   * that such a batch does not queue behind all the others, at most 1.5 × `concurrency`
   * batches run or wait on the server at once (those continuing a group aside): a
   * parent owning a large share of the rows is written one batch after another while
   * the other parents' batches run beside it.
   * Results then come in batch order, not input order (onResult, LoadResult::rows and
   * the result files), each RowResult::row still naming its input row. An invalid row
   * stops the load before the job is created. The column must exist (InvalidArgument
   * otherwise); Bulk API 2.0 cuts its own batches, so groupBy is refused there.
   */
  std::string groupBy;
  /**
   * Bulk API v1, CSV and JSON jobs: send rows again that failed only because a record
   * was locked (UNABLE_TO_LOCK_ROW, or every row of a batch that failed for lock
   * failures without processing any record). After the load's own batches are done,
   * the rows are sent in the same job one batch at a time (nothing else competes for the
   * locks then), for up to lockRetryRounds rounds. Each row is reported once, with its
   * final outcome: a row that succeeded on a retry is only a success. Rows that
   * succeeded are never sent again.
   */
  bool retryLockFailures = false;
  /// Rounds of lock retries at most (a row is sent at most 1 + lockRetryRounds times).
  int lockRetryRounds = 3;
  /**
   * Crash-safe loads: a journal file the load writes before each step that changes the
   * org (the job id, each batch before its upload with its rows, input byte range and
   * body digest, each batch id Salesforce returned, the end), each entry flushed to
   * disk first. A load killed at any moment (or stopped with LoadIncompleteError) is
   * then continued with Client::resumeLoad, which sends no row twice. Bulk API v1 loads
   * of a CSV file (RecordSource::csvFile) only: a stream cannot be read again. The file
   * must not exist yet (or be empty); keep it until the load has finished. Not yet
   * combined with groupBy or retryLockFailures (InvalidArgument).
   */
  std::string journalFile;
  /**
   * Bulk API v1: false returns as soon as every batch is uploaded and the job is closed,
   * without waiting for Salesforce to process them (LoadResult::resultsPending). The
   * rows' outcomes are read later, by anyone holding the input, with Client::collectLoad,
   * which waits for the job and pairs its rows with the input. Result files, onResult and
   * lock retries need the outcomes, so they are refused with it.
   */
  bool waitForResults = true;
};

/// A batch that repeats rows another batch of the same load already sent: its records
/// exist twice in the org.
struct DuplicateBatch {
  /// The extra batch.
  std::string batchId;
  /// The batch of this load whose rows it repeats (empty when its body matched none).
  std::string duplicateOf;
  /// 1-based first input row it repeats, and how many (0 when unknown).
  std::uint64_t firstRow = 0;
  /// Number of input rows it repeats.
  std::size_t rowCount = 0;
  /// Ids of the records the extra batch created or touched (its successful results).
  std::vector<std::string> recordIds;
  /// True when LoadOptions::deleteDuplicates deleted those records again.
  bool deleted = false;
};

/// What Client::load did: counts per outcome, the job's batches, and per-row
/// results when kept.
struct LoadResult {
  /// The job the load created (Bulk API 2.0: the first of jobIds).
  std::string jobId;
  /// Every job the load created, in input order (one for Bulk API v1).
  std::vector<std::string> jobIds;
  /// Bulk API 2.0: each job's jobInfo as last read, in input order.
  std::vector<Bulk2JobInfo> jobs;
  /// Rows read from the source.
  std::uint64_t recordsRead = 0;
  /// Rows Salesforce accepted.
  std::uint64_t succeeded = 0;
  /// Rows Salesforce rejected.
  std::uint64_t failed = 0;
  /// Rows without a result (failed or unprocessed batch, or cancelled load).
  std::uint64_t notProcessed = 0;
  /// Every batch of the job, as last polled.
  std::vector<BatchInfo> batches;
  /// Times Salesforce retried batches of the load itself (LoadProgress::serverRetries),
  /// as last read: a figure to watch, since retried batches take longer and count
  /// against the org's limits.
  std::int64_t serverRetries = 0;
  std::vector<RowResult> rows;  ///< when LoadOptions::keepResults
  /// Batches that repeat rows of another batch; never expected, always reported.
  std::vector<DuplicateBatch> duplicates;
  /// True when the load returned once its batches were uploaded
  /// (LoadOptions::waitForResults false): the rows have no outcome yet; read them with
  /// Client::collectLoad.
  bool resultsPending = false;
  /// True when every row was processed exactly once and none failed (duplicates that
  /// were deleted again do not count against it).
  bool allSucceeded() const noexcept {
    if (resultsPending) return false;
    for (const auto& duplicate : duplicates) {
      if (!duplicate.deleted) return false;
    }
    return failed == 0 && notProcessed == 0;
  }
};

/**
 * Thrown by Client::load when it stops before every row has a result, after the job
 * was created (a timeout, an outage longer than the load's timeout, a refused request,
 * invalid input part-way through the source). Before it is thrown every row read has
 * been reported (onResult and the result files): rows in batches the server accepted
 * carry their result or `RESULT_UNKNOWN`, rows never sent carry `NOT_SENT`. `result()`
 * holds the counts, the job id and the batches; `cause()` the error that stopped the
 * load (ApiError, TransportError, TimeoutError, InvalidArgument, ...).
 */
class SFDC_BULK_EXPORT LoadIncompleteError : public Error {
 public:
  /// `message` for what(), what the load did, and the error that stopped it.
  LoadIncompleteError(std::string message, LoadResult result, std::exception_ptr cause)
      : Error(std::move(message)), result_(std::move(result)), cause_(std::move(cause)) {}
  /// What the load did before it stopped.
  const LoadResult& result() const noexcept { return result_; }
  /// The error that stopped it.
  std::exception_ptr cause() const noexcept { return cause_; }
  /// Rethrow the cause (to handle it by its type).
  [[noreturn]] void rethrowCause() const { std::rethrow_exception(cause_); }

 private:
  LoadResult result_;
  std::exception_ptr cause_;
};

}  // namespace sfdc::bulk
