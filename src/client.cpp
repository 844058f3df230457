#include <cctype>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sstream>

#include "body_sources.hpp"
#include "codec/wire_codec.hpp"
#include "session.hpp"

namespace sfdc::bulk {

using detail::ApiCall;
using detail::Idempotency;

namespace {

std::string statusContentType(ContentType type) {
  return detail::statusFormat(type) == detail::WireFormat::Json ? "application/json; charset=UTF-8"
                                                                : "application/xml; charset=UTF-8";
}

std::string batchContentType(ContentType type) {
  return std::string(mimeType(type)) + "; charset=UTF-8";
}

// Ids are pasted into request paths, so anything but a Salesforce id (15 or 18
// letters and digits) could point the request elsewhere ("x/../750…").
bool isSalesforceId(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return false;
  for (unsigned char c : id) {
    if (!std::isalnum(c)) return false;
  }
  return true;
}

void requireId(std::string_view operation, std::string_view what, std::string_view id) {
  if (id.empty())
    throw InvalidArgument(std::string(operation) + ": the " + std::string(what) + " is empty");
  if (isSalesforceId(id)) return;
  std::string shown;
  for (unsigned char c : id.substr(0, 64)) {
    shown += std::isprint(c) ? static_cast<char>(c) : '?';
  }
  if (id.size() > 64) shown += "...";
  throw InvalidArgument(std::string(operation) + ": the " + std::string(what) + " '" + shown +
                        "' is not a Salesforce id (15 or 18 letters and digits, e.g. "
                        "750R0000000zlh9IAA)");
}

void requireJobId(std::string_view operation, const Job& job) {
  if (job.id.empty()) throw InvalidArgument(std::string(operation) + ": the job handle has no id");
  requireId(operation, "job id", job.id);
}

void requireBatchId(std::string_view operation, std::string_view batchId) {
  requireId(operation, "batch id", batchId);
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

void validateJobOptions(Operation operation, std::string_view object, ContentType contentType,
                        const JobOptions& options) {
  if (object.empty()) throw InvalidArgument("createJob: the object name is empty");
  if (operation == Operation::Upsert && options.externalIdFieldName.empty()) {
    throw InvalidArgument("createJob: upsert needs JobOptions::externalIdFieldName");
  }
  if (operation != Operation::Upsert && !options.externalIdFieldName.empty()) {
    throw InvalidArgument("createJob: externalIdFieldName is only valid for upsert, not " +
                          std::string(toString(operation)));
  }
  if (options.pkChunking && !isQuery(operation)) {
    throw InvalidArgument("createJob: PK chunking is only valid for query and queryAll jobs");
  }
  if (options.pkChunking && options.pkChunking->chunkSize &&
      (*options.pkChunking->chunkSize < 1 || *options.pkChunking->chunkSize > 250'000)) {
    throw InvalidArgument("createJob: PK chunk size must be between 1 and 250,000, got " +
                          std::to_string(*options.pkChunking->chunkSize));
  }
  if (isQuery(operation) &&
      (contentType == ContentType::ZIP_CSV || contentType == ContentType::ZIP_JSON ||
       contentType == ContentType::ZIP_XML)) {
    throw InvalidArgument("createJob: query jobs cannot use a ZIP content type");
  }
}

// UTF-8 characters in `text`: every byte that is not a continuation byte starts one.
std::size_t countCharacters(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

void validateBody(const Job& job, std::string_view body) {
  if (body.empty()) throw InvalidArgument("addBatch: the batch body is empty");
  if (body.size() > kMaxBatchBytes) {
    throw InvalidArgument("addBatch: the batch body is " + std::to_string(body.size()) +
                          " bytes, over the limit of " + std::to_string(kMaxBatchBytes));
  }
  if (!isQuery(job.operation) && countCharacters(body) > kMaxBatchCharacters) {
    throw InvalidArgument("addBatch: the batch body has more than " +
                          std::to_string(kMaxBatchCharacters) + " characters");
  }
}

}  // namespace

Client::Client(Config config) : Client(std::move(config), std::make_shared<CurlTransport>()) {}

Client::Client(Config config, std::shared_ptr<HttpTransport> transport)
    : session_(std::make_shared<detail::Session>(std::move(config), std::move(transport))) {}

Client::~Client() = default;
Client::Client(const Client&) = default;
Client& Client::operator=(const Client&) = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::checkBatchRecordCount(std::size_t count) {
  if (count == 0) throw InvalidArgument("addBatch: the batch has no records");
  if (count > kMaxRecordsPerBatch) {
    throw InvalidArgument("addBatch: the batch has " + std::to_string(count) +
                          " records, over the limit of " + std::to_string(kMaxRecordsPerBatch));
  }
}

Job Client::createJob(Operation operation, std::string_view object, ContentType contentType,
                      const JobOptions& options) {
  validateJobOptions(operation, object, contentType, options);
  detail::JobCreateRequest request;
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
  call.body = detail::encodeJobCreate(request, detail::statusFormat(contentType));
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
  JobInfo info = detail::parseJobInfo(session_->call(call).body);
  // Every later call puts this id in its path: a server's odd answer must not steer them.
  if (!isSalesforceId(info.id)) {
    throw ParseError(
        "createJob: the server answered with a job id that is not a Salesforce id "
        "(15 or 18 letters and digits)");
  }
  return Job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
}

Job Client::attachJob(std::string_view jobId) {
  requireId("attachJob", "job id", jobId);
  Job probe;
  probe.id = std::string(jobId);
  JobInfo info = getJobInfo(probe);
  return Job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
}

JobInfo Client::getJobInfo(const Job& job) {
  requireJobId("getJobInfo", job);
  ApiCall call;
  call.path = "job/" + job.id;
  call.jobId = job.id;
  return detail::parseJobInfo(session_->call(call).body);
}

namespace {

ApiCall stateChange(const Job& job, JobState state) {
  ApiCall call;
  call.method = "POST";
  call.path = "job/" + job.id;
  call.contentType = statusContentType(job.contentType);
  call.body = detail::encodeJobState(state, detail::statusFormat(job.contentType));
  // Setting the same state twice has the same effect as once.
  call.idempotency = Idempotency::Idempotent;
  call.jobId = job.id;
  return call;
}

}  // namespace

JobInfo Client::closeJob(const Job& job) {
  requireJobId("closeJob", job);
  return detail::parseJobInfo(session_->call(stateChange(job, JobState::Closed)).body);
}

JobInfo Client::abortJob(const Job& job) {
  requireJobId("abortJob", job);
  return detail::parseJobInfo(session_->call(stateChange(job, JobState::Aborted)).body);
}

BatchInfo Client::addBatch(const Job& job, std::string_view body) {
  requireJobId("addBatch", job);
  validateBody(job, body);
  ApiCall call;
  call.method = "POST";
  call.path = "job/" + job.id + "/batch";
  call.contentType = batchContentType(job.contentType);
  call.body = std::string(body);
  call.gzipBody = session_->config().gzipRequests;
  call.idempotency = Idempotency::NonIdempotent;
  call.jobId = job.id;
  return detail::parseBatchInfo(session_->call(call).body);
}

BatchInfo Client::addBatch(const Job& job, const std::string& body) {
  return addBatch(job, std::string_view(body));
}

BatchInfo Client::addBatch(const Job& job, const char* body) {
  return addBatch(job, std::string_view(body ? body : ""));
}

BatchInfo Client::addBatch(const Job& job, const nlohmann::json& records) {
  if (isQuery(job.operation)) {
    throw InvalidArgument("addBatch: query jobs take SOQL text, not records");
  }
  if (!records.is_array()) {
    throw InvalidArgument("addBatch: records must be a JSON array of objects");
  }
  checkBatchRecordCount(records.size());
  return addBatch(job, std::string_view(serializeRecords(records, job.contentType)));
}

BatchInfo Client::addXmlDocument(const Job& job, const pugi::xml_document& document) {
  if (job.contentType != ContentType::XML) {
    throw InvalidArgument("addBatch: an XML document needs an XML job, this job is " +
                          std::string(toString(job.contentType)));
  }
  std::ostringstream out;
  document.save(out, "", pugi::format_raw);
  return addBatch(job, std::string_view(out.str()));
}

BatchInfo Client::addBatch(const Job& job, std::istream& body) {
  return addBatch(job, std::make_shared<detail::IstreamBodySource>(body));
}

BatchInfo Client::addBatchFromFile(const Job& job, const std::string& path) {
  return addBatch(job, std::make_shared<detail::FileBodySource>(path));
}

BatchInfo Client::addBatch(const Job& job, std::shared_ptr<BodySource> body) {
  requireJobId("addBatch", job);
  if (!body) throw InvalidArgument("addBatch: the body source is null");
  const long long size = body->size();
  if (size == 0) throw InvalidArgument("addBatch: the batch body is empty");
  if (size > static_cast<long long>(kMaxBatchBytes)) {
    throw InvalidArgument("addBatch: the batch body is " + std::to_string(size) +
                          " bytes, over the limit of " + std::to_string(kMaxBatchBytes));
  }
  ApiCall call;
  call.method = "POST";
  call.path = "job/" + job.id + "/batch";
  call.contentType = batchContentType(job.contentType);
  call.bodySource = std::move(body);
  call.gzipBody = session_->config().gzipRequests;
  call.idempotency = Idempotency::NonIdempotent;
  call.jobId = job.id;
  return detail::parseBatchInfo(session_->call(call).body);
}

BatchInfo Client::getBatchInfo(const Job& job, std::string_view batchId) {
  requireJobId("getBatchInfo", job);
  requireBatchId("getBatchInfo", batchId);
  ApiCall call;
  call.path = "job/" + job.id + "/batch/" + std::string(batchId);
  call.jobId = job.id;
  call.batchId = std::string(batchId);
  return detail::parseBatchInfo(session_->call(call).body);
}

std::vector<BatchInfo> Client::getAllBatches(const Job& job) {
  requireJobId("getAllBatches", job);
  ApiCall call;
  call.path = "job/" + job.id + "/batch";
  call.jobId = job.id;
  return detail::parseBatchInfoList(session_->call(call).body);
}

std::string Client::getBatchRequest(const Job& job, std::string_view batchId) {
  requireJobId("getBatchRequest", job);
  requireBatchId("getBatchRequest", batchId);
  ApiCall call;
  call.path = "job/" + job.id + "/batch/" + std::string(batchId) + "/request";
  call.jobId = job.id;
  call.batchId = std::string(batchId);
  return session_->call(call).body;
}

BatchResult Client::getBatchResult(const Job& job, std::string_view batchId) {
  requireJobId("getBatchResult", job);
  requireBatchId("getBatchResult", batchId);
  ApiCall call;
  call.path = "job/" + job.id + "/batch/" + std::string(batchId) + "/result";
  call.jobId = job.id;
  call.batchId = std::string(batchId);
  std::string body = session_->call(call).body;
  BatchResult result;
  if (isQuery(job.operation)) {
    result.resultIds = detail::parseResultList(body);
  } else {
    result.records = detail::parseDmlResults(body);
  }
  return result;
}

QueryResultReader Client::getQueryResult(const Job& job, std::string_view batchId,
                                         std::string_view resultId) {
  requireJobId("getQueryResult", job);
  requireBatchId("getQueryResult", batchId);
  requireId("getQueryResult", "result id", resultId);
  ApiCall call;
  call.path =
      "job/" + job.id + "/batch/" + std::string(batchId) + "/result/" + std::string(resultId);
  call.jobId = job.id;
  call.batchId = std::string(batchId);
  std::shared_ptr<HttpResponseStream> stream = session_->open(call);
  return QueryResultReader(job.contentType, [stream](char* buffer, std::size_t size) {
    return stream->read(buffer, size);
  });
}

std::string Client::instanceUrl() const { return session_->instanceUrl(); }

std::uint64_t Client::requestCount() const noexcept { return session_->requestCount(); }

}  // namespace sfdc::bulk
