#pragma once

#include <cstdint>
#include <optional>
#include <sfdc/bulk/export.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk {

/// Job operation. Wire spelling is case-sensitive (`hardDelete`, `queryAll`).
enum class Operation { Insert, Update, Upsert, Delete, HardDelete, Query, QueryAll };

/// Format of a job's batches (and of most of its responses).
enum class ContentType { CSV, JSON, XML, ZIP_CSV, ZIP_JSON, ZIP_XML };

/// How Salesforce runs a job's batches.
enum class ConcurrencyMode { Parallel, Serial };

/// jobInfo `state`.
enum class JobState { Open, Closed, Aborted, Failed };

/// batchInfo `state`.
enum class BatchState { Queued, InProgress, Completed, Failed, NotProcessed };

/// Wire name of an operation, e.g. `hardDelete`.
SFDC_BULK_EXPORT std::string_view toString(Operation op) noexcept;
/// Wire name of a content type, e.g. `ZIP_CSV`.
SFDC_BULK_EXPORT std::string_view toString(ContentType type) noexcept;
/// Wire name of a concurrency mode: `Parallel` or `Serial`.
SFDC_BULK_EXPORT std::string_view toString(ConcurrencyMode mode) noexcept;
/// Wire name of a job state, e.g. `Closed`.
SFDC_BULK_EXPORT std::string_view toString(JobState state) noexcept;
/// Wire name of a batch state, e.g. `InProgress`.
SFDC_BULK_EXPORT std::string_view toString(BatchState state) noexcept;

/// Parse a wire name; throws ParseError naming the value when unknown.
SFDC_BULK_EXPORT Operation parseOperation(std::string_view text);
/// Parse a content type's wire name; throws ParseError when unknown.
SFDC_BULK_EXPORT ContentType parseContentType(std::string_view text);
/// Parse a concurrency mode's wire name; throws ParseError when unknown.
SFDC_BULK_EXPORT ConcurrencyMode parseConcurrencyMode(std::string_view text);
/// Parse a job state's wire name; throws ParseError when unknown.
SFDC_BULK_EXPORT JobState parseJobState(std::string_view text);
/// Parse a batch state's wire name; throws ParseError when unknown.
SFDC_BULK_EXPORT BatchState parseBatchState(std::string_view text);

/// True for query and queryAll.
SFDC_BULK_EXPORT bool isQuery(Operation op) noexcept;
/// True for the binary attachment types ZIP_CSV, ZIP_JSON and ZIP_XML.
SFDC_BULK_EXPORT bool isZip(ContentType type) noexcept;
/// MIME type of batch bodies for a content type: `text/csv`, `application/json`,
/// `application/xml`, `zip/csv`, …
SFDC_BULK_EXPORT std::string_view mimeType(ContentType type) noexcept;

/// Every field of a jobInfo document. Counters are 0 when absent.
struct JobInfo {
  /// Job id (`750…`).
  std::string id;
  /// What the job does.
  Operation operation = Operation::Insert;
  /// sObject type, e.g. `Contact`.
  std::string object;
  /// User who created the job.
  std::string createdById;
  /// When the job was created (ISO 8601, UTC).
  std::string createdDate;
  /// When the job last changed (ISO 8601, UTC).
  std::string systemModstamp;
  /// Open, Closed, Aborted or Failed.
  JobState state = JobState::Open;
  /// Upsert key field; empty for other operations.
  std::string externalIdFieldName;
  /// Whether batches run in parallel or one at a time.
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;
  /// Format of the job's batches.
  ContentType contentType = ContentType::XML;
  /// Batches waiting to run.
  int numberBatchesQueued = 0;
  /// Batches running.
  int numberBatchesInProgress = 0;
  /// Batches done.
  int numberBatchesCompleted = 0;
  /// Batches that failed as a whole.
  int numberBatchesFailed = 0;
  /// All batches of the job.
  int numberBatchesTotal = 0;
  /// Records processed so far, failed ones included.
  std::int64_t numberRecordsProcessed = 0;
  /// Times Salesforce retried saving records, e.g. after lock contention.
  int numberRetries = 0;
  /// API version the job was created with, e.g. `59.0`.
  std::string apiVersion;
  /// Assignment rule applied to the job's records, if any.
  std::string assignmentRuleId;
  /// Records that failed.
  std::int64_t numberRecordsFailed = 0;
  /// Milliseconds spent processing the job (the sum over its batches).
  std::int64_t totalProcessingTime = 0;
  /// Milliseconds spent in API operations (excludes queue time).
  std::int64_t apiActiveProcessingTime = 0;
  /// Milliseconds spent running triggers and other Apex.
  std::int64_t apexProcessingTime = 0;
};

/// Every field of a batchInfo document.
struct BatchInfo {
  /// Batch id (`751…`).
  std::string id;
  /// The batch's job.
  std::string jobId;
  /// Queued, InProgress, Completed, Failed or NotProcessed.
  BatchState state = BatchState::Queued;
  /// Why the batch Failed or was NotProcessed; empty otherwise.
  std::string stateMessage;
  /// When the batch was added (ISO 8601, UTC).
  std::string createdDate;
  /// When the batch last changed (ISO 8601, UTC).
  std::string systemModstamp;
  /// Records processed so far, failed ones included.
  std::int64_t numberRecordsProcessed = 0;
  /// Records that failed.
  std::int64_t numberRecordsFailed = 0;
  /// Milliseconds spent processing the batch.
  std::int64_t totalProcessingTime = 0;
  /// Milliseconds spent in API operations (excludes queue time).
  std::int64_t apiActiveProcessingTime = 0;
  /// Milliseconds spent running triggers and other Apex.
  std::int64_t apexProcessingTime = 0;

  /// Completed, Failed or NotProcessed: the batch will not change any more.
  bool isTerminal() const noexcept {
    return state == BatchState::Completed || state == BatchState::Failed ||
           state == BatchState::NotProcessed;
  }
};

/// One error on one record of a DML batch.
struct RecordError {
  std::string statusCode;           ///< e.g. `REQUIRED_FIELD_MISSING`
  std::string message;              ///< e.g. `Required fields are missing: [LastName]`
  std::vector<std::string> fields;  ///< fields the error is about, possibly empty
};

/// The outcome of one input record of a DML batch (results come in input order).
struct RecordResult {
  std::string id;  ///< record id; empty when the record failed
  /// True when the record was saved.
  bool success = false;
  /// True when the record was created (insert, or an upsert that inserted).
  bool created = false;
  /// Why the record failed; empty on success.
  std::vector<RecordError> errors;
};

/// What `GET …/batch/{id}/result` returns: per-record results for DML jobs, or the ids
/// of the result files for query jobs.
struct BatchResult {
  /// DML jobs: one result per input record, in input order.
  std::vector<RecordResult> records;
  /// Query jobs: ids of the result files, for Client::getQueryResult.
  std::vector<std::string> resultIds;
};

/// `Sforce-Enable-PKChunking` settings for query jobs.
struct PkChunking {
  std::optional<int> chunkSize;  ///< 1..250,000; server default 100,000
  std::string parent;            ///< parent object for sharing/history objects
  std::string startRow;          ///< 15- or 18-character record id to start from
};

/// Line-ending conversion for text area fields (`Sforce-Line-Ending`).
enum class LineEnding { LF, CRLF };

/// Optional settings of `createJob`.
struct JobOptions {
  std::string externalIdFieldName;  ///< required for upsert, refused for other operations
  /// Serial runs one batch at a time, to avoid lock contention.
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;
  /// Lead or case assignment rule to apply.
  std::string assignmentRuleId;
  std::optional<PkChunking> pkChunking;   ///< query/queryAll only
  std::optional<LineEnding> lineEnding;   ///< `Sforce-Line-Ending`
  std::optional<bool> disableBatchRetry;  ///< `Sforce-Disable-Batch-Retry`
  std::string callOptionsClient;          ///< `Sforce-Call-Options: client=…`
};

/**
 * A handle on a job: all the client needs to address it and to pick response parsers.
 * Build one from `createJob`, from `Client::attachJob(id)`, or by hand when the
 * operation, object and content type are known.
 */
struct Job {
  /// Job id.
  std::string id;
  /// The job's operation; picks how results are parsed.
  Operation operation = Operation::Insert;
  /// sObject type, e.g. `Contact`.
  std::string object;
  /// Format of the job's batches and of most of its responses.
  ContentType contentType = ContentType::CSV;
  /// Upsert key field; empty for other operations.
  std::string externalIdFieldName;
};

}  // namespace sfdc::bulk
