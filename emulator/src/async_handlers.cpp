// The Bulk API 1.0 operations (§1.2) once routing and authentication are done.

#include <algorithm>
#include <cctype>

#include "batch_processor.hpp"
#include "handlers.hpp"
#include "job_request.hpp"
#include "wire_format.hpp"

namespace sfdc::emulator::server {

namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool validVersion(const std::string& version) {
  // The bare number with one decimal: 36.0, 47.0 (§1.1).
  const auto dot = version.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 2 != version.size()) return false;
  return std::all_of(version.begin(), version.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c));
  });
}

std::string mediaTypeOf(const std::string& header) {
  std::string type = header.substr(0, header.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(),
                            [](unsigned char c) { return std::isspace(c) != 0; }),
             type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

/// The request media type each job content type takes for its batches (§5).
std::string batchMediaType(const std::string& contentType) {
  if (contentType == "CSV") return "text/csv";
  if (contentType == "JSON") return "application/json";
  if (contentType == "ZIP_CSV") return "zip/csv";
  if (contentType == "ZIP_XML") return "zip/xml";
  if (contentType == "ZIP_JSON") return "zip/json";
  return "application/xml";
}

/// Media type of record data (request echo, DML results, query files) of a job.
const char* dataMediaType(const std::string& contentType) {
  if (contentType == "CSV" || contentType == "ZIP_CSV") return kCsvType;
  if (contentType == "JSON" || contentType == "ZIP_JSON") return kJsonType;
  return kXmlType;
}

Format requestFormat(const httplib::Request& request) {
  return mediaTypeOf(request.get_header_value("Content-Type")) == kJsonType ? Format::Json
                                                                            : Format::Xml;
}

Reply reply(int status, const char* contentType, std::string body) {
  Reply r;
  r.status = status;
  r.contentType = contentType;
  r.body = std::move(body);
  return r;
}

JobView requireJob(ServerContext& context, const std::string& jobId) {
  auto view = context.jobs.job(jobId);
  if (!view) throw ApiException(400, "InvalidJob", "Unable to find job for id: " + jobId);
  return *view;
}

Batch requireBatch(ServerContext& context, const std::string& jobId, const std::string& batchId) {
  auto batch = context.jobs.batch(jobId, batchId);
  if (!batch) throw ApiException(400, "InvalidBatch", "Unable to find batch for id: " + batchId);
  return *batch;
}

/// jobInfo requests are XML or JSON; another media type is refused [OBS SalesforceMagic
/// #1: "Unsupported content type: text/xml" at job creation; the code is the one the
/// service's AsyncExceptionCode list has for it]. A request without a Content-Type is read
/// as XML, as before.
void checkJobInfoContentType(const httplib::Request& request) {
  if (!request.has_header("Content-Type")) return;
  const std::string sent = mediaTypeOf(request.get_header_value("Content-Type"));
  if (sent != kXmlType && sent != kJsonType) {
    throw ApiException(400, "UnsupportedContentType", "Unsupported content type: " + sent);
  }
}

std::string windowText(std::chrono::milliseconds window) {
  using namespace std::chrono;
  if (window % hours(1) == milliseconds(0)) return std::to_string(window / hours(1)) + " hours";
  return std::to_string(window.count()) + " ms";
}

Reply createJob(ServerContext& context, const httplib::Request& request, const AsyncRoute& route) {
  checkJobInfoContentType(request);
  const Format format = requestFormat(request);
  const JobInfoRequest info =
      parseJobInfoRequest(request.body, format, context.options.strictXmlOrder);
  CreateJobHeaders headers;
  headers.pkChunking = request.get_header_value("Sforce-Enable-PKChunking");
  headers.lineEnding = request.get_header_value("Sforce-Line-Ending");
  headers.disableBatchRetry = request.get_header_value("Sforce-Disable-Batch-Retry");
  const Job job = context.jobs.createJob(buildJob(info, context.org, route.version, headers));
  // 201 for creates (§1.3 [INF]); the reply follows the request's format (§1.4).
  return reply(201, mediaType(format), formatJobInfo(requireJob(context, job.id), format));
}

Reply updateJob(ServerContext& context, const httplib::Request& request, const AsyncRoute& route) {
  checkJobInfoContentType(request);
  const Format format = requestFormat(request);
  const JobView current = requireJob(context, route.jobId);
  const JobInfoRequest info =
      parseJobInfoRequest(request.body, format, context.options.strictXmlOrder);
  const std::string state = requestedState(info, current.job);
  const JobView updated =
      state == "Closed" ? context.jobs.closeJob(route.jobId) : context.jobs.abortJob(route.jobId);
  return reply(200, mediaType(format), formatJobInfo(updated, format));
}

constexpr std::size_t kMaxBatchBodyBytes = 10'000'000;

Reply addBatch(ServerContext& context, BatchProcessor& processor, const httplib::Request& request,
               const AsyncRoute& route) {
  const JobView view = requireJob(context, route.jobId);
  const Job& job = view.job;
  const std::string sent = mediaTypeOf(request.get_header_value("Content-Type"));
  const std::string expected = batchMediaType(job.contentType);
  if (sent != expected) {
    const bool known = sent == "text/csv" || sent == "application/xml" ||
                       sent == "application/json" || sent.rfind("zip/", 0) == 0;
    if (!known) {
      // The observed message for e.g. text/xml (§5) [OBS SalesforceMagic #1].
      throw ApiException(400, "UnsupportedContentType", "Unsupported content type: " + sent);
    }
    throw ApiException(400, "InvalidBatch",
                       "Content-Type " + sent + " does not match the job's contentType " +
                           job.contentType + " (expected " + expected + ")");
  }
  // An oversized body is refused while it is read, before a batch exists [OBS jsforce #31,
  // ETCopyData #43: "Failed to read request. Exceeded max size limit of 10000000"]. The
  // service's limits are 10,000,000 characters and 10 MB; the observed number is bytes of
  // the (decompressed) body here, which also bounds the characters.
  if (request.body.size() > kMaxBatchBodyBytes) {
    throw ApiException(
        400, "ClientInputError",
        "Failed to read request. Exceeded max size limit of " + std::to_string(kMaxBatchBodyBytes));
  }
  // Counts against the org's allocation even when the job turns out not to be Open
  // (§8: such a batch is not created but counts).
  context.allocation.charge();
  // §8: no batches are added to a job older than 24 hours. The service's error for it is
  // not documented [INF: InvalidJobState, as for a job that is not Open].
  if (std::chrono::system_clock::now() - job.createdDate > context.options.jobBatchWindow) {
    throw ApiException(400, "InvalidJobState",
                       "Failed to create batch, since the Job was created more than " +
                           windowText(context.options.jobBatchWindow) +
                           " ago; create a new job for more batches");
  }
  // Anything else in the body is only checked when the batch runs: the server replies
  // Queued without validating it (§5).
  const Batch batch =
      context.jobs.addBatch(job.id, std::make_shared<const std::string>(request.body));
  processor.enqueue(job.id, batch.id, job.serial());
  return reply(201, mediaType(formatOfJob(job.contentType)),
               formatBatchInfo(batch, formatOfJob(job.contentType)));
}

Reply batchResult(ServerContext& context, const AsyncRoute& route) {
  const JobView view = requireJob(context, route.jobId);
  const Batch batch = requireBatch(context, route.jobId, route.batchId);
  const Format format = formatOfJob(view.job.contentType);
  if (batch.state == BatchState::Queued || batch.state == BatchState::InProgress) {
    throw ApiException(400, "InvalidBatch", "Batch not completed");
  }
  if (!batch.hasResults) {
    // A Failed batch that processed nothing, or a NotProcessed one (§4.1, §6.3).
    throw ApiException(400, "InvalidBatch", "Records not processed");
  }
  if (view.job.isQuery()) {
    // CSV jobs get the result-list as XML (§1.4, §6.3).
    return reply(200, mediaType(format), formatResultList(batch.resultFiles, format));
  }
  static const std::vector<DmlResult> kNone;
  return reply(
      200, dataMediaType(view.job.contentType),
      formatDmlResults(batch.dmlResults ? *batch.dmlResults : kNone, view.job.contentType));
}

Reply resultFile(ServerContext& context, const AsyncRoute& route) {
  const JobView view = requireJob(context, route.jobId);
  const Batch batch = requireBatch(context, route.jobId, route.batchId);
  for (const auto& file : batch.resultFiles) {
    // Ids are compared on their first 15 characters, so the 18-character form works too.
    if (route.resultId.substr(0, 15) == file.id) {
      Reply r = reply(200, dataMediaType(view.job.contentType), *file.body);
      r.gzippedBody = file.gzipped;
      return r;
    }
  }
  throw ApiException(400, "InvalidBatch", "Unable to find query result for id: " + route.resultId);
}

}  // namespace

bool AsyncRoute::allows(const std::string& method) const {
  switch (kind) {
    case Kind::Job:
    case Kind::Spec:
      return method == "POST";
    case Kind::JobId:
    case Kind::Batches:
      return method == "GET" || method == "POST";
    case Kind::BatchId:
    case Kind::BatchRequest:
    case Kind::BatchResult:
    case Kind::ResultFile:
      return method == "GET";
    case Kind::Invalid:
      return method == "GET" || method == "POST";
  }
  return false;
}

std::string AsyncRoute::endpoint(const std::string& method) const {
  const char* pattern = "<invalid>";
  switch (kind) {
    case Kind::Job:
      pattern = "/job";
      break;
    case Kind::JobId:
      pattern = "/job/{id}";
      break;
    case Kind::Batches:
      pattern = "/job/{id}/batch";
      break;
    case Kind::BatchId:
      pattern = "/job/{id}/batch/{batchId}";
      break;
    case Kind::BatchRequest:
      pattern = "/job/{id}/batch/{batchId}/request";
      break;
    case Kind::BatchResult:
      pattern = "/job/{id}/batch/{batchId}/result";
      break;
    case Kind::ResultFile:
      pattern = "/job/{id}/batch/{batchId}/result/{resultId}";
      break;
    case Kind::Spec:
      pattern = "/job/{id}/spec";
      break;
    case Kind::Invalid:
      break;
  }
  return method + " " + pattern;
}

AsyncRoute parseAsyncPath(const std::string& rawPath) {
  AsyncRoute route;
  static const std::string kPrefix = "/services/async/";
  if (rawPath.rfind(kPrefix, 0) != 0) return route;
  std::string path = rawPath.substr(kPrefix.size());
  // Real clients send trailing slashes (wsc POSTs to …/job/) (§1.1).
  while (!path.empty() && path.back() == '/') path.pop_back();
  const auto parts = splitPath(path);
  if (parts.size() < 2 || !validVersion(parts[0]) || parts[1] != "job") return route;
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    return route;
  }
  route.version = parts[0];
  const std::size_t n = parts.size();
  if (n == 2) {
    route.kind = AsyncRoute::Kind::Job;
    return route;
  }
  route.jobId = parts[2];
  if (n == 3) {
    route.kind = AsyncRoute::Kind::JobId;
  } else if (n == 4 && parts[3] == "batch") {
    route.kind = AsyncRoute::Kind::Batches;
  } else if (n == 4 && parts[3] == "spec") {
    route.kind = AsyncRoute::Kind::Spec;
  } else if (n >= 5 && parts[3] == "batch") {
    route.batchId = parts[4];
    if (n == 5) {
      route.kind = AsyncRoute::Kind::BatchId;
    } else if (n == 6 && parts[5] == "request") {
      route.kind = AsyncRoute::Kind::BatchRequest;
    } else if (n == 6 && parts[5] == "result") {
      route.kind = AsyncRoute::Kind::BatchResult;
    } else if (n == 7 && parts[5] == "result") {
      route.kind = AsyncRoute::Kind::ResultFile;
      route.resultId = parts[6];
    }
  }
  if (route.kind == AsyncRoute::Kind::Invalid) route.jobId.clear();
  return route;
}

Reply handleAsync(ServerContext& context, const httplib::Request& request,
                  const AsyncRoute& route) {
  using Kind = AsyncRoute::Kind;
  const bool post = request.method == "POST";
  switch (route.kind) {
    case Kind::Job:
      return createJob(context, request, route);
    case Kind::JobId:
      if (post) return updateJob(context, request, route);
      {
        const JobView view = requireJob(context, route.jobId);
        const Format format = formatOfJob(view.job.contentType);
        return reply(200, mediaType(format), formatJobInfo(view, format));
      }
    case Kind::Batches:
      if (post) return addBatch(context, *context.processor, request, route);
      {
        const JobView view = requireJob(context, route.jobId);
        const Format format = formatOfJob(view.job.contentType);
        return reply(200, mediaType(format),
                     formatBatchInfoList(context.jobs.batches(route.jobId), format));
      }
    case Kind::BatchId: {
      const JobView view = requireJob(context, route.jobId);
      const Format format = formatOfJob(view.job.contentType);
      return reply(200, mediaType(format),
                   formatBatchInfo(requireBatch(context, route.jobId, route.batchId), format));
    }
    case Kind::BatchRequest: {
      const JobView view = requireJob(context, route.jobId);
      const Batch batch = requireBatch(context, route.jobId, route.batchId);
      return reply(200, dataMediaType(view.job.contentType), batch.request ? *batch.request : "");
    }
    case Kind::BatchResult:
      return batchResult(context, route);
    case Kind::ResultFile:
      return resultFile(context, route);
    case Kind::Spec: {
      // The transformation spec (§5.7) is accepted for CSV jobs but not applied.
      const JobView view = requireJob(context, route.jobId);
      if (view.job.contentType != "CSV") {
        throw ApiException(400, "InvalidJob", "A transformation spec requires a CSV job");
      }
      const Format format = formatOfJob(view.job.contentType);
      return reply(201, mediaType(format), formatJobInfo(view, format));
    }
    case Kind::Invalid:
      break;
  }
  throw ApiException(400, "InvalidUrl", "Unknown URL: " + request.path);
}

}  // namespace sfdc::emulator::server
