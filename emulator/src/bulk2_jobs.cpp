#include "bulk2_jobs.hpp"

#include <algorithm>

#include "wire_format.hpp"

namespace sfdc::emulator::server {

long long Bulk2Job::recordsProcessed() const {
  if (query)
    return results && state == "JobComplete" ? static_cast<long long>(results->rowCount()) : 0;
  long long n = 0;
  for (const auto& chunk : chunks) {
    if (chunk.state == Bulk2Chunk::State::Done) n += static_cast<long long>(chunk.results.size());
  }
  return n;
}

long long Bulk2Job::recordsFailed() const {
  long long n = 0;
  for (const auto& chunk : chunks) {
    n += std::count_if(chunk.results.begin(), chunk.results.end(),
                       [](const DmlResult& r) { return !r.success; });
  }
  return n;
}

std::shared_ptr<Bulk2Job> Bulk2Store::add(std::shared_ptr<Bulk2Job> job) {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_[job->id] = job;
  return job;
}

std::shared_ptr<Bulk2Job> Bulk2Store::find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  // 15-character ids address the same job as their 18-character form.
  for (const auto& [key, job] : jobs_) {
    if (key == id || (id.size() == 15 && key.compare(0, 15, id) == 0)) return job;
  }
  return nullptr;
}

void Bulk2Store::erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_.erase(id);
}

std::vector<std::shared_ptr<Bulk2Job>> Bulk2Store::all() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<Bulk2Job>> out;
  for (const auto& [id, job] : jobs_) out.push_back(job);
  return out;
}

void Bulk2Store::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_.clear();
}

namespace {

/// `apiVersion` is a JSON number with one decimal (66.0), as the service writes it.
nlohmann::ordered_json versionNumber(const std::string& version) {
  try {
    return nlohmann::ordered_json::parse(version);
  } catch (const std::exception&) {
    return version;
  }
}

}  // namespace

nlohmann::ordered_json bulk2JobInfo(const Bulk2Job& job, Bulk2InfoForm form) {
  // The documented key order: id, operation, object, createdById, createdDate,
  // systemModstamp, state, [externalIdFieldName], [assignmentRuleId], concurrencyMode,
  // contentType, apiVersion, [jobType], [contentUrl], lineEnding, columnDelimiter,
  // [counters], [isPkChunkingSupported].
  nlohmann::ordered_json info = {{"id", job.id},
                                 {"operation", job.operation},
                                 {"object", job.object},
                                 {"createdById", job.createdById},
                                 {"createdDate", formatDate(job.createdDate, Format::Json)},
                                 {"systemModstamp", formatDate(job.systemModstamp, Format::Json)},
                                 {"state", job.state}};
  if (!job.externalIdFieldName.empty()) info["externalIdFieldName"] = job.externalIdFieldName;
  if (!job.assignmentRuleId.empty()) info["assignmentRuleId"] = job.assignmentRuleId;
  info["concurrencyMode"] = "Parallel";
  info["contentType"] = "CSV";
  info["apiVersion"] = versionNumber(job.apiVersion);
  if (form == Bulk2InfoForm::Short) return info;
  if (form == Bulk2InfoForm::Full) info["jobType"] = job.query ? "V2Query" : "V2Ingest";
  if (!job.query && job.state == "Open") {
    info["contentUrl"] = "services/data/v" + job.apiVersion + "/jobs/ingest/" + job.id + "/batches";
  }
  info["lineEnding"] = job.lineEnding;
  info["columnDelimiter"] = job.columnDelimiter;
  if (form == Bulk2InfoForm::Create) return info;
  // While Open the service shows no record counters [DOC].
  if (job.query || job.state != "Open") {
    info["numberRecordsProcessed"] = job.recordsProcessed();
    if (!job.query) info["numberRecordsFailed"] = job.recordsFailed();
  }
  info["retries"] = 0;
  info["totalProcessingTime"] = job.totalProcessingMs;
  if (!job.query) {
    info["apiActiveProcessingTime"] = job.totalProcessingMs;
    info["apexProcessingTime"] = 0;
  } else {
    info["isPkChunkingSupported"] = false;
  }
  if (!job.errorMessage.empty()) info["errorMessage"] = job.errorMessage;
  return info;
}

nlohmann::ordered_json classicJobInfo(const Job& job) {
  return {{"id", job.id},
          {"operation", job.operation},
          {"object", job.object},
          {"createdById", job.createdById},
          {"createdDate", formatDate(job.createdDate, Format::Json)},
          {"systemModstamp", formatDate(job.systemModstamp, Format::Json)},
          {"state", job.state},
          {"concurrencyMode", job.concurrencyMode},
          {"contentType", job.contentType},
          {"apiVersion", versionNumber(job.apiVersion)},
          {"jobType", "Classic"},
          {"lineEnding", "LF"},
          {"columnDelimiter", "COMMA"}};
}

}  // namespace sfdc::emulator::server
