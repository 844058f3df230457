#pragma once

// The data of Bulk API 2.0 (`/services/data/vXX.X/jobs/ingest` and `/jobs/query`): job
// handles, every jobInfo field, list pages and result-page links. The operations are in
// bulk2_connection.hpp (low level) and bulk2_client.hpp.

#include <cstdint>
#include <optional>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk {

/// Which Bulk API a high-level load or query runs over.
enum class BulkApi {
  /// Bulk API 1.0 (`/services/async`): CSV, JSON and XML jobs, Serial mode, PK chunking
  /// control, per-batch results in input order.
  V1,
  /// Bulk API 2.0 (`/services/data/vXX.X/jobs`): CSV only, one upload per job, the server
  /// cuts its own batches, results out of input order, query results paged by locator.
  V2,
};

/// A 2.0 job's `state`.
enum class Bulk2JobState { Open, UploadComplete, InProgress, JobComplete, Failed, Aborted };

/// `columnDelimiter` of a 2.0 job: the separator of its CSV data and result files.
enum class ColumnDelimiter { Comma, Backquote, Caret, Pipe, Semicolon, Tab };

/// Wire name of a 2.0 job state, e.g. `UploadComplete`.
SFDC_BULK_EXPORT std::string_view toString(Bulk2JobState state) noexcept;
/// Wire name of a delimiter, e.g. `SEMICOLON`.
SFDC_BULK_EXPORT std::string_view toString(ColumnDelimiter delimiter) noexcept;
/// Wire name of a line ending: `LF` or `CRLF`.
SFDC_BULK_EXPORT std::string_view toString(LineEnding ending) noexcept;
/// Parse a 2.0 job state; throws ParseError naming the value when unknown.
SFDC_BULK_EXPORT Bulk2JobState parseBulk2JobState(std::string_view text);
/// Parse a delimiter's wire name (`COMMA`, `TAB`, …); throws ParseError when unknown.
SFDC_BULK_EXPORT ColumnDelimiter parseColumnDelimiter(std::string_view text);
/// Parse `LF` or `CRLF`; throws ParseError when unknown.
SFDC_BULK_EXPORT LineEnding parseLineEnding(std::string_view text);
/// The character a delimiter stands for (`,` for Comma, `\t` for Tab, …).
SFDC_BULK_EXPORT char delimiterChar(ColumnDelimiter delimiter) noexcept;
/// JobComplete, Failed or Aborted: the job will not change any more.
SFDC_BULK_EXPORT bool isTerminal(Bulk2JobState state) noexcept;

/// Every field of a 2.0 jobInfo, ingest or query. Absent counters read 0; fields a kind
/// of job does not have stay empty.
struct Bulk2JobInfo {
  /// Job id (`750…`, 18 characters).
  std::string id;
  /// insert, update, upsert, delete, hardDelete (ingest); query, queryAll (query).
  Operation operation = Operation::Insert;
  /// sObject type, e.g. `Contact` (query jobs: the object after FROM).
  std::string object;
  /// User who created the job (`005…`).
  std::string createdById;
  /// When the job was created, e.g. `2022-01-02T21:33:43.000+0000`.
  std::string createdDate;
  /// When the job last changed.
  std::string systemModstamp;
  /// Where the job is in its life.
  Bulk2JobState state = Bulk2JobState::Open;
  /// Upsert key field; empty for other operations.
  std::string externalIdFieldName;
  /// Case or lead assignment rule applied, if one was given.
  std::string assignmentRuleId;
  /// Always `Parallel` in 2.0.
  std::string concurrencyMode;
  /// Always `CSV` in 2.0.
  std::string contentType;
  /// API version the job was created with, e.g. `59.0`.
  std::string apiVersion;
  /// `V2Ingest`, `V2Query`; listings also show `Classic` (Bulk API 1.0 jobs) and
  /// `BigObjectIngest`. Empty in the answers to create and state changes.
  std::string jobType;
  /// Relative URL of the upload (ingest jobs while Open).
  std::string contentUrl;
  /// Line ending of the job's CSV data (ingest) or result files (query).
  LineEnding lineEnding = LineEnding::LF;
  /// Column separator of the job's CSV data and result files.
  ColumnDelimiter columnDelimiter = ColumnDelimiter::Comma;
  /// Records processed, failed ones included (query jobs: rows of the result).
  std::int64_t numberRecordsProcessed = 0;
  /// Records that failed (ingest jobs).
  std::int64_t numberRecordsFailed = 0;
  /// Times Salesforce retried processing part of the job.
  int retries = 0;
  /// Milliseconds spent processing the job.
  std::int64_t totalProcessingTime = 0;
  /// Milliseconds spent in API operations (ingest jobs).
  std::int64_t apiActiveProcessingTime = 0;
  /// Milliseconds spent running triggers and other Apex (ingest jobs).
  std::int64_t apexProcessingTime = 0;
  /// Why a Failed job failed, e.g. `InvalidBatch : Field name not found : Foo__c`.
  std::string errorMessage;
  /// Query jobs: whether Salesforce splits this query by record id ranges on its own.
  std::optional<bool> isPkChunkingSupported;

  /// JobComplete, Failed or Aborted.
  bool isTerminal() const noexcept { return sfdc::bulk::isTerminal(state); }
  /// True for query and queryAll jobs.
  bool isQuery() const noexcept { return sfdc::bulk::isQuery(operation); }
};

/// A handle on a 2.0 ingest job: what the client needs to upload to it and to read its
/// result files. Build one from a create answer (`IngestJob::from`), from
/// `Bulk2Client::attachIngestJob(id)`, or by hand.
struct SFDC_BULK_EXPORT IngestJob {
  /// Job id.
  std::string id;
  /// The job's operation.
  Operation operation = Operation::Insert;
  /// sObject type.
  std::string object;
  /// Separator of the job's data and result files.
  ColumnDelimiter columnDelimiter = ColumnDelimiter::Comma;
  /// Line ending the job's data must use.
  LineEnding lineEnding = LineEnding::LF;
  /// Upsert key field; empty for other operations.
  std::string externalIdFieldName;

  /// The handle of the job `info` describes.
  static IngestJob from(const Bulk2JobInfo& info);
};

/// A handle on a 2.0 query job.
struct SFDC_BULK_EXPORT QueryJob {
  /// Job id.
  std::string id;
  /// query or queryAll.
  Operation operation = Operation::Query;
  /// Separator of the result files.
  ColumnDelimiter columnDelimiter = ColumnDelimiter::Comma;
  /// Line ending of the result files.
  LineEnding lineEnding = LineEnding::LF;

  /// The handle of the job `info` describes.
  static QueryJob from(const Bulk2JobInfo& info);
};

/// Settings of `createIngestJob` besides the operation and the object.
struct IngestJobOptions {
  /// Required for upsert (the column must be in the data; `Id` is allowed), refused for
  /// other operations.
  std::string externalIdFieldName;
  /// Separator of the data to upload (and of the result files).
  ColumnDelimiter columnDelimiter = ColumnDelimiter::Comma;
  /// Line ending of the data to upload; it must match the data, or the whole job fails
  /// with `ClientInputError : LineEnding is invalid on user data`.
  LineEnding lineEnding = LineEnding::LF;
  /// Case or lead assignment rule to apply (API 49.0 and later).
  std::string assignmentRuleId;
};

/// Settings of `createQueryJob` besides the SOQL.
struct QueryJobOptions {
  /// queryAll: include deleted and archived records.
  bool all = false;
  /// Separator of the result files.
  ColumnDelimiter columnDelimiter = ColumnDelimiter::Comma;
  /// Line ending of the result files.
  LineEnding lineEnding = LineEnding::LF;
};

/// Filters of a job listing (`GET /jobs/ingest` or `/jobs/query`); empty ones are not
/// sent.
struct Bulk2JobFilter {
  /// `Classic`, `V2Ingest`, `V2Query`, `BigObjectIngest`.
  std::string jobType;
  /// `Parallel` or `Serial` (Bulk API 1.0 jobs).
  std::string concurrencyMode;
  /// Bulk API 1.0 jobs that use PK chunking.
  std::optional<bool> isPkChunkingEnabled;
};

/// One page of a job listing.
struct Bulk2JobPage {
  /// Up to 1,000 jobs, in no particular order (Bulk API 1.0 jobs included, as
  /// `jobType` `Classic`).
  std::vector<Bulk2JobInfo> records;
  /// True on the last page.
  bool done = true;
  /// The next page (pass it to the list call again); empty on the last page.
  std::string nextRecordsUrl;
};

/// Which result file of an ingest job.
enum class IngestResultKind {
  /// `successfulResults`: `sf__Id`, `sf__Created`, then the input columns.
  Successful,
  /// `failedResults`: `sf__Id`, `sf__Error`, then the input columns.
  Failed,
  /// `unprocessedrecords`: the input columns of rows never attempted.
  Unprocessed,
};

/// Which page of a query job's results to download.
struct QueryPageRequest {
  /// Empty for the first page; then the locator the previous page announced.
  std::string locator;
  /// Rows per page; unset lets the server choose.
  std::optional<std::int64_t> maxRecords;
};

/// The answer of `GET /jobs/query/{id}/resultPages` (API 58.0 and later): links to
/// result pages that may be downloaded at the same time.
struct QueryResultPageLinks {
  /// Relative URLs of result pages (`/services/data/…/results?locator=…`), in result
  /// order.
  std::vector<std::string> resultUrls;
  /// The next set of links; empty when `done`.
  std::string nextRecordsUrl;
  /// True when no more links follow.
  bool done = true;
};

}  // namespace sfdc::bulk
