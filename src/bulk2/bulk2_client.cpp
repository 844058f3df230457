// Bulk2Client: the public 2.0 operations as a thin layer over a Bulk2Connection. What is
// here checks the caller's input and turns convenient forms (text, streams, files, every
// page of a listing) into the connection's operations; the wire is in the connection.

#include <sfdc/bulk/bulk2_client.hpp>
#include <sfdc/bulk/error.hpp>

#include "body_sources.hpp"
#include "bulk2_checks.hpp"
#include "request_checks.hpp"

namespace sfdc::bulk {
namespace {

// Listings hold at most a few thousand pages; a server repeating a link must not keep
// the client paging for ever.
constexpr int kMaxListPages = 10'000;

template <typename Fetch>
std::vector<Bulk2JobInfo> allPages(const char* operation, Fetch fetch) {
  std::vector<Bulk2JobInfo> jobs;
  std::string next;
  for (int pages = 0;; ++pages) {
    if (pages == kMaxListPages) {
      throw ParseError(std::string(operation) + ": the listing did not end after " +
                       std::to_string(kMaxListPages) + " pages");
    }
    Bulk2JobPage page = fetch(next);
    for (auto& job : page.records) jobs.push_back(std::move(job));
    if (page.done || page.nextRecordsUrl.empty() || page.nextRecordsUrl == next) break;
    next = std::move(page.nextRecordsUrl);
  }
  return jobs;
}

IngestJob ingestHandle(const Bulk2JobInfo& info, std::string_view jobId) {
  if (info.isQuery()) {
    throw InvalidArgument("attachIngestJob: job " + std::string(jobId) +
                          " is a query job; use attachQueryJob");
  }
  return IngestJob::from(info);
}

}  // namespace

Bulk2Client::Bulk2Client(Config config) : Bulk2Client(makeBulk2Connection(std::move(config))) {}

Bulk2Client::Bulk2Client(Config config, std::shared_ptr<HttpTransport> transport)
    : connection_(transport ? makeBulk2Connection(std::move(config), std::move(transport))
                            : throw InvalidArgument("the HTTP transport is null")) {}

Bulk2Client::Bulk2Client(std::shared_ptr<Bulk2Connection> connection)
    : connection_(std::move(connection)) {
  if (!connection_) throw InvalidArgument("the Bulk API 2.0 connection is null");
}

Bulk2Client::~Bulk2Client() = default;
Bulk2Client::Bulk2Client(const Bulk2Client&) = default;
Bulk2Client& Bulk2Client::operator=(const Bulk2Client&) = default;
Bulk2Client::Bulk2Client(Bulk2Client&&) noexcept = default;
Bulk2Client& Bulk2Client::operator=(Bulk2Client&&) noexcept = default;

IngestJob Bulk2Client::createIngestJob(Operation operation, std::string_view object,
                                       const IngestJobOptions& options) {
  detail::validateIngestJobRequest(operation, object, options);
  return IngestJob::from(connection_->createIngestJob(operation, object, options));
}

IngestJob Bulk2Client::attachIngestJob(std::string_view jobId) {
  detail::requireId("attachIngestJob", "job id", jobId);
  return ingestHandle(connection_->getIngestJobInfo(jobId), jobId);
}

void Bulk2Client::uploadJobData(const IngestJob& job, std::string_view csv,
                                const UploadOptions& options) {
  uploadJobData(job, std::make_shared<detail::StringBodySource>(csv), options);
}

void Bulk2Client::uploadJobData(const IngestJob& job, std::istream& csv,
                                const UploadOptions& options) {
  uploadJobData(job, std::make_shared<detail::IstreamBodySource>(csv), options);
}

void Bulk2Client::uploadJobDataFromFile(const IngestJob& job, const std::string& path,
                                        const UploadOptions& options) {
  uploadJobData(job, std::make_shared<detail::FileBodySource>(path), options);
}

void Bulk2Client::uploadJobData(const IngestJob& job, std::shared_ptr<BodySource> csv,
                                const UploadOptions& options) {
  detail::requireId("uploadJobData", "job id", job.id);
  if (!csv) throw InvalidArgument("uploadJobData: the CSV body source is null");
  connection_->uploadJobData(job, std::move(csv), options);
}

Bulk2JobInfo Bulk2Client::closeJob(const IngestJob& job) {
  return connection_->closeIngestJob(job.id);
}

Bulk2JobInfo Bulk2Client::abortJob(const IngestJob& job) {
  return connection_->abortIngestJob(job.id);
}

Bulk2JobInfo Bulk2Client::getJobInfo(const IngestJob& job) {
  return connection_->getIngestJobInfo(job.id);
}

void Bulk2Client::deleteJob(const IngestJob& job) { connection_->deleteIngestJob(job.id); }

Bulk2CsvReader Bulk2Client::openResults(const IngestJob& job, IngestResultKind kind) {
  return connection_->openIngestResults(job, kind);
}

std::vector<Bulk2JobInfo> Bulk2Client::listIngestJobs(const Bulk2JobFilter& filter) {
  return allPages("listIngestJobs", [this, &filter](const std::string& next) {
    return connection_->listIngestJobs(filter, next);
  });
}

QueryJob Bulk2Client::createQueryJob(std::string_view soql, const QueryJobOptions& options) {
  detail::validateSoql(soql);
  return QueryJob::from(connection_->createQueryJob(soql, options));
}

QueryJob Bulk2Client::attachQueryJob(std::string_view jobId) {
  detail::requireId("attachQueryJob", "job id", jobId);
  Bulk2JobInfo info = connection_->getQueryJobInfo(jobId);
  if (!info.isQuery()) {
    throw InvalidArgument("attachQueryJob: job " + std::string(jobId) +
                          " is an ingest job; use attachIngestJob");
  }
  return QueryJob::from(info);
}

Bulk2JobInfo Bulk2Client::getJobInfo(const QueryJob& job) {
  return connection_->getQueryJobInfo(job.id);
}

Bulk2JobInfo Bulk2Client::abortJob(const QueryJob& job) {
  return connection_->abortQueryJob(job.id);
}

void Bulk2Client::deleteJob(const QueryJob& job) { connection_->deleteQueryJob(job.id); }

Bulk2CsvReader Bulk2Client::openResults(const QueryJob& job, const QueryPageRequest& page) {
  return connection_->openQueryResults(job, page);
}

std::vector<std::string> Bulk2Client::resultPageUrls(const QueryJob& job) {
  std::vector<std::string> urls;
  std::string next;
  for (int sets = 0;; ++sets) {
    if (sets == kMaxListPages) {
      throw ParseError("resultPageUrls: the links did not end after " +
                       std::to_string(kMaxListPages) + " sets");
    }
    QueryResultPageLinks links = connection_->getQueryResultPages(job, next);
    for (auto& url : links.resultUrls) urls.push_back(std::move(url));
    if (links.done || links.nextRecordsUrl.empty() || links.nextRecordsUrl == next) break;
    next = std::move(links.nextRecordsUrl);
  }
  return urls;
}

Bulk2CsvReader Bulk2Client::openResultsUrl(const QueryJob& job, std::string_view resultUrl) {
  return connection_->openQueryResultsUrl(job, resultUrl);
}

std::vector<Bulk2JobInfo> Bulk2Client::listQueryJobs(const Bulk2JobFilter& filter) {
  return allPages("listQueryJobs", [this, &filter](const std::string& next) {
    return connection_->listQueryJobs(filter, next);
  });
}

std::string Bulk2Client::instanceUrl() const { return connection_->instanceUrl(); }

std::uint64_t Bulk2Client::requestCount() const noexcept {
  // A user's connection may throw; the count is informational, so a failure reads as 0.
  try {
    return connection_->requestCount();
  } catch (...) {
    return 0;
  }
}

}  // namespace sfdc::bulk
