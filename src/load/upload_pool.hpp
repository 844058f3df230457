#pragma once

// A fixed set of threads that POST batch bodies, so `concurrency` uploads run at once
// while the loading thread keeps reading, polling and emitting results. Workers only
// upload and report; every decision (retry, reconcile, give up) stays on the loading
// thread, which also runs all user callbacks.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sfdc::bulk::detail::load {

/// How an upload ended, as far as whether the batch exists is concerned.
enum class UploadOutcome {
  Created,     ///< the server answered with the new batch
  Ambiguous,   ///< the body may have arrived but no answer came (or a 5xx): reconcile
  NotCreated,  ///< provably not created (429/503, failed before sending): may resend
  Fatal,       ///< refused (4xx, auth): resending cannot help
};

/// Sort an exception thrown by addBatch into an outcome.
UploadOutcome classifyUploadError(const std::exception_ptr& error);

/// True when a failed read (a poll, a result download) is worth trying again later: no
/// answer at all, or a status the retry policy calls retryable (5xx, 429, 408). Such
/// reads are repeated for as long as the load's own timeout allows.
bool isTransientReadError(const std::exception_ptr& error);

struct UploadDone {
  std::uint64_t index = 0;
  UploadOutcome outcome = UploadOutcome::Created;
  BatchInfo info;
  std::exception_ptr error;
};

class UploadPool {
 public:
  using Upload = std::function<BatchInfo(std::uint64_t index, const std::string& bodyPath)>;

  UploadPool(int workers, Upload upload);
  ~UploadPool();  ///< drops queued uploads, waits for running ones
  UploadPool(const UploadPool&) = delete;
  UploadPool& operator=(const UploadPool&) = delete;

  void submit(std::uint64_t index, std::string bodyPath);
  /// Take back the uploads not started yet; returns their indexes. Running ones finish
  /// and are collected as usual.
  std::vector<std::uint64_t> cancelQueued();
  /// Uploads submitted and not yet collected through `collect`.
  std::size_t outstanding() const;
  /// Move finished uploads into `out`; waits until one is there or `until` passes.
  void collect(std::vector<UploadDone>& out, std::chrono::steady_clock::time_point until);

 private:
  void run();

  Upload upload_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::condition_variable done_;
  std::deque<std::pair<std::uint64_t, std::string>> queue_;
  std::vector<UploadDone> finished_;
  std::size_t outstanding_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace sfdc::bulk::detail::load
