#include "bulk2_connection_impl.hpp"

#include <cctype>
#include <optional>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>

#include "auth/authenticator.hpp"
#include "bulk2_checks.hpp"
#include "bulk2_codec.hpp"
#include "request_checks.hpp"

namespace sfdc::bulk {

std::shared_ptr<Bulk2Connection> makeBulk2Connection(Config config,
                                                     std::shared_ptr<HttpTransport> transport) {
  if (!transport) transport = std::make_shared<CurlTransport>();
  return std::make_shared<detail::Bulk2ConnectionImpl>(
      std::make_shared<detail::Session>(std::move(config), std::move(transport)));
}

namespace detail {
namespace {

constexpr const char* kJsonType = "application/json; charset=UTF-8";
const std::string kIngest = "ingest";
const std::string kQuery = "query";

ApiCall v2Call(std::string method, std::string path, std::string_view jobId,
               const char* accept = "application/json") {
  ApiCall call;
  call.api = BulkApiFamily::V2;
  call.method = std::move(method);
  call.path = std::move(path);
  call.extraHeaders.emplace_back("Accept", accept);
  call.jobId = std::string(jobId);
  return call;
}

std::string jobPath(const std::string& kind, std::string_view jobId) {
  return "jobs/" + kind + "/" + std::string(jobId);
}

ApiCall stateChange(const std::string& kind, std::string_view jobId, Bulk2JobState state) {
  ApiCall call = v2Call("PATCH", jobPath(kind, jobId), jobId);
  call.contentType = kJsonType;
  call.body = encodeBulk2StateChange(state);
  // Asking for the same state twice asks for nothing new; a repeat that meets the state
  // already reached is resolved by the caller from the job's state.
  call.idempotency = Idempotency::Idempotent;
  return call;
}

void appendQuery(std::string& path, const char* name, std::string_view value) {
  path += path.find('?') == std::string::npos ? '?' : '&';
  path += name;
  path += '=';
  path += formEncode(value);
}

// The major number of "59.0"; nullopt when the text is not a version (the server then
// answers for itself).
std::optional<int> majorVersion(const std::string& version) {
  int major = 0;
  std::size_t i = 0;
  for (; i < version.size() && std::isdigit(static_cast<unsigned char>(version[i])); ++i) {
    if (major > 1000) return std::nullopt;
    major = major * 10 + (version[i] - '0');
  }
  if (i == 0) return std::nullopt;
  return major;
}

std::string_view resultFile(IngestResultKind kind) {
  switch (kind) {
    case IngestResultKind::Successful:
      return "successfulResults";
    case IngestResultKind::Failed:
      return "failedResults";
    case IngestResultKind::Unprocessed:
      return "unprocessedrecords";
  }
  return "successfulResults";
}

}  // namespace

Bulk2ConnectionImpl::Bulk2ConnectionImpl(std::shared_ptr<Session> session)
    : session_(std::move(session)) {
  if (!session_) throw InvalidArgument("the session is null");
}

void Bulk2ConnectionImpl::requireApiVersion(const char* operation, int minimum,
                                            const char* feature) const {
  const std::string& version = session_->config().apiVersion;
  const auto major = majorVersion(version);
  if (major && *major < minimum) {
    throw InvalidArgument(std::string(operation) + ": " + feature + " needs API version " +
                          std::to_string(minimum) + ".0 or later, and Config::apiVersion is " +
                          version);
  }
}

Bulk2JobInfo Bulk2ConnectionImpl::jobInfoCall(const ApiCall& call) {
  return parseBulk2JobInfo(session_->call(call).body);
}

Bulk2JobInfo Bulk2ConnectionImpl::createJob(const char* operation, const std::string& kind,
                                            std::string body) {
  ApiCall call = v2Call("POST", "jobs/" + kind, "");
  call.contentType = kJsonType;
  call.body = std::move(body);
  call.idempotency = Idempotency::NonIdempotent;
  Bulk2JobInfo info = jobInfoCall(call);
  // Every later call puts this id in its path: a server's odd answer must not steer them.
  if (!isSalesforceId(info.id)) {
    throw ParseError(std::string(operation) +
                     ": the server answered with a job id that is not a Salesforce id "
                     "(15 or 18 letters and digits)");
  }
  return info;
}

Bulk2JobInfo Bulk2ConnectionImpl::createIngestJob(Operation operation, std::string_view object,
                                                  const IngestJobOptions& options) {
  validateIngestJobRequest(operation, object, options);
  requireApiVersion("createIngestJob", 41, "Bulk API 2.0 ingest");
  if (!options.assignmentRuleId.empty()) {
    requireApiVersion("createIngestJob", 49, "assignmentRuleId");
  }
  return createJob("createIngestJob", kIngest, encodeIngestJobCreate(operation, object, options));
}

void Bulk2ConnectionImpl::uploadJobData(const IngestJob& job, std::shared_ptr<BodySource> csv,
                                        const UploadOptions& options) {
  requireId("uploadJobData", "job id", job.id);
  if (!csv) throw InvalidArgument("uploadJobData: the CSV body source is null");
  const long long size = csv->size();
  if (size > static_cast<long long>(kMaxBulk2UploadBytes)) {
    throw InvalidArgument(
        "uploadJobData: " + std::to_string(size) + " bytes exceed the Bulk API 2.0 limit of " +
        std::to_string(kMaxBulk2UploadBytes) + " bytes per upload; split the data across jobs");
  }
  ApiCall call = v2Call("PUT", jobPath(kIngest, job.id) + "/batches", job.id);
  call.contentType = "text/csv";
  call.bodySource = std::move(csv);
  call.gzipBody = options.gzip.value_or(session_->config().gzipRequests);
  // A second upload poisons the job (closing it fails), so the data is only sent again
  // when the server provably did not read it.
  call.idempotency = Idempotency::NonIdempotent;
  session_->call(call);
}

Bulk2JobInfo Bulk2ConnectionImpl::changeState(const char* operation, const std::string& kind,
                                              std::string_view jobId, Bulk2JobState target) {
  requireId(operation, "job id", jobId);
  int uncertain = 0;
  try {
    return parseBulk2JobInfo(session_->call(stateChange(kind, jobId, target), &uncertain).body);
  } catch (const ApiError& e) {
    // An earlier attempt may have changed the state and lost its answer; the repeat then
    // meets a job already past it (400 INVALIDJOBSTATE). The job's state tells.
    if (uncertain == 0 || e.httpStatus() != 400) throw;
    Bulk2JobInfo info = jobInfoCall(v2Call("GET", jobPath(kind, jobId), jobId));
    const bool reached =
        target == Bulk2JobState::Aborted
            ? info.state == Bulk2JobState::Aborted
            : info.state != Bulk2JobState::Open && info.state != Bulk2JobState::Aborted;
    if (!reached) throw;
    session_->log(LogLevel::Info, std::string(operation) + ": job " + info.id +
                                      " was changed by an attempt whose answer was lost; it is " +
                                      std::string(toString(info.state)));
    return info;
  }
}

Bulk2JobInfo Bulk2ConnectionImpl::closeIngestJob(std::string_view jobId) {
  return changeState("closeIngestJob", kIngest, jobId, Bulk2JobState::UploadComplete);
}

Bulk2JobInfo Bulk2ConnectionImpl::abortIngestJob(std::string_view jobId) {
  return changeState("abortIngestJob", kIngest, jobId, Bulk2JobState::Aborted);
}

Bulk2JobInfo Bulk2ConnectionImpl::getIngestJobInfo(std::string_view jobId) {
  requireId("getIngestJobInfo", "job id", jobId);
  return jobInfoCall(v2Call("GET", jobPath(kIngest, jobId), jobId));
}

void Bulk2ConnectionImpl::deleteJob(const char* operation, const std::string& kind,
                                    std::string_view jobId) {
  requireId(operation, "job id", jobId);
  ApiCall call = v2Call("DELETE", jobPath(kind, jobId), jobId);
  int uncertain = 0;
  try {
    session_->call(call, &uncertain);
  } catch (const ApiError& e) {
    // A 404 after an attempt whose answer was lost: that attempt deleted the job.
    if (uncertain == 0 || e.httpStatus() != 404) throw;
    session_->log(LogLevel::Info, std::string(operation) + ": job " + std::string(jobId) +
                                      " was deleted by an attempt whose answer was lost");
  }
}

void Bulk2ConnectionImpl::deleteIngestJob(std::string_view jobId) {
  deleteJob("deleteIngestJob", kIngest, jobId);
}

Bulk2JobPage Bulk2ConnectionImpl::listJobs(const char* operation, const std::string& kind,
                                           const Bulk2JobFilter& filter,
                                           std::string_view nextRecordsUrl) {
  std::string path;
  if (!nextRecordsUrl.empty()) {
    requireServerLink(operation, "nextRecordsUrl", nextRecordsUrl);
    path = std::string(nextRecordsUrl);
  } else {
    path = "jobs/" + kind;
    if (!filter.jobType.empty()) appendQuery(path, "jobType", filter.jobType);
    if (!filter.concurrencyMode.empty()) {
      appendQuery(path, "concurrencyMode", filter.concurrencyMode);
    }
    if (filter.isPkChunkingEnabled) {
      appendQuery(path, "isPkChunkingEnabled", *filter.isPkChunkingEnabled ? "true" : "false");
    }
  }
  return parseBulk2JobPage(session_->call(v2Call("GET", path, "")).body);
}

Bulk2JobPage Bulk2ConnectionImpl::listIngestJobs(const Bulk2JobFilter& filter,
                                                 std::string_view nextRecordsUrl) {
  return listJobs("listIngestJobs", kIngest, filter, nextRecordsUrl);
}

Bulk2CsvReader Bulk2ConnectionImpl::download(const ApiCall& call, ColumnDelimiter delimiter) {
  std::shared_ptr<HttpResponseStream> stream = session_->open(call);
  Headers headers = stream->headers();
  return Bulk2CsvReader(
      [stream](char* buffer, std::size_t size) { return stream->read(buffer, size); }, delimiter,
      std::move(headers));
}

Bulk2CsvReader Bulk2ConnectionImpl::openIngestResults(const IngestJob& job, IngestResultKind kind) {
  requireId("openIngestResults", "job id", job.id);
  return download(v2Call("GET", jobPath(kIngest, job.id) + "/" + std::string(resultFile(kind)),
                         job.id, "text/csv"),
                  job.columnDelimiter);
}

Bulk2JobInfo Bulk2ConnectionImpl::createQueryJob(std::string_view soql,
                                                 const QueryJobOptions& options) {
  validateSoql(soql);
  requireApiVersion("createQueryJob", 47, "Bulk API 2.0 query");
  return createJob("createQueryJob", kQuery, encodeQueryJobCreate(soql, options));
}

Bulk2JobInfo Bulk2ConnectionImpl::getQueryJobInfo(std::string_view jobId) {
  requireId("getQueryJobInfo", "job id", jobId);
  return jobInfoCall(v2Call("GET", jobPath(kQuery, jobId), jobId));
}

Bulk2JobInfo Bulk2ConnectionImpl::abortQueryJob(std::string_view jobId) {
  return changeState("abortQueryJob", kQuery, jobId, Bulk2JobState::Aborted);
}

void Bulk2ConnectionImpl::deleteQueryJob(std::string_view jobId) {
  deleteJob("deleteQueryJob", kQuery, jobId);
}

Bulk2JobPage Bulk2ConnectionImpl::listQueryJobs(const Bulk2JobFilter& filter,
                                                std::string_view nextRecordsUrl) {
  return listJobs("listQueryJobs", kQuery, filter, nextRecordsUrl);
}

Bulk2CsvReader Bulk2ConnectionImpl::openQueryResults(const QueryJob& job,
                                                     const QueryPageRequest& page) {
  requireId("openQueryResults", "job id", job.id);
  if (page.locator == "null") {
    throw InvalidArgument(
        "openQueryResults: the locator 'null' marks the last page; there is no page after it");
  }
  if (page.maxRecords && *page.maxRecords <= 0) {
    throw InvalidArgument("openQueryResults: maxRecords must be positive, not " +
                          std::to_string(*page.maxRecords));
  }
  std::string path = jobPath(kQuery, job.id) + "/results";
  if (!page.locator.empty()) appendQuery(path, "locator", page.locator);
  if (page.maxRecords) appendQuery(path, "maxRecords", std::to_string(*page.maxRecords));
  return download(v2Call("GET", path, job.id, "text/csv"), job.columnDelimiter);
}

QueryResultPageLinks Bulk2ConnectionImpl::getQueryResultPages(const QueryJob& job,
                                                              std::string_view nextRecordsUrl) {
  requireId("getQueryResultPages", "job id", job.id);
  requireApiVersion("getQueryResultPages", 58, "resultPages");
  std::string path = jobPath(kQuery, job.id) + "/resultPages";
  if (!nextRecordsUrl.empty()) {
    requireServerLink("getQueryResultPages", "nextRecordsUrl", nextRecordsUrl);
    path = std::string(nextRecordsUrl);
  }
  return parseQueryResultPageLinks(session_->call(v2Call("GET", path, job.id)).body);
}

Bulk2CsvReader Bulk2ConnectionImpl::openQueryResultsUrl(const QueryJob& job,
                                                        std::string_view resultUrl) {
  requireId("openQueryResultsUrl", "job id", job.id);
  requireServerLink("openQueryResultsUrl", "result URL", resultUrl);
  return download(v2Call("GET", std::string(resultUrl), job.id, "text/csv"), job.columnDelimiter);
}

std::string Bulk2ConnectionImpl::instanceUrl() { return session_->instanceUrl(); }

std::uint64_t Bulk2ConnectionImpl::requestCount() const { return session_->requestCount(); }

RetryPolicy Bulk2ConnectionImpl::retryPolicy() const { return session_->config().retry; }

void Bulk2ConnectionImpl::log(LogLevel level, const std::string& message) {
  session_->log(level, message);
}

}  // namespace detail
}  // namespace sfdc::bulk
