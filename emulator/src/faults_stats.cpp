#include "handlers.hpp"
#include "server_context.hpp"

namespace sfdc::emulator::server {

namespace {

constexpr const char* kFaultTargets[] = {"any",      "createJob",   "getJob",      "closeJob",
                                         "addBatch", "pollBatches", "batchResult", "queryResult"};

void checkFaultTarget(const std::string& onlyFor) {
  for (const char* known : kFaultTargets) {
    if (onlyFor == known) return;
  }
  std::string names;
  for (const char* known : kFaultTargets) names += std::string(names.empty() ? "" : ", ") + known;
  throw std::invalid_argument("unknown onlyFor \"" + onlyFor + "\" (expected one of " + names +
                              ")");
}

}  // namespace

std::string faultTarget(const AsyncRoute& route, const std::string& method) {
  using Kind = AsyncRoute::Kind;
  const bool get = method == "GET";
  const bool post = method == "POST";
  if (route.kind == Kind::Job && post) return "createJob";
  if (route.kind == Kind::JobId && get) return "getJob";
  if (route.kind == Kind::JobId && post) return "closeJob";
  if (route.kind == Kind::Batches && post) return "addBatch";
  if ((route.kind == Kind::Batches || route.kind == Kind::BatchId) && get) return "pollBatches";
  if (route.kind == Kind::BatchResult && get) return "batchResult";
  if (route.kind == Kind::ResultFile && get) return "queryResult";
  return "other";
}

void FaultInjector::set(const Faults& faults) {
  checkFaultTarget(faults.onlyFor);
  std::lock_guard<std::mutex> lock(mutex_);
  faults_ = faults;
}

Faults FaultInjector::get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_;
}

FaultDecision FaultInjector::next(const std::string& target) {
  std::lock_guard<std::mutex> lock(mutex_);
  FaultDecision d;
  if (faults_.onlyFor != "any" && faults_.onlyFor != target) return d;
  d.delay = faults_.delay;
  const bool pending = faults_.fail503 > 0 || faults_.fail500 > 0 ||
                       faults_.dropBeforeResponse > 0 || faults_.dropMidResponse > 0;
  if (pending && faults_.skipRequests > 0) {
    --faults_.skipRequests;
    return d;
  }
  if (faults_.fail503 > 0) {
    --faults_.fail503;
    d.status = 503;
    d.retryAfterSeconds = faults_.retryAfterSeconds;
  } else if (faults_.fail500 > 0) {
    --faults_.fail500;
    d.status = 500;
  } else if (faults_.dropBeforeResponse > 0) {
    --faults_.dropBeforeResponse;
    d.dropBeforeResponse = true;
  } else if (faults_.dropMidResponse > 0) {
    --faults_.dropMidResponse;
    d.dropMidResponse = true;
  }
  return d;
}

bool FaultInjector::takeTransientBatchFailure() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (faults_.transientBatchFailures <= 0) return false;
  --faults_.transientBatchFailures;
  return true;
}

nlohmann::json faultsToJson(const Faults& f) {
  return {{"fail503", f.fail503},
          {"retryAfterSeconds", f.retryAfterSeconds},
          {"fail500", f.fail500},
          {"dropBeforeResponse", f.dropBeforeResponse},
          {"dropMidResponse", f.dropMidResponse},
          {"delayMs", f.delay.count()},
          {"failBatchMessage", f.failBatchMessage},
          {"transientBatchFailures", f.transientBatchFailures},
          {"lockFailureShare", f.lockFailureShare},
          {"tokenEndpoint", f.tokenEndpoint},
          {"onlyFor", f.onlyFor},
          {"skipRequests", f.skipRequests}};
}

Faults faultsFromJson(const nlohmann::json& json, Faults f) {
  if (!json.is_object()) throw std::invalid_argument("faults must be a JSON object");
  for (const auto& [key, value] : json.items()) {
    if (key == "fail503") {
      f.fail503 = value.get<int>();
    } else if (key == "retryAfterSeconds") {
      f.retryAfterSeconds = value.get<int>();
    } else if (key == "fail500") {
      f.fail500 = value.get<int>();
    } else if (key == "dropBeforeResponse") {
      f.dropBeforeResponse = value.get<int>();
    } else if (key == "dropMidResponse") {
      f.dropMidResponse = value.get<int>();
    } else if (key == "delayMs") {
      f.delay = std::chrono::milliseconds(value.get<long long>());
    } else if (key == "failBatchMessage") {
      f.failBatchMessage = value.get<std::string>();
    } else if (key == "transientBatchFailures") {
      f.transientBatchFailures = value.get<int>();
    } else if (key == "lockFailureShare") {
      f.lockFailureShare = value.get<double>();
    } else if (key == "tokenEndpoint") {
      f.tokenEndpoint = value.get<bool>();
    } else if (key == "onlyFor") {
      f.onlyFor = value.get<std::string>();
      checkFaultTarget(f.onlyFor);
    } else if (key == "skipRequests") {
      f.skipRequests = value.get<int>();
    } else {
      throw std::invalid_argument("unknown fault: " + key);
    }
  }
  return f;
}

void RequestStats::count(const std::string& endpoint, const std::string& jobId) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++total_;
  ++endpoints_[endpoint];
  if (!jobId.empty()) ++jobs_[jobId][endpoint];
}

void RequestStats::countStatus(int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++statuses_[std::to_string(status)];
}

void RequestStats::countFault(const std::string& kind) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++faults_[kind];
}

void RequestStats::countQueryResultDownload(std::size_t bytes, const std::string& connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  queryResultBytes_ += static_cast<long long>(bytes);
  ++queryResultResponses_;
  queryResultConnections_.insert(connection);
}

nlohmann::json RequestStats::toJson() const {
  std::lock_guard<std::mutex> lock(mutex_);
  nlohmann::json jobs = nlohmann::json::object();
  for (const auto& [jobId, endpoints] : jobs_) {
    long long sum = 0;
    for (const auto& [name, n] : endpoints) sum += n;
    jobs[jobId] = {{"total", sum}, {"endpoints", endpoints}};
  }
  return {{"total", total_},
          {"endpoints", nlohmann::json(endpoints_)},
          {"jobs", jobs},
          {"statusCodes", nlohmann::json(statuses_)},
          {"faultsInjected", nlohmann::json(faults_)},
          {"queryResultDownloads",
           {{"bytes", queryResultBytes_},
            {"responses", queryResultResponses_},
            {"connections", queryResultConnections_.size()}}}};
}

void RequestStats::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ = 0;
  endpoints_.clear();
  jobs_.clear();
  statuses_.clear();
  faults_.clear();
  queryResultBytes_ = 0;
  queryResultResponses_ = 0;
  queryResultConnections_.clear();
}

}  // namespace sfdc::emulator::server
