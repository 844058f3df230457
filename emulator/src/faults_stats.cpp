#include "handlers.hpp"
#include "server_context.hpp"

namespace sfdc::emulator::server {

void FaultInjector::set(const Faults& faults) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_ = faults;
}

Faults FaultInjector::get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_;
}

FaultDecision FaultInjector::next() {
  std::lock_guard<std::mutex> lock(mutex_);
  FaultDecision d;
  d.delay = faults_.delay;
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

nlohmann::json faultsToJson(const Faults& f) {
  return {{"fail503", f.fail503},
          {"retryAfterSeconds", f.retryAfterSeconds},
          {"fail500", f.fail500},
          {"dropBeforeResponse", f.dropBeforeResponse},
          {"dropMidResponse", f.dropMidResponse},
          {"delayMs", f.delay.count()},
          {"failBatchMessage", f.failBatchMessage},
          {"lockFailureShare", f.lockFailureShare},
          {"tokenEndpoint", f.tokenEndpoint}};
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
    } else if (key == "lockFailureShare") {
      f.lockFailureShare = value.get<double>();
    } else if (key == "tokenEndpoint") {
      f.tokenEndpoint = value.get<bool>();
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
          {"faultsInjected", nlohmann::json(faults_)}};
}

void RequestStats::reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  total_ = 0;
  endpoints_.clear();
  jobs_.clear();
  statuses_.clear();
  faults_.clear();
}

}  // namespace sfdc::emulator::server
