// The defaults of Bulk2Connection: every operation refuses, so that a fake or a wrapper
// only overrides what it uses, and a forgotten one says which operation it was.

#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfdc::bulk {
namespace {

[[noreturn]] void notImplemented(const char* operation) {
  throw Error(std::string("Bulk2Connection::") + operation +
              " is not implemented by this connection");
}

}  // namespace

Bulk2Connection::~Bulk2Connection() = default;

Bulk2JobInfo Bulk2Connection::createIngestJob(Operation, std::string_view,
                                              const IngestJobOptions&) {
  notImplemented("createIngestJob");
}
void Bulk2Connection::uploadJobData(const IngestJob&, std::shared_ptr<BodySource>,
                                    const UploadOptions&) {
  notImplemented("uploadJobData");
}
Bulk2JobInfo Bulk2Connection::closeIngestJob(std::string_view) { notImplemented("closeIngestJob"); }
Bulk2JobInfo Bulk2Connection::abortIngestJob(std::string_view) { notImplemented("abortIngestJob"); }
Bulk2JobInfo Bulk2Connection::getIngestJobInfo(std::string_view) {
  notImplemented("getIngestJobInfo");
}
void Bulk2Connection::deleteIngestJob(std::string_view) { notImplemented("deleteIngestJob"); }
Bulk2JobPage Bulk2Connection::listIngestJobs(const Bulk2JobFilter&, std::string_view) {
  notImplemented("listIngestJobs");
}
Bulk2CsvReader Bulk2Connection::openIngestResults(const IngestJob&, IngestResultKind) {
  notImplemented("openIngestResults");
}
Bulk2JobInfo Bulk2Connection::createQueryJob(std::string_view, const QueryJobOptions&) {
  notImplemented("createQueryJob");
}
Bulk2JobInfo Bulk2Connection::getQueryJobInfo(std::string_view) {
  notImplemented("getQueryJobInfo");
}
Bulk2JobInfo Bulk2Connection::abortQueryJob(std::string_view) { notImplemented("abortQueryJob"); }
void Bulk2Connection::deleteQueryJob(std::string_view) { notImplemented("deleteQueryJob"); }
Bulk2JobPage Bulk2Connection::listQueryJobs(const Bulk2JobFilter&, std::string_view) {
  notImplemented("listQueryJobs");
}
Bulk2CsvReader Bulk2Connection::openQueryResults(const QueryJob&, const QueryPageRequest&) {
  notImplemented("openQueryResults");
}
QueryResultPageLinks Bulk2Connection::getQueryResultPages(const QueryJob&, std::string_view) {
  notImplemented("getQueryResultPages");
}
Bulk2CsvReader Bulk2Connection::openQueryResultsUrl(const QueryJob&, std::string_view) {
  notImplemented("openQueryResultsUrl");
}

std::string Bulk2Connection::instanceUrl() { return {}; }
std::uint64_t Bulk2Connection::requestCount() const { return 0; }
RetryPolicy Bulk2Connection::retryPolicy() const { return RetryPolicy{}; }
void Bulk2Connection::log(LogLevel, const std::string&) {}

}  // namespace sfdc::bulk
