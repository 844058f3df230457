#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <sfdc/bulk/bulk2_client.hpp>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/load_journal.hpp>
#include <sfdc/bulk/query.hpp>
#include <sfdc/bulk/query_result.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pugi {
class xml_document;
}

namespace sfdc::bulk {

namespace detail {
// nlohmann::json named through a template parameter: the templates below then compile
// against <nlohmann/json_fwd.hpp> and need the full header only where they are used.
template <class>
struct DependentJson {
  using type = nlohmann::json;
};
}  // namespace detail

/**
 * Salesforce Bulk API v1 client: every job and batch operation of the
 * `/services/async/{version}` API, in CSV, JSON and XML jobs.
 *
 * Cheap to share: one Client may be used from many threads at once. The access token
 * is fetched on first use, cached, and refreshed when the API answers
 * `InvalidSessionId` (the request is then replayed once). Requests that are safe to
 * repeat are retried per `Config::retry`; `createJob` and `addBatch` never are.
 *
 * Errors throw subclasses of sfdc::bulk::Error (see error.hpp).
 *
 * Every operation goes through a Connection (connection.hpp): the real one by default,
 * or one given to the constructor, such as a mock in a unit test.
 *
 * @code
 * sfdc::bulk::Client client(config);
 * auto job = client.createJob(Operation::Insert, "Contact", ContentType::CSV);
 * auto batch = client.addBatch(job, "FirstName,LastName\nAda,Lovelace\n");
 * client.closeJob(job);
 * // … poll getBatchInfo(job, batch.id) until batch.isTerminal() …
 * auto result = client.getBatchResult(job, batch.id);
 * @endcode
 */
class SFDC_BULK_EXPORT Client {
 public:
  /// A client over a libcurl transport with default options.
  explicit Client(Config config);
  /// A client over the given transport (a fake in tests, a tuned CurlTransport, …).
  Client(Config config, std::shared_ptr<HttpTransport> transport);
  /// A client over `connection` (throws InvalidArgument when it is null). Loads and
  /// queries run over it too.
  explicit Client(std::shared_ptr<Connection> connection);
  ~Client();
  /// Copies share the connection: token, HTTP connections and request count.
  Client(const Client&);
  /// Share `other`'s connection.
  Client& operator=(const Client&);
  /// Take over the connection of `other`.
  Client(Client&&) noexcept;
  /// Take over the connection of `other`.
  Client& operator=(Client&&) noexcept;

  /// Create a job (`POST /job`). Validates the options first: upsert needs an external
  /// id field and no other operation takes one; PK chunking is for queries only.
  Job createJob(Operation operation, std::string_view object, ContentType contentType,
                const JobOptions& options = {});
  /// Rebuild a handle on an existing job from its id (one `GET /job/{id}`).
  Job attachJob(std::string_view jobId);

  /// The job's current jobInfo (`GET /job/{id}`).
  JobInfo getJobInfo(const Job& job);
  /// Close the job (`state=Closed`): no more batches; queued ones still run.
  JobInfo closeJob(const Job& job);
  /// Abort the job (`state=Aborted`): queued batches become NotProcessed.
  JobInfo abortJob(const Job& job);

  /// Add a batch from a body already in the job's format (SOQL text for query jobs).
  BatchInfo addBatch(const Job& job, std::string_view body);
  /// As the `std::string_view` overload.
  BatchInfo addBatch(const Job& job, const std::string& body);
  /// As the `std::string_view` overload.
  BatchInfo addBatch(const Job& job, const char* body);
  /// Add a batch from a JSON array of records, converted to the job's format.
  BatchInfo addBatch(const Job& job, const nlohmann::json& records);
  /// Add a batch from an XML `<sObjects>` document (XML jobs). A template only so
  /// that code which never includes pugixml.hpp does not need the complete type.
  template <class Document, std::enable_if_t<std::is_same_v<Document, pugi::xml_document>, int> = 0>
  BatchInfo addBatch(const Job& job, const Document& document) {
    return addXmlDocument(job, document);
  }
  /// Add a batch streamed from `body` (read as the request goes out, never held whole).
  BatchInfo addBatch(const Job& job, std::istream& body);
  /// Add a batch streamed from a file.
  BatchInfo addBatchFromFile(const Job& job, const std::string& path);
  /// Add a batch streamed from a body source (rewound if the request must be replayed).
  BatchInfo addBatch(const Job& job, std::shared_ptr<BodySource> body);

  /**
   * Add a batch from a range of records through a serializer. Each element must be
   * convertible to nlohmann::json (a json object, or a struct with `to_json`).
   */
  template <class Range>
  BatchInfo addRecords(const Job& job, const Range& records, PayloadSerializer& serializer) {
    std::string body;
    serializer.beginBatch(body);
    std::size_t index = 0;
    using Json = typename detail::DependentJson<Range>::type;
    for (const auto& record : records) {
      serializer.appendRecord(Json(record), index++, body);
    }
    serializer.endBatch(body);
    checkBatchRecordCount(index);
    return addBatch(job, std::string_view(body));
  }
  /// As above with the stock serializer of the job's content type.
  template <class Range>
  BatchInfo addRecords(const Job& job, const Range& records) {
    auto serializer = makeSerializer(job.contentType);
    return addRecords(job, records, *serializer);
  }

  /// The batch's current batchInfo (`GET …/batch/{id}`); poll it until
  /// BatchInfo::isTerminal().
  BatchInfo getBatchInfo(const Job& job, std::string_view batchId);
  /// Every batch of the job in one request (`GET /job/{id}/batch`).
  std::vector<BatchInfo> getAllBatches(const Job& job);
  /// The body of a batch as it was uploaded (`GET …/request`).
  std::string getBatchRequest(const Job& job, std::string_view batchId);
  /// DML jobs: one RecordResult per input record, in input order. Query jobs: the ids
  /// of the batch's result files.
  BatchResult getBatchResult(const Job& job, std::string_view batchId);
  /// Open one query result file for incremental reading.
  QueryResultReader getQueryResult(const Job& job, std::string_view batchId,
                                   std::string_view resultId);

  /**
   * Load records: create the job, split the source into batches (by records and by
   * bytes/characters, the CSV header repeated in each), upload them with bounded
   * concurrency, poll the job's batch list with backoff, download the results and map
   * each one to its input row, then close the job. Bad input raises InvalidArgument
   * naming the row before anything is sent for it; every row ends up succeeded,
   * failed or notProcessed in the result.
   */
  LoadResult load(Operation operation, std::string_view object, RecordSource source,
                  const LoadOptions& options = {});

  /**
   * Continue the load that wrote `journalFile` (LoadOptions::journalFile) and was killed
   * or stopped early. The input file is opened again and checked to be the one loaded
   * (its size, and the digest of every batch already started: a changed input is an
   * InvalidArgument and nothing is sent); the job is attached; batches whose answer was
   * lost are looked up in the job (their uploaded bodies compared where counts cannot
   * tell); only batches proven absent are sent again; the load then goes on from the
   * first row no batch covers and finishes as load() does: results for every batch,
   * result files rewritten to cover the whole input once, the job closed.
   *
   * The operation, object, input and batch settings come from the journal; `options`
   * gives the rest (callbacks, concurrency, timeouts; result files default to the
   * journal's). A finished or cancelled load, or a job closed, aborted or deleted by
   * someone else, is an InvalidArgument that says what was loaded and what to do.
   */
  LoadResult resumeLoad(const std::string& journalFile, LoadOptions options = {});

  /**
   * The outcome of every input row of an existing Bulk API v1 load job, as load() would
   * have reported it: for a load started with LoadOptions::waitForResults false, or to
   * rebuild the result files of any load from its input. Waits until every batch of the
   * job has finished (onProgress, the poll intervals, timeout and cancel of `options`
   * apply; a job still Open is an InvalidArgument, since its load may still be sending),
   * then reads each batch's uploaded data and its results (two requests a batch) and
   * pairs the job's rows with the input rows by their cells: batches may have been cut
   * and created in any order. Each input row then gets its outcome in input order
   * (onResult, LoadResult::rows, successFile and errorFile, written exactly as load()
   * writes them); an input row in no batch is notProcessed with `NOT_SENT`. Identical
   * input rows are interchangeable: they take the job's copies in batch order. Rows of
   * the job found in the input twice (a batch created twice) are reported in
   * LoadResult::duplicates. A job holding rows the input does not have was not loaded
   * from this input: InvalidArgument, and no result file is written.
   *
   * The input must be the CSV the load read (RecordSource::csvFile or csvStream), the
   * job a CSV or JSON job (XML jobs are refused). Memory grows with the job: about 50
   * bytes a row while the results are paired.
   */
  LoadResult collectLoad(std::string_view jobId, RecordSource input, LoadOptions options = {});

  /// Run a bulk query (query or queryAll, optionally PK-chunked) and stream its records.
  QueryStream query(std::string_view soql, const QueryOptions& options = {});

  /**
   * Start a bulk query without waiting for it: the query job is created with its SOQL
   * (Bulk API v1: the SOQL batch added and the job closed) and its id returned, for
   * attachQuery to read later, from this process or another. The options that shape the
   * job apply (api, all, contentType, pkChunking, timeout for the creation).
   */
  std::string submitQuery(std::string_view soql, const QueryOptions& options = {});

  /**
   * Follow an existing query job (one from submitQuery, or any v1 query job with its
   * SOQL batch) and stream its records as query() does: waits until results can be read
   * (onProgress, poll intervals, timeout and cancel apply). `options.api` must name the
   * job's API; a v1 job's content type and PK chunking are the job's own.
   */
  QueryStream attachQuery(std::string_view jobId, const QueryOptions& options = {});
  /// Run a bulk query into a CSV file (header once); returns the number of data rows.
  std::uint64_t queryToCsvFile(std::string_view soql, const std::string& path,
                               const QueryOptions& options = {});

  /// The instance URL requests go to (the token endpoint's `instance_url` once known).
  std::string instanceUrl() const;
  /// HTTP requests this client sent to the Bulk API (each counts against org limits).
  std::uint64_t requestCount() const noexcept;
  /// A Bulk API 2.0 client over the same session and request count (throws Error when
  /// the connection has no 2.0 side, see Connection::bulk2()).
  Bulk2Client bulk2() const;

 private:
  static void checkBatchRecordCount(std::size_t count);
  BatchInfo addXmlDocument(const Job& job, const pugi::xml_document& document);
  std::shared_ptr<Connection> connection_;
};

}  // namespace sfdc::bulk
