#pragma once

#include <cstdint>
#include <optional>
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
std::string_view toString(Operation op) noexcept;
std::string_view toString(ContentType type) noexcept;
std::string_view toString(ConcurrencyMode mode) noexcept;
std::string_view toString(JobState state) noexcept;
std::string_view toString(BatchState state) noexcept;

/// Parse a wire name; throws ParseError naming the value when unknown.
Operation parseOperation(std::string_view text);
ContentType parseContentType(std::string_view text);
ConcurrencyMode parseConcurrencyMode(std::string_view text);
JobState parseJobState(std::string_view text);
BatchState parseBatchState(std::string_view text);

/// True for query and queryAll.
bool isQuery(Operation op) noexcept;
/// MIME type of batch bodies for a content type: `text/csv`, `application/json`,
/// `application/xml`, `zip/csv`, …
std::string_view mimeType(ContentType type) noexcept;

/// Every field of a jobInfo document (wire reference §3.1). Counters are 0 when absent.
struct JobInfo {
  std::string id;
  Operation operation = Operation::Insert;
  std::string object;
  std::string createdById;
  std::string createdDate;
  std::string systemModstamp;
  JobState state = JobState::Open;
  std::string externalIdFieldName;
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;
  ContentType contentType = ContentType::XML;
  int numberBatchesQueued = 0;
  int numberBatchesInProgress = 0;
  int numberBatchesCompleted = 0;
  int numberBatchesFailed = 0;
  int numberBatchesTotal = 0;
  std::int64_t numberRecordsProcessed = 0;
  int numberRetries = 0;
  std::string apiVersion;
  std::string assignmentRuleId;
  std::int64_t numberRecordsFailed = 0;
  std::int64_t totalProcessingTime = 0;
  std::int64_t apiActiveProcessingTime = 0;
  std::int64_t apexProcessingTime = 0;
};

/// Every field of a batchInfo document (wire reference §4.1).
struct BatchInfo {
  std::string id;
  std::string jobId;
  BatchState state = BatchState::Queued;
  std::string stateMessage;
  std::string createdDate;
  std::string systemModstamp;
  std::int64_t numberRecordsProcessed = 0;
  std::int64_t numberRecordsFailed = 0;
  std::int64_t totalProcessingTime = 0;
  std::int64_t apiActiveProcessingTime = 0;
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
  bool success = false;
  bool created = false;
  std::vector<RecordError> errors;
};

/// What `GET …/batch/{id}/result` returns: per-record results for DML jobs, or the ids
/// of the result files for query jobs.
struct BatchResult {
  std::vector<RecordResult> records;
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
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;
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
  std::string id;
  Operation operation = Operation::Insert;
  std::string object;
  ContentType contentType = ContentType::CSV;
  std::string externalIdFieldName;
};

}  // namespace sfdc::bulk
