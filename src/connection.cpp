// The defaults of Connection: every operation refuses, so that a fake or a wrapper only
// overrides what it uses, and a forgotten one says which operation it was.

#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk {
namespace {

[[noreturn]] void notImplemented(const char* operation) {
  throw Error(std::string("Connection::") + operation + " is not implemented by this connection");
}

}  // namespace

Connection::~Connection() = default;

JobInfo Connection::createJob(Operation, std::string_view, ContentType, const JobOptions&) {
  notImplemented("createJob");
}
JobInfo Connection::getJobInfo(const Job&) { notImplemented("getJobInfo"); }
JobInfo Connection::closeJob(const Job&) { notImplemented("closeJob"); }
JobInfo Connection::abortJob(const Job&) { notImplemented("abortJob"); }
BatchInfo Connection::addBatch(const Job&, std::string_view, const AddBatchOptions&) {
  notImplemented("addBatch");
}
BatchInfo Connection::addBatchStreamed(const Job&, std::shared_ptr<BodySource>,
                                       const AddBatchOptions&) {
  notImplemented("addBatchStreamed");
}
BatchInfo Connection::getBatchInfo(const Job&, std::string_view) { notImplemented("getBatchInfo"); }
std::vector<BatchInfo> Connection::getAllBatches(const Job&) { notImplemented("getAllBatches"); }
std::string Connection::getBatchRequest(const Job&, std::string_view) {
  notImplemented("getBatchRequest");
}
std::vector<RecordResult> Connection::getBatchResults(const Job&, std::string_view) {
  notImplemented("getBatchResults");
}
std::vector<std::string> Connection::getQueryResultIds(const Job&, std::string_view) {
  notImplemented("getQueryResultIds");
}
QueryResultReader Connection::openQueryResult(const Job&, std::string_view, std::string_view) {
  notImplemented("openQueryResult");
}

std::string Connection::instanceUrl() { return {}; }
std::uint64_t Connection::requestCount() const { return 0; }
RetryPolicy Connection::retryPolicy() const { return RetryPolicy{}; }
void Connection::log(LogLevel, const std::string&) {}
std::shared_ptr<Bulk2Connection> Connection::bulk2() { return nullptr; }

}  // namespace sfdc::bulk
