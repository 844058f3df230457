// Bulk API 2.0 query jobs: the SOQL checked when the job is created, run on the shared
// worker pool and throughput model, results paged by locator (and listed for parallel
// download by resultPages), abort and delete.

#include <algorithm>
#include <cctype>

#include "base64.hpp"
#include "batch_processor.hpp"
#include "bulk2_handlers.hpp"
#include "gzip.hpp"
#include "network_model.hpp"

namespace sfdc::emulator::server {

namespace {

/// Locators are opaque to clients: the base64 of the next row's offset.
std::string locatorOf(std::size_t offset) {
  const std::string text = std::to_string(offset);
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(text[i]) << 16) |
                       (static_cast<unsigned char>(text[i + 1]) << 8) |
                       static_cast<unsigned char>(text[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < text.size()) {
    unsigned n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size()) n |= static_cast<unsigned char>(text[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < text.size()) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::size_t offsetOf(const std::string& locator) {
  if (locator.empty()) return 0;
  try {
    const auto text = base64Decode(locator, Base64Alphabet::Standard);
    std::size_t used = 0;
    const std::size_t offset = text ? std::stoul(*text, &used) : 0;
    if (text && used == text->size()) return offset;
  } catch (const std::exception&) {
  }
  throw ApiException(400, "INVALIDLOCATOR", "Invalid locator: " + locator);
}

/// The object after the top-level FROM.
std::string fromObject(const std::string& soql) { return soqlFromObject(soql); }

/// The worker's part of a query job: the query over the org as it is now, written as the
/// job's CSV results. Returns the rows, which the throughput model charges for.
long long runQueryJob(ServerContext& context, Bulk2Job& job, bool all) {
  std::string soql;
  char delimiter = ',';
  std::string lineEnd;
  {
    std::lock_guard<std::mutex> lock(job.mutex);
    if (job.state == "UploadComplete") job.state = "InProgress";
    if (job.state != "InProgress") return 0;  // aborted while queued
    soql = job.soql;
    delimiter = job.delimiter;
    lineEnd = job.lineEnding == "CRLF" ? "\r\n" : "\n";
  }
  std::shared_ptr<const CsvResults> results;
  std::string failure;
  try {
    const QueryOutput output = context.org.query(soql, all);
    CsvResults written = writeCsvResults(output.columns, output.rows, delimiter, lineEnd);
    // Over a modelled network a page's bytes leave as soon as it is asked for, as from a
    // server that streams them; compressed here, the work hides in the job's modelled time.
    if (NetworkModel::of(context.options).active()) {
      const std::size_t size = context.options.bulk2QueryPageRows;
      written.gzippedPageRows = size;
      for (std::size_t first = 0; first < written.rowCount(); first += size) {
        const std::size_t last = std::min(written.rowCount(), first + size);
        written.gzippedPages.push_back(std::make_shared<const std::string>(
            gzipCompress(written.header + std::string(written.slice(first, last)))));
      }
    }
    results = std::make_shared<const CsvResults>(std::move(written));
  } catch (const std::exception& e) {
    failure = e.what();  // the schema changed since the job was created
  }
  std::lock_guard<std::mutex> lock(job.mutex);
  if (job.state != "InProgress") return 0;
  if (!results) {
    job.errorMessage = failure;
    return 0;
  }
  job.results = results;
  return static_cast<long long>(results->rowCount());
}

Reply create(ServerContext& context, const httplib::Request& request, const Bulk2Route& route) {
  const nlohmann::json body = bulk2Body(request);
  auto job = std::make_shared<Bulk2Job>();
  job->query = true;
  job->operation = bulk2StringField(body, "operation");
  job->soql = bulk2StringField(body, "query");
  if (job->operation != "query" && job->operation != "queryAll") {
    throw ApiException(400, "API_ERROR", "Invalid operation: '" + job->operation + "'");
  }
  if (job->soql.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw ApiException(400, "API_ERROR", "Field 'query' is required");
  }
  bulk2CsvFormat(body, *job);
  const ObjectDef* object = context.org.object(fromObject(job->soql));
  if (object == nullptr) {
    throw ApiException(400, "INVALIDENTITY",
                       "Entity '" + fromObject(job->soql) + "' is not supported by the Bulk API.");
  }
  job->object = object->name;
  // The SOQL is checked when the job is created [DOC]; it runs on a worker, whose time
  // the throughput model counts, and the results are written there once as CSV.
  const bool all = job->operation == "queryAll";
  try {
    context.org.checkQuery(job->soql);
  } catch (const BatchFailure& e) {
    const std::string message = e.what();
    const auto sep = message.find(" : ");
    const std::string code = sep == std::string::npos ? "API_ERROR" : message.substr(0, sep);
    throw ApiException(400, code, sep == std::string::npos ? message : message.substr(sep + 3));
  }
  job->apiVersion = route.version;
  job->id = context.jobs.newId("750");
  job->createdById = context.jobs.userId();
  job->createdDate = job->systemModstamp = Clock::now();
  job->state = "UploadComplete";
  context.bulk2.add(job);
  Reply reply;
  {
    // The answer shows the job as created, before a worker may pick it up.
    std::lock_guard<std::mutex> lock(job->mutex);
    reply = bulk2Json(bulk2JobInfo(*job, Bulk2InfoForm::Create));
  }
  context.processor->enqueueWork([&context, job, all] { return runQueryJob(context, *job, all); },
                                 [job] {
                                   std::lock_guard<std::mutex> lock(job->mutex);
                                   if (job->state != "InProgress") return;
                                   job->state = job->results ? "JobComplete" : "Failed";
                                   job->systemModstamp = Clock::now();
                                   job->totalProcessingMs =
                                       std::chrono::duration_cast<std::chrono::milliseconds>(
                                           job->systemModstamp - job->createdDate)
                                           .count();
                                 },
                                 queryCostPerRecord(context.options));
  return reply;
}

std::size_t pageRows(ServerContext& context, const httplib::Request& request) {
  const std::string max = request.get_param_value("maxRecords");
  if (max.empty()) return context.options.bulk2QueryPageRows;
  try {
    const long long n = std::stoll(max);
    if (n > 0) return static_cast<std::size_t>(n);
  } catch (const std::exception&) {
  }
  throw ApiException(400, "API_ERROR", "Invalid maxRecords: " + max);
}

void requireComplete(const Bulk2Job& job) {
  if (job.state != "JobComplete") {
    std::string upper;
    for (char c : job.state) {
      if (std::isupper(static_cast<unsigned char>(c)) && !upper.empty()) upper += '_';
      upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    throw ApiException(412, "JOB_NOT_COMPLETE",
                       "can only download query results of successfully completed bulk job "
                       "with status: JOB_COMPLETE. Current status: " +
                           upper);
  }
}

Reply results(ServerContext& context, const httplib::Request& request, Bulk2Job& job,
              const Bulk2Route& route) {
  if (!bulk2AcceptsCsv(request)) {
    Reply refused;
    refused.status = 406;
    return refused;
  }
  std::shared_ptr<const CsvResults> written;
  {
    std::lock_guard<std::mutex> lock(job.mutex);
    requireComplete(job);
    if (route.version != job.apiVersion) {
      throw ApiException(409, "API_VERSION_MISMATCH",
                         "The results of this job must be read with API version " + job.apiVersion);
    }
    // Written once and never changed: pages are copied outside the lock, so parallel
    // downloads of one job do not wait for each other.
    written = job.results;
  }
  const CsvResults& results = *written;
  const std::size_t offset = offsetOf(request.get_param_value("locator"));
  const std::size_t size = pageRows(context, request);
  const std::size_t total = results.rowCount();
  const std::size_t end = offset < total ? offset + std::min(size, total - offset) : offset;
  const std::string_view rows = results.slice(offset, end);
  // Every page is a whole CSV file, header included [DOC].
  std::string body;
  body.reserve(results.header.size() + rows.size());
  body += results.header;
  body += rows;
  Reply reply;
  reply.contentType = kCsvType;
  reply.body = std::move(body);
  if (size == results.gzippedPageRows && offset % size == 0 &&
      offset / size < results.gzippedPages.size()) {
    reply.gzippedBody = results.gzippedPages[offset / size];
  }
  reply.headers.emplace_back("Sforce-NumberOfRecords",
                             std::to_string(end > offset ? end - offset : 0));
  reply.headers.emplace_back("Sforce-Locator", end < total ? locatorOf(end) : "null");
  return reply;
}

/// Up to five links to result pages per answer (API 58.0 and later).
Reply resultPages(ServerContext& context, const httplib::Request& request, Bulk2Job& job,
                  const Bulk2Route& route) {
  constexpr std::size_t kLinksPerAnswer = 5;
  std::lock_guard<std::mutex> lock(job.mutex);
  requireComplete(job);
  const std::size_t size = context.options.bulk2QueryPageRows;
  const std::size_t rows = job.results->rowCount();
  std::size_t offset = offsetOf(request.get_param_value("locator"));
  const std::string base = "/services/data/v" + route.version + "/jobs/query/" + job.id;
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  for (std::size_t n = 0;
       n < kLinksPerAnswer && (offset < rows || (rows == 0 && offset == 0 && n == 0)); ++n) {
    std::string url = base + "/results?maxRecords=" + std::to_string(size);
    if (offset > 0) url += "&locator=" + locatorOf(offset);
    links.push_back({{"resultUrl", url}});
    offset += size;
  }
  nlohmann::ordered_json answer = {{"resultPages", links}};
  if (offset < rows) {
    answer["nextRecordsUrl"] = base + "/resultpages?locator=" + locatorOf(offset);
    answer["done"] = false;
  } else {
    answer["nextRecordsUrl"] = nullptr;
    answer["done"] = true;
  }
  return bulk2Json(answer);
}

}  // namespace

Reply createQueryJob(ServerContext& context, const httplib::Request& request,
                     const Bulk2Route& route) {
  return create(context, request, route);
}

Reply changeQueryState(const httplib::Request& request, Bulk2Job& job) {
  const nlohmann::json body = bulk2Body(request);
  std::lock_guard<std::mutex> lock(job.mutex);
  if (body.value("state", "") != "Aborted") {
    throw ApiException(400, "INVALIDJOBSTATE", "A query job can only be Aborted");
  }
  if (job.terminal()) {
    throw ApiException(400, "INVALIDJOBSTATE", "Aborting already Completed Job not allowed");
  }
  job.state = "Aborted";
  job.systemModstamp = Clock::now();
  return bulk2Json(bulk2JobInfo(job, Bulk2InfoForm::Short));
}

Reply queryResource(ServerContext& context, const httplib::Request& request,
                    const Bulk2Route& route, Bulk2Job& job) {
  if (request.method != "GET") throw bulk2MethodNotAllowed(request.method, "GET");
  if (route.suffix == "results") return results(context, request, job, route);
  if (route.suffix == "resultpages" && bulk2Version(route.version) >= 58.0) {
    return resultPages(context, request, job, route);
  }
  throw ApiException(404, "NOT_FOUND", "The requested resource does not exist");
}

}  // namespace sfdc::emulator::server
