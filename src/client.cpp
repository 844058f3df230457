// Client: the public operations as a thin layer over a Connection. What is here turns the
// caller's convenient forms (records, XML documents, streams, files) into the
// connection's operations; everything that touches the wire is in the connection.

#include <cctype>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>

#include "body_sources.hpp"
#include "request_checks.hpp"

namespace sfdc::bulk {

namespace {

Job jobOf(const JobInfo& info) {
  return Job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
}

}  // namespace

Client::Client(Config config) : Client(makeConnection(std::move(config))) {}

Client::Client(Config config, std::shared_ptr<HttpTransport> transport)
    : connection_(transport ? makeConnection(std::move(config), std::move(transport))
                            : throw InvalidArgument("the HTTP transport is null")) {}

Client::Client(std::shared_ptr<Connection> connection) : connection_(std::move(connection)) {
  if (!connection_) throw InvalidArgument("the connection is null");
}

Client::~Client() = default;
Client::Client(const Client&) = default;
Client& Client::operator=(const Client&) = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

void Client::checkBatchRecordCount(std::size_t count) { detail::checkBatchRecordCount(count); }

Job Client::createJob(Operation operation, std::string_view object, ContentType contentType,
                      const JobOptions& options) {
  return jobOf(connection_->createJob(operation, object, contentType, options));
}

Job Client::attachJob(std::string_view jobId) {
  detail::requireId("attachJob", "job id", jobId);
  Job probe;
  probe.id = std::string(jobId);
  return jobOf(getJobInfo(probe));
}

JobInfo Client::getJobInfo(const Job& job) { return connection_->getJobInfo(job); }

JobInfo Client::closeJob(const Job& job) { return connection_->closeJob(job); }

JobInfo Client::abortJob(const Job& job) { return connection_->abortJob(job); }

BatchInfo Client::addBatch(const Job& job, std::string_view body) {
  return connection_->addBatch(job, body, AddBatchOptions{});
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
  return connection_->addBatchStreamed(job, std::move(body), AddBatchOptions{});
}

BatchInfo Client::getBatchInfo(const Job& job, std::string_view batchId) {
  return connection_->getBatchInfo(job, batchId);
}

std::vector<BatchInfo> Client::getAllBatches(const Job& job) {
  return connection_->getAllBatches(job);
}

std::string Client::getBatchRequest(const Job& job, std::string_view batchId) {
  return connection_->getBatchRequest(job, batchId);
}

BatchResult Client::getBatchResult(const Job& job, std::string_view batchId) {
  BatchResult result;
  if (isQuery(job.operation)) {
    result.resultIds = connection_->getQueryResultIds(job, batchId);
  } else {
    result.records = connection_->getBatchResults(job, batchId);
  }
  return result;
}

QueryResultReader Client::getQueryResult(const Job& job, std::string_view batchId,
                                         std::string_view resultId) {
  return connection_->openQueryResult(job, batchId, resultId);
}

std::string Client::instanceUrl() const { return connection_->instanceUrl(); }

Bulk2Client Client::bulk2() const {
  auto bulk2 = connection_->bulk2();
  if (!bulk2) {
    throw Error(
        "this client's connection has no Bulk API 2.0 side (its Connection::bulk2() returned "
        "null); build a Bulk2Client from a Config or a Bulk2Connection instead");
  }
  return Bulk2Client(std::move(bulk2));
}

std::uint64_t Client::requestCount() const noexcept {
  // A user's connection may throw; the count is informational, so a failure reads as 0.
  try {
    return connection_->requestCount();
  } catch (...) {
    return 0;
  }
}

}  // namespace sfdc::bulk
