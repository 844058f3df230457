// Bulk API 2.0 routing, listings and the helpers the ingest and query handlers share.

#include <algorithm>
#include <cctype>

#include "bulk2_handlers.hpp"

namespace sfdc::emulator::server {

namespace {

constexpr std::size_t kListPageSize = 1000;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool validVersion(const std::string& version) {
  const auto dot = version.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 2 != version.size()) return false;
  return std::all_of(version.begin(), version.end(), [](char c) {
    return c == '.' || std::isdigit(static_cast<unsigned char>(c));
  });
}

}  // namespace

Bulk2Route parseBulk2Path(const std::string& path) {
  Bulk2Route route;
  const std::string prefix = "/services/data/v";
  if (path.rfind(prefix, 0) != 0) return route;
  std::string rest = path.substr(prefix.size());
  // One trailing slash is accepted (Data Loader and the docs write one); an empty segment
  // inside the path is not (the service answers 404).
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t end = std::min(rest.find('/', start), rest.size());
    parts.push_back(rest.substr(start, end - start));
    start = end + 1;
  }
  if (parts.size() < 3 || parts.size() > 5 || parts[1] != "jobs") return route;
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); })) {
    return route;
  }
  route.version = parts[0];
  if (!validVersion(route.version)) return route;
  if (parts[2] != "ingest" && parts[2] != "query") return route;
  route.query = parts[2] == "query";
  if (parts.size() >= 4) route.jobId = parts[3];
  if (parts.size() == 5) route.suffix = lower(parts[4]);
  route.valid = true;
  return route;
}

std::string Bulk2Route::endpoint(const std::string& method) const {
  std::string name = method + (query ? " /jobs/query" : " /jobs/ingest");
  if (!jobId.empty()) name += "/{id}";
  if (!suffix.empty()) name += "/" + suffix;
  return name;
}

std::string Bulk2Route::faultTarget(const std::string& method) const {
  if (jobId.empty()) return method == "POST" ? "createJob" : "other";
  if (suffix.empty()) {
    if (method == "GET") return "getJob";
    if (method == "PATCH") return "closeJob";
    return "other";
  }
  if (suffix == "batches") return "addBatch";
  return query ? "queryResult" : "batchResult";
}

std::string bulk2ErrorBody(const std::string& code, const std::string& message) {
  return nlohmann::json::array({{{"errorCode", code}, {"message", message}}}).dump();
}

Reply bulk2Json(const nlohmann::ordered_json& body, int status) {
  Reply reply;
  reply.status = status;
  reply.contentType = kJsonType;
  reply.body = body.dump();
  return reply;
}

nlohmann::json bulk2Body(const httplib::Request& request) {
  nlohmann::json body;
  try {
    body = nlohmann::json::parse(request.body);
  } catch (const std::exception&) {
    throw ApiException(400, "JSON_PARSER_ERROR", "The request body is not valid JSON");
  }
  if (!body.is_object()) {
    throw ApiException(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
  }
  return body;
}

std::string bulk2StringField(const nlohmann::json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_string()) {
    // The service's words for a wrong JSON type [OBS].
    throw ApiException(400, "API_ERROR",
                       std::string("Value does not match expected type for ") + name);
  }
  return it->get<std::string>();
}

void bulk2CsvFormat(const nlohmann::json& body, Bulk2Job& job) {
  const std::string contentType = bulk2StringField(body, "contentType");
  if (!contentType.empty() && contentType != "CSV") {
    throw ApiException(400, "API_ERROR", "Unsupported content type: '" + contentType + "'");
  }
  const std::string delimiter = bulk2StringField(body, "columnDelimiter");
  if (!delimiter.empty()) {
    if (delimiterOf(delimiter) == 0) {
      throw ApiException(400, "API_ERROR", "Invalid columnDelimiter: '" + delimiter + "'");
    }
    job.columnDelimiter = delimiter;
    job.delimiter = delimiterOf(delimiter);
  }
  const std::string ending = bulk2StringField(body, "lineEnding");
  if (!ending.empty()) {
    if (ending != "LF" && ending != "CRLF") {
      throw ApiException(400, "API_ERROR", "Invalid lineEnding: '" + ending + "'");
    }
    job.lineEnding = ending;
  }
}

double bulk2Version(const std::string& version) {
  try {
    return std::stod(version);
  } catch (const std::exception&) {
    return 0;
  }
}

std::shared_ptr<Bulk2Job> bulk2Job(ServerContext& context, const Bulk2Route& route) {
  auto job = context.bulk2.find(route.jobId);
  // A query job's id under /jobs/ingest (and the reverse) does not exist either [CODE].
  if (!job || job->query != route.query) {
    throw ApiException(404, "NOT_FOUND", "The requested resource does not exist");
  }
  return job;
}

Reply bulk2List(ServerContext& context, const httplib::Request& request, const Bulk2Route& route) {
  const std::string jobType = request.get_param_value("jobType");
  std::vector<nlohmann::ordered_json> records;
  for (const auto& job : context.bulk2.all()) {
    std::lock_guard<std::mutex> lock(job->mutex);
    if (job->query != route.query) continue;
    records.push_back(bulk2JobInfo(*job, Bulk2InfoForm::Full));
  }
  // Listings include Bulk API 1.0 jobs, as jobType Classic [DOC].
  for (const auto& job : context.jobs.allJobs()) {
    if (job.isQuery() != route.query) continue;
    records.push_back(classicJobInfo(job));
  }
  if (!jobType.empty()) {
    records.erase(std::remove_if(records.begin(), records.end(),
                                 [&](const nlohmann::ordered_json& r) {
                                   return r.value("jobType", "") != jobType;
                                 }),
                  records.end());
  }
  std::size_t offset = 0;
  const std::string locator = request.get_param_value("queryLocator");
  if (!locator.empty()) {
    try {
      offset = std::stoul(locator);
    } catch (const std::exception&) {
      throw ApiException(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
  }
  nlohmann::ordered_json page = {{"done", true}, {"records", nlohmann::ordered_json::array()}};
  for (std::size_t i = offset; i < records.size() && i < offset + kListPageSize; ++i) {
    page["records"].push_back(records[i]);
  }
  if (offset + kListPageSize < records.size()) {
    page["done"] = false;
    page["nextRecordsUrl"] = "/services/data/v" + route.version + "/jobs/" +
                             (route.query ? "query" : "ingest") +
                             "?queryLocator=" + std::to_string(offset + kListPageSize) +
                             (jobType.empty() ? "" : "&jobType=" + jobType);
  } else {
    page["nextRecordsUrl"] = nullptr;
  }
  return bulk2Json(page);
}

Reply handleBulk2(ServerContext& context, const httplib::Request& request,
                  const Bulk2Route& route) {
  const double version = bulk2Version(route.version);
  // The resources appeared in 41.0 (ingest) and 47.0 (query); older versions have none.
  if (version < (route.query ? 47.0 : 41.0)) {
    throw ApiException(404, "NOT_FOUND", "The requested resource does not exist");
  }
  const std::string& method = request.method;
  if (route.jobId.empty()) {
    if (method == "POST") {
      return route.query ? createQueryJob(context, request, route)
                         : createIngestJob(context, request, route);
    }
    if (method == "GET") return bulk2List(context, request, route);
    throw bulk2MethodNotAllowed(method, "GET,POST");
  }
  auto job = bulk2Job(context, route);
  if (!route.suffix.empty()) {
    return route.query ? queryResource(context, request, route, *job)
                       : ingestResource(context, request, route, *job);
  }
  if (method == "GET") {
    std::lock_guard<std::mutex> lock(job->mutex);
    return bulk2Json(bulk2JobInfo(*job, Bulk2InfoForm::Full));
  }
  if (method == "PATCH") {
    return route.query ? changeQueryState(request, *job) : changeIngestState(context, request, job);
  }
  if (method != "DELETE") throw bulk2MethodNotAllowed(method, "GET,PATCH,DELETE");
  {
    std::lock_guard<std::mutex> lock(job->mutex);
    // Query jobs only once terminal [DOC]; ingest jobs also once UploadComplete [DOC], but
    // not while their batches run [INF].
    const bool deletable =
        route.query ? job->terminal() : job->state != "Open" && job->state != "InProgress";
    if (!deletable) {
      throw ApiException(400, "API_ERROR",
                         "Error encountered when deleting the job because the job is not "
                         "terminated");
    }
  }
  context.bulk2.erase(job->id);
  Reply reply;
  reply.status = 204;
  return reply;
}

ApiException bulk2MethodNotAllowed(const std::string& method, const std::string& allowed) {
  return ApiException(405, "METHODNOTALLOWED",
                      "HTTP Method '" + method + "' not allowed. Allowed are " + allowed);
}

bool bulk2AcceptsCsv(const httplib::Request& request) {
  const std::string accept = request.get_header_value("Accept");
  return accept.empty() || accept.find("text/csv") != std::string::npos ||
         accept.find("*/*") != std::string::npos || accept.find("text/*") != std::string::npos;
}

}  // namespace sfdc::emulator::server
