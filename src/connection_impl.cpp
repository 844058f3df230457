#include "connection_impl.hpp"

#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>

#include "bulk2/bulk2_connection_impl.hpp"
#include "codec/wire_codec.hpp"
#include "request_checks.hpp"

namespace sfdc::bulk {

std::shared_ptr<Connection> makeConnection(Config config,
                                           std::shared_ptr<HttpTransport> transport) {
  if (!transport) transport = std::make_shared<CurlTransport>();
  return std::make_shared<detail::ConnectionImpl>(std::move(config), std::move(transport));
}

namespace detail {
namespace {

std::string statusContentType(ContentType type) {
  return statusFormat(type) == WireFormat::Json ? "application/json; charset=UTF-8"
                                                : "application/xml; charset=UTF-8";
}

std::string batchContentType(ContentType type) {
  return std::string(mimeType(type)) + "; charset=UTF-8";
}

std::string pkChunkingHeader(const PkChunking& pk) {
  std::string value;
  auto add = [&value](const std::string& part) {
    if (!value.empty()) value += "; ";
    value += part;
  };
  if (pk.chunkSize) add("chunkSize=" + std::to_string(*pk.chunkSize));
  if (!pk.parent.empty()) add("parent=" + pk.parent);
  if (!pk.startRow.empty()) add("startRow=" + pk.startRow);
  return value.empty() ? "TRUE" : value;
}

ApiCall stateChange(const Job& job, JobState state) {
  ApiCall call;
  call.method = "POST";
  call.path = "job/" + job.id;
  call.contentType = statusContentType(job.contentType);
  call.body = encodeJobState(state, statusFormat(job.contentType));
  // Setting the same state twice has the same effect as once.
  call.idempotency = Idempotency::Idempotent;
  call.jobId = job.id;
  return call;
}

ApiCall batchGet(const Job& job, std::string_view batchId, const std::string& tail) {
  ApiCall call;
  call.path = "job/" + job.id + "/batch/" + std::string(batchId) + tail;
  call.jobId = job.id;
  call.batchId = std::string(batchId);
  return call;
}

}  // namespace

ConnectionImpl::ConnectionImpl(Config config, std::shared_ptr<HttpTransport> transport,
                               Pacing pacing)
    : session_(
          std::make_shared<Session>(std::move(config), std::move(transport), std::move(pacing))) {}

JobInfo ConnectionImpl::createJob(Operation operation, std::string_view object,
                                  ContentType contentType, const JobOptions& options) {
  validateJobOptions(operation, object, contentType, options);
  JobCreateRequest request;
  request.operation = operation;
  request.object = std::string(object);
  request.contentType = contentType;
  request.externalIdFieldName = options.externalIdFieldName;
  request.concurrencyMode = options.concurrencyMode;
  request.assignmentRuleId = options.assignmentRuleId;

  ApiCall call;
  call.method = "POST";
  call.path = "job";
  call.contentType = statusContentType(contentType);
  call.body = encodeJobCreate(request, statusFormat(contentType));
  call.idempotency = Idempotency::NonIdempotent;
  if (options.pkChunking) {
    call.extraHeaders.emplace_back("Sforce-Enable-PKChunking",
                                   pkChunkingHeader(*options.pkChunking));
  }
  if (options.lineEnding) {
    call.extraHeaders.emplace_back("Sforce-Line-Ending",
                                   *options.lineEnding == LineEnding::CRLF ? "CRLF" : "LF");
  }
  if (options.disableBatchRetry) {
    call.extraHeaders.emplace_back("Sforce-Disable-Batch-Retry",
                                   *options.disableBatchRetry ? "TRUE" : "FALSE");
  }
  if (!options.callOptionsClient.empty()) {
    call.extraHeaders.emplace_back("Sforce-Call-Options", "client=" + options.callOptionsClient);
  }
  JobInfo info = parseJobInfo(session_->call(call).body);
  // Every later call puts this id in its path: a server's odd answer must not steer them.
  if (!isSalesforceId(info.id)) {
    throw ParseError(
        "createJob: the server answered with a job id that is not a Salesforce id "
        "(15 or 18 letters and digits)");
  }
  return info;
}

JobInfo ConnectionImpl::getJobInfo(const Job& job) {
  requireJobId("getJobInfo", job);
  ApiCall call;
  call.path = "job/" + job.id;
  call.jobId = job.id;
  return parseJobInfo(session_->call(call).body);
}

JobInfo ConnectionImpl::closeJob(const Job& job) {
  requireJobId("closeJob", job);
  return parseJobInfo(session_->call(stateChange(job, JobState::Closed)).body);
}

JobInfo ConnectionImpl::abortJob(const Job& job) {
  requireJobId("abortJob", job);
  return parseJobInfo(session_->call(stateChange(job, JobState::Aborted)).body);
}

// The one batch upload: whole and streamed bodies differ only in where the bytes are.
ApiCall ConnectionImpl::batchUpload(const Job& job, const AddBatchOptions& options) const {
  ApiCall call;
  call.method = "POST";
  call.path = "job/" + job.id + "/batch";
  call.contentType = batchContentType(job.contentType);
  // A zip goes as it is: the service reads binary attachment batches unwrapped, and a
  // zip would barely shrink anyway.
  call.gzipBody = !isZip(job.contentType) && options.gzip.value_or(session_->config().gzipRequests);
  call.idempotency = Idempotency::NonIdempotent;
  call.jobId = job.id;
  return call;
}

BatchInfo ConnectionImpl::addBatch(const Job& job, std::string_view body,
                                   const AddBatchOptions& options) {
  requireJobId("addBatch", job);
  validateBody(job, body);
  ApiCall call = batchUpload(job, options);
  call.body = std::string(body);
  return parseBatchInfo(session_->call(call).body);
}

BatchInfo ConnectionImpl::addBatchStreamed(const Job& job, std::shared_ptr<BodySource> body,
                                           const AddBatchOptions& options) {
  requireJobId("addBatch", job);
  if (!body) throw InvalidArgument("addBatch: the body source is null");
  validateBodySize(body->size());
  ApiCall call = batchUpload(job, options);
  call.bodySource = std::move(body);
  return parseBatchInfo(session_->call(call).body);
}

BatchInfo ConnectionImpl::getBatchInfo(const Job& job, std::string_view batchId) {
  requireJobId("getBatchInfo", job);
  requireBatchId("getBatchInfo", batchId);
  return parseBatchInfo(session_->call(batchGet(job, batchId, "")).body);
}

std::vector<BatchInfo> ConnectionImpl::getAllBatches(const Job& job) {
  requireJobId("getAllBatches", job);
  ApiCall call;
  call.path = "job/" + job.id + "/batch";
  call.jobId = job.id;
  return parseBatchInfoList(session_->call(call).body);
}

std::string ConnectionImpl::getBatchRequest(const Job& job, std::string_view batchId) {
  requireJobId("getBatchRequest", job);
  requireBatchId("getBatchRequest", batchId);
  return session_->call(batchGet(job, batchId, "/request")).body;
}

std::string ConnectionImpl::batchResultBody(std::string_view operation, const Job& job,
                                            std::string_view batchId) {
  requireJobId(operation, job);
  requireBatchId(operation, batchId);
  return session_->call(batchGet(job, batchId, "/result")).body;
}

std::vector<RecordResult> ConnectionImpl::getBatchResults(const Job& job,
                                                          std::string_view batchId) {
  return parseDmlResults(batchResultBody("getBatchResult", job, batchId));
}

std::vector<std::string> ConnectionImpl::getQueryResultIds(const Job& job,
                                                           std::string_view batchId) {
  return parseResultList(batchResultBody("getBatchResult", job, batchId));
}

QueryResultReader ConnectionImpl::openQueryResult(const Job& job, std::string_view batchId,
                                                  std::string_view resultId) {
  requireJobId("getQueryResult", job);
  requireBatchId("getQueryResult", batchId);
  requireId("getQueryResult", "result id", resultId);
  std::shared_ptr<HttpResponseStream> stream =
      session_->open(batchGet(job, batchId, "/result/" + std::string(resultId)));
  return QueryResultReader(job.contentType, [stream](char* buffer, std::size_t size) {
    return stream->read(buffer, size);
  });
}

std::string ConnectionImpl::instanceUrl() { return session_->instanceUrl(); }

std::uint64_t ConnectionImpl::requestCount() const { return session_->requestCount(); }

RetryPolicy ConnectionImpl::retryPolicy() const { return session_->config().retry; }

void ConnectionImpl::log(LogLevel level, const std::string& message) {
  session_->log(level, message);
}

std::shared_ptr<Bulk2Connection> ConnectionImpl::bulk2() {
  return std::make_shared<Bulk2ConnectionImpl>(session_);
}

}  // namespace detail
}  // namespace sfdc::bulk
