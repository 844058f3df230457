#include "duplicates.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "body_digest.hpp"
#include "loader.hpp"
#include "poll_backoff.hpp"
#include "upload_pool.hpp"

namespace sfdc::bulk::detail::load {

namespace {

using Clock = std::chrono::steady_clock;

bool allTerminal(const std::map<std::string, BatchInfo>& strays) {
  return std::all_of(strays.begin(), strays.end(),
                     [](const auto& entry) { return entry.second.isTerminal(); });
}

// A read that failed only for the moment is tried again until the deadline.
template <typename Read>
auto readPatiently(Connection& api, const std::string& what, Clock::time_point deadline,
                   Read read) {
  for (std::chrono::milliseconds wait{500};;
       wait = std::min(wait * 2, std::chrono::milliseconds(30'000))) {
    try {
      return read();
    } catch (...) {
      if (!isTransientReadError(std::current_exception()) || Clock::now() + wait >= deadline) {
        throw;
      }
      api.log(LogLevel::Warning, "load: " + what + " failed for now; trying again");
      std::this_thread::sleep_for(wait);
    }
  }
}

}  // namespace

std::vector<DuplicateBatch> examineStrays(Connection& api, const Job& job,
                                          std::vector<BatchInfo> strayList,
                                          const std::vector<BatchFingerprint>& ours,
                                          const LoadOptions& options, Clock::time_point deadline) {
  std::map<std::string, BatchInfo> strays;
  for (auto& info : strayList) strays[info.id] = std::move(info);

  PollBackoff backoff(options.pollMinInterval, options.pollMaxInterval);
  while (!allTerminal(strays)) {
    if (Clock::now() >= deadline) {
      throw TimeoutError("load: job " + job.id + ": the duplicate batch(es) did not finish in time",
                         job.id, strays.begin()->first);
    }
    std::this_thread::sleep_for(
        std::min(backoff.current(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now())));
    const auto list = readPatiently(api, "polling job " + job.id, deadline,
                                    [&] { return api.getAllBatches(job); });
    bool changed = false;
    for (const auto& info : list) {
      auto it = strays.find(info.id);
      if (it == strays.end()) continue;
      changed = changed || info.state != it->second.state;
      it->second = info;
    }
    backoff.onPoll(changed);
  }

  std::vector<DuplicateBatch> out;
  for (const auto& entry : strays) {
    // Named copies rather than structured bindings, which lambdas cannot capture in C++17.
    const std::string& id = entry.first;
    const BatchInfo& info = entry.second;
    DuplicateBatch duplicate;
    duplicate.batchId = id;
    const std::string body = readPatiently(api, "reading the body of batch " + id, deadline,
                                           [&] { return api.getBatchRequest(job, id); });
    const std::uint64_t digest = BodyDigest::of(body);
    for (const auto& batch : ours) {
      if (batch.bodyBytes == body.size() && batch.bodyDigest == digest) {
        duplicate.duplicateOf = batch.batchId;
        duplicate.firstRow = batch.firstRow;
        duplicate.rowCount = batch.rowCount;
        break;
      }
    }
    if (info.numberRecordsProcessed > 0) {
      const auto results = readPatiently(api, "reading the results of batch " + id, deadline,
                                         [&] { return api.getBatchResults(job, id); });
      for (const auto& result : results) {
        if (result.success && !result.id.empty()) duplicate.recordIds.push_back(result.id);
      }
    }
    api.log(
        LogLevel::Error,
        "load: batch " + id + " of job " + job.id + " repeats " +
            (duplicate.duplicateOf.empty()
                 ? std::string("rows of this load (its body matches none of the load's batches)")
                 : "input rows " + std::to_string(duplicate.firstRow) + "-" +
                       std::to_string(duplicate.firstRow + duplicate.rowCount - 1) + " (batch " +
                       duplicate.duplicateOf + ")") +
            "; it wrote " + std::to_string(duplicate.recordIds.size()) + " records");
    out.push_back(std::move(duplicate));
  }
  return out;
}

void deleteDuplicateRecords(Connection& api, std::string_view object,
                            std::vector<DuplicateBatch>& duplicates, const LoadOptions& options) {
  for (auto& duplicate : duplicates) {
    if (duplicate.recordIds.empty()) {
      duplicate.deleted = true;  // it wrote nothing, so nothing is there twice
      continue;
    }
    std::vector<nlohmann::json> records;
    records.reserve(duplicate.recordIds.size());
    for (const auto& id : duplicate.recordIds) records.push_back({{"Id", id}});
    LoadOptions deleteOptions;
    deleteOptions.pollMinInterval = options.pollMinInterval;
    deleteOptions.pollMaxInterval = options.pollMaxInterval;
    deleteOptions.timeout = options.timeout;
    deleteOptions.spoolDirectory = options.spoolDirectory;
    deleteOptions.keepResults = false;
    try {
      const LoadResult deleted = runLoad(api, Operation::Delete, object,
                                         RecordSource::records(std::move(records)), deleteOptions);
      duplicate.deleted = deleted.succeeded == duplicate.recordIds.size();
      api.log(duplicate.deleted ? LogLevel::Info : LogLevel::Error,
              "load: deleted " + std::to_string(deleted.succeeded) + " of the " +
                  std::to_string(duplicate.recordIds.size()) + " records of duplicate batch " +
                  duplicate.batchId + " (job " + deleted.jobId + ")");
    } catch (const std::exception& e) {
      api.log(LogLevel::Error, "load: deleting the records of duplicate batch " +
                                   duplicate.batchId + " failed: " + e.what());
    }
  }
}

}  // namespace sfdc::bulk::detail::load
