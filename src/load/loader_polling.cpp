// Following a load's job on the server: polls of its batch list (with backoff), the
// retries Salesforce made itself (numberRetries), the download of each finished batch's
// results and the progress reports built from what the polls saw. The rest of the
// engine is in loader.cpp.

#include <algorithm>
#include <set>
#include <sfdc/bulk/error.hpp>

#include "batch_outcome.hpp"
#include "loader_engine.hpp"
#include "spool.hpp"

namespace sfdc::bulk::detail::load {

namespace {

bool sameProgress(const LoadProgress& a, const LoadProgress& b) {
  return a.jobId == b.jobId && a.recordsRead == b.recordsRead && a.recordsSent == b.recordsSent &&
         a.recordsProcessed == b.recordsProcessed && a.recordsFailed == b.recordsFailed &&
         a.batchesQueued == b.batchesQueued && a.batchesInProgress == b.batchesInProgress &&
         a.batchesCompleted == b.batchesCompleted && a.batchesFailed == b.batchesFailed &&
         a.batchesNotProcessed == b.batchesNotProcessed && a.lockFailures == b.lockFailures &&
         a.recordsRetried == b.recordsRetried && a.serverRetries == b.serverRetries;
}

}  // namespace

void Loader::poll() {
  const std::vector<BatchInfo> list = api_.getAllBatches(job_);
  std::map<std::string, const BatchInfo*> byId;
  for (const auto& info : list) byId[info.id] = &info;
  bool changed = false;
  for (const auto index : std::set<std::uint64_t>(active_)) {
    Slot& slot = slots_[index];
    if (slot.stage != Stage::Sent) continue;
    const auto it = byId.find(slot.info.id);
    if (it == byId.end()) continue;
    const BatchInfo& info = *it->second;
    if (info.state != slot.info.state ||
        info.numberRecordsProcessed != slot.info.numberRecordsProcessed) {
      changed = true;
    }
    slot.info = info;
    if (info.isTerminal()) {
      slot.stage = Stage::Done;
      slot.retryAt = Clock::time_point{};
    }
  }
  // With no upload in flight or unresolved, every batch in the list must be one the
  // load knows; any other is a second copy of some batch.
  const bool quiet = pool_->outstanding() == 0 &&
                     std::none_of(active_.begin(), active_.end(), [this](std::uint64_t index) {
                       return slots_[index].stage == Stage::Ambiguous;
                     });
  if (quiet) {
    std::vector<BatchInfo> unknown;
    for (const auto& info : list) {
      if (knownIds_.count(info.id) == 0) unknown.push_back(info);
    }
    noteStrays(unknown);
  }
  const bool running = std::any_of(active_.begin(), active_.end(), [this](std::uint64_t index) {
    return slots_[index].stage == Stage::Sent;
  });
  if (running && Clock::now() >= nextJobRead_) readServerRetries();
  backoff_.onPoll(changed);
  nextPoll_ = Clock::now() + backoff_.current();
  if (grouped_) nextPoll_ = std::min(nextPoll_, groupPollTime(Clock::now()));
}

void Loader::readServerRetries() {
  nextJobRead_ = Clock::now() + tuning_.jobInfoInterval;
  try {
    noteServerRetries(api_.getJobInfo(job_).numberRetries);
  } catch (const std::exception& e) {
    api_.log(LogLevel::Debug, "load: reading job " + job_.id + " failed: " + e.what());
  }
}

void Loader::noteServerRetries(std::int64_t retries) {
  if (retries <= progress_.serverRetries) return;
  api_.log(LogLevel::Info, "load: Salesforce has retried batches of job " + job_.id + " " +
                               std::to_string(retries) + " times (numberRetries)");
  progress_.serverRetries = retries;
}

void Loader::downloadResults() {
  const auto now = Clock::now();
  for (const auto index : std::set<std::uint64_t>(active_)) {
    Slot& slot = slots_[index];
    if (slot.stage != Stage::Done || now < slot.retryAt) continue;
    try {
      finishBatch(slot);
      readFailures_ = 0;
    } catch (...) {
      if (!readFailed(std::current_exception(), "reading the results of batch " + slot.info.id,
                      slot.retryAt)) {
        throw;
      }
    }
  }
}

void Loader::finishBatch(Slot& slot) {
  const BatchInfo& info = slot.info;
  std::vector<RecordResult> results;
  // A Failed batch may still have processed some records (wire reference §4.1); their
  // results are fetched, the rest are reported as not processed.
  bool fetch = info.state == BatchState::Completed ||
               (info.state == BatchState::Failed && info.numberRecordsProcessed > 0);
  // Every API request counts against the org's daily limit: when no caller reads ids or
  // per-row outcomes and the batch reports every row processed without failure, its
  // result document would tell nothing new, so it is not downloaded.
  const bool rowsUnread = !options_.keepResults && !options_.onResult &&
                          options_.successFile.empty() && options_.errorFile.empty();
  if (fetch && rowsUnread && info.state == BatchState::Completed && info.numberRecordsFailed == 0 &&
      info.numberRecordsProcessed == static_cast<std::int64_t>(slot.split.rowCount)) {
    fetch = false;
    results.assign(slot.split.rowCount,
                   RecordResult{{}, true, operation_ == Operation::Insert, {}});
  }
  if (fetch) {
    try {
      results = api_.getBatchResults(job_, info.id);
    } catch (const ApiError& e) {
      if (info.state == BatchState::Completed) throw;
      api_.log(LogLevel::Warning, "load: no results for failed batch " + info.id + ": " + e.what());
    }
  }
  std::string mismatch;
  std::vector<RowResult> rows =
      mapBatchResults(info, slot.split.firstRow, slot.split.rowCount, std::move(results), mismatch);
  if (!mismatch.empty()) api_.log(LogLevel::Error, "load: " + mismatch);
  slot.stage = Stage::Finished;
  active_.erase(slot.split.index);
  deliverRows(slot, std::move(rows), &info);
  if (slot.split.bodyPath != slot.split.rowsPath) SpoolDir::remove(slot.split.bodyPath);
}

void Loader::reportProgress() {
  LoadProgress next = progress_;
  next.batchesQueued = next.batchesInProgress = next.batchesCompleted = next.batchesFailed =
      next.batchesNotProcessed = 0;
  std::uint64_t processed = 0;
  std::uint64_t failed = 0;
  for (const auto& slot : slots_) {
    if (slot.info.id.empty()) continue;
    if (!slot.retryOf.empty()) {
      // A retry batch's rows were counted with the batch they first came in.
      continue;
    }
    processed +=
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, slot.info.numberRecordsProcessed));
    failed += static_cast<std::uint64_t>(std::max<std::int64_t>(0, slot.info.numberRecordsFailed));
    switch (slot.info.state) {
      case BatchState::Queued:
        ++next.batchesQueued;
        break;
      case BatchState::InProgress:
        ++next.batchesInProgress;
        break;
      case BatchState::Completed:
        ++next.batchesCompleted;
        break;
      case BatchState::Failed:
        ++next.batchesFailed;
        break;
      case BatchState::NotProcessed:
        ++next.batchesNotProcessed;
        break;
    }
  }
  // A batch requeued by Salesforce may report fewer processed records for a while;
  // the counters the caller sees only grow.
  next.recordsProcessed = std::max(progress_.recordsProcessed, processed);
  next.recordsFailed = std::max(progress_.recordsFailed, failed);
  progress_ = next;
  if (reportedOnce_ && sameProgress(next, reported_)) return;
  reported_ = next;
  reportedOnce_ = true;
  if (options_.onProgress) options_.onProgress(next);
}

}  // namespace sfdc::bulk::detail::load
