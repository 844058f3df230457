#include "query/batch_tracker.hpp"

#include <algorithm>
#include <sfdc/bulk/error.hpp>
#include <thread>

#include "coded_message.hpp"
#include "load/upload_pool.hpp"

namespace sfdc::bulk::detail::query {
namespace {

constexpr std::chrono::milliseconds kCancelCheck{50};

}  // namespace

BatchTracker::BatchTracker(Connection& api, Job job, std::string rootBatchId, PollSettings settings)
    : api_(api),
      job_(std::move(job)),
      rootId_(std::move(rootBatchId)),
      settings_(std::move(settings)),
      backoff_(settings_.minInterval, settings_.maxInterval) {}

const BatchInfo* BatchTracker::find(const std::string& id) const {
  auto it = batches_.find(id);
  return it == batches_.end() ? nullptr : &it->second;
}

void BatchTracker::checkCancelled() {
  if (!settings_.cancel || !settings_.cancel->cancelled()) return;
  try {
    api_.abortJob(job_);
  } catch (const std::exception& e) {
    api_.log(LogLevel::Warning,
             "query cancelled; aborting job " + job_.id + " failed: " + e.what());
  }
  throw Error("the query was cancelled; job " + job_.id + " was aborted");
}

void BatchTracker::fail(const BatchInfo& batch) {
  // The rows can no longer be complete; stop the remaining chunks from using up the
  // org's processing. Best effort: the failure is what the caller needs to see.
  try {
    api_.abortJob(job_);
  } catch (const std::exception& e) {
    api_.log(LogLevel::Warning, "aborting failed query job " + job_.id + ": " + e.what());
  }
  std::string text = batch.stateMessage;
  if (text.empty()) {
    text = batch.state == BatchState::NotProcessed
               ? "the batch was not processed (the job was aborted)"
               : "the batch failed";
  }
  auto [code, message] = splitCodedMessage(text);
  // The poll that reported the state succeeded (HTTP 200); the failure is the batch's.
  throw ApiError(200, std::move(code), std::move(message), job_.id, batch.id);
}

bool BatchTracker::skippable(const BatchInfo& batch) const {
  // A PK-chunked SOQL batch turns NotProcessed once its chunk batches exist (§9.1);
  // any other NotProcessed batch means the job was aborted and rows are missing.
  return batch.id == rootId_ && batch.state == BatchState::NotProcessed &&
         (settings_.pkChunking || !order_.empty());
}

void BatchTracker::poll() {
  std::vector<BatchInfo> list;
  try {
    list = api_.getAllBatches(job_);
  } catch (...) {
    // The session retried a few times already; an outage may last longer. A poll
    // changes nothing, so it is tried again (at a growing interval) until the deadline.
    if (!load::isTransientReadError(std::current_exception())) throw;
    ++polls_;
    backoff_.onFailure();
    api_.log(LogLevel::Warning, "query job " + job_.id +
                                    ": polling failed for now; trying again in " +
                                    std::to_string(backoff_.current().count()) + " ms");
    return;
  }
  ++polls_;
  bool changed = false;
  for (auto& batch : list) {
    auto it = batches_.find(batch.id);
    if (it == batches_.end()) {
      if (batch.id != rootId_) order_.push_back(batch.id);
      changed = true;
      batches_.emplace(batch.id, std::move(batch));
    } else {
      changed = changed || it->second.state != batch.state;
      it->second = std::move(batch);
    }
  }
  backoff_.onPoll(changed);
  reportProgress();
  // Fail as soon as any batch failed rather than after streaming the ones before it.
  for (const auto& [id, batch] : batches_) {
    if (batch.state == BatchState::Failed) fail(batch);
    // The SOQL batch is judged in next(), once it is known whether chunks follow it.
    if (batch.state == BatchState::NotProcessed && id != rootId_) fail(batch);
  }
}

void BatchTracker::reportProgress() const {
  if (!settings_.onProgress) return;
  QueryProgress progress;
  progress.jobId = job_.id;
  for (const auto& [id, batch] : batches_) {
    // The SOQL batch a PK-chunked job replaces by its chunks is not work of its own.
    if (id == rootId_ && batch.state == BatchState::NotProcessed) continue;
    if (batch.state == BatchState::Queued) ++progress.batchesQueued;
    if (batch.state == BatchState::InProgress) ++progress.batchesInProgress;
    if (batch.state == BatchState::Completed) ++progress.batchesCompleted;
    progress.recordsProcessed += batch.numberRecordsProcessed;
  }
  settings_.onProgress(progress);
}

void BatchTracker::waitBeforePoll() {
  auto now = std::chrono::steady_clock::now();
  if (polls_ > 0 && now >= settings_.deadline) {
    std::string waitingFor = rootId_;
    const BatchInfo* root = find(rootId_);
    if (root && root->isTerminal()) {
      for (const auto& id : order_) {
        if (!batches_.at(id).isTerminal()) {
          waitingFor = id;
          break;
        }
      }
    }
    throw TimeoutError("the query job " + job_.id + " did not finish in time; it is left open",
                       job_.id, waitingFor);
  }
  const auto until = std::min(now + backoff_.current(now), std::max(now, settings_.deadline));
  // Sleep in slices so that a cancellation does not wait out a long interval.
  while ((now = std::chrono::steady_clock::now()) < until) {
    if (settings_.stop && *settings_.stop) throw PollingStopped{};
    checkCancelled();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(until - now, kCancelCheck));
  }
  checkCancelled();
}

std::optional<std::string> BatchTracker::next() {
  for (;;) {
    checkCancelled();
    while (cursor_ < order_.size()) {
      const BatchInfo& batch = batches_.at(order_[cursor_]);
      if (batch.state == BatchState::Completed) return order_[cursor_++];
      if (!batch.isTerminal()) break;
      fail(batch);
    }
    const BatchInfo* root = find(rootId_);
    if (cursor_ == order_.size() && root && root->isTerminal()) {
      // Every chunk listed so far was handed out and the SOQL batch is done, so no
      // more chunks can appear. The SOQL batch holds rows itself when the server did
      // not chunk it (PK chunking off, or disabled for this query by ORDER BY or an
      // Id filter); being first in creation order matters little then, as it is the
      // only batch with rows.
      if (rootHandled_) return std::nullopt;
      if (root->state == BatchState::NotProcessed && order_.empty() && !rechecked_) {
        // Split but no chunk listed: look once more in case the server lists the parent's
        // new state before its chunks, rather than report zero rows too early.
        rechecked_ = true;
      } else {
        rootHandled_ = true;
        if (root->state == BatchState::Completed) return rootId_;
        if (!skippable(*root)) fail(*root);
        if (order_.empty()) {
          api_.log(LogLevel::Warning, "query job " + job_.id +
                                          ": the PK-chunked batch was not processed and no "
                                          "chunk batches were created; no rows");
        }
        return std::nullopt;
      }
    }
    waitBeforePoll();
    poll();
  }
}

}  // namespace sfdc::bulk::detail::query
