#pragma once

// Follows a query job's batches with one `GET /job/{id}/batch` per tick and hands out
// the Completed ones in creation order, so their results can be read while later
// PK-chunk batches still run.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/query.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "poll_backoff.hpp"

namespace sfdc::bulk::detail::query {

struct PollSettings {
  std::chrono::milliseconds minInterval{200};
  std::chrono::milliseconds maxInterval{10'000};
  /// Past it, a poll that still shows unfinished work raises TimeoutError.
  std::chrono::steady_clock::time_point deadline;
  std::shared_ptr<CancellationToken> cancel;
  /// Set by an owner that goes away while another thread polls (V1ParallelFiles): next()
  /// then throws PollingStopped without aborting the job, as the caller did not cancel.
  std::shared_ptr<const std::atomic<bool>> stop;
  /// The job was created with PK chunking: the SOQL batch may turn NotProcessed and
  /// chunk batches appear after it.
  bool pkChunking = false;
  /// QueryOptions::onProgress: told after each successful poll.
  std::function<void(const QueryProgress&)> onProgress;
};

/// Thrown by BatchTracker::next() once PollSettings::stop is set.
struct PollingStopped {};

class BatchTracker {
 public:
  BatchTracker(Connection& api, Job job, std::string rootBatchId, PollSettings settings);

  /// The next Completed batch in creation order, polling (with backoff) until it is
  /// Completed; nullopt once every batch was handed out and no more can appear.
  /// Throws ApiError for a Failed batch (or one NotProcessed because the job was
  /// aborted), TimeoutError past the deadline (the job stays open) and Error when
  /// cancelled (the job is aborted).
  std::optional<std::string> next();

  /// Abort the job and throw when the caller cancelled; otherwise nothing.
  void checkCancelled();

  /// getAllBatches requests sent so far.
  std::size_t polls() const noexcept { return polls_; }

 private:
  void poll();
  void reportProgress() const;
  void waitBeforePoll();
  bool noMoreBatches() const;
  bool skippable(const BatchInfo& batch) const;
  [[noreturn]] void fail(const BatchInfo& batch);
  const BatchInfo* find(const std::string& id) const;

  Connection& api_;
  Job job_;
  std::string rootId_;
  PollSettings settings_;
  // Ids of the batches other than the SOQL batch (PK chunks), in the order first seen;
  // each poll's list is merged into it so that a server listing batches in another
  // order cannot make us skip or repeat one.
  std::vector<std::string> order_;
  bool rootHandled_ = false;
  bool rechecked_ = false;
  std::unordered_map<std::string, BatchInfo> batches_;
  std::size_t cursor_ = 0;
  std::size_t polls_ = 0;
  PollBackoff backoff_;
};

}  // namespace sfdc::bulk::detail::query
