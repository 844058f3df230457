// Client::load's engine. One loading thread reads the source, polls, downloads results
// and calls back; `concurrency` worker threads only upload. Memory stays flat: batches
// are built straight into spool files, at most `concurrency` of them are read ahead of
// confirmed uploads, and results that arrive out of row order wait on disk.

#include "loader.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <thread>

#include "../body_sources.hpp"
#include "batch_outcome.hpp"
#include "batch_splitter.hpp"
#include "poll_backoff.hpp"
#include "reconcile.hpp"
#include "result_emitter.hpp"
#include "spool.hpp"
#include "upload_pool.hpp"

namespace sfdc::bulk::detail::load {

namespace {

using Clock = std::chrono::steady_clock;

std::string describe(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

bool sameProgress(const LoadProgress& a, const LoadProgress& b) {
  return a.jobId == b.jobId && a.recordsRead == b.recordsRead && a.recordsSent == b.recordsSent &&
         a.recordsProcessed == b.recordsProcessed && a.recordsFailed == b.recordsFailed &&
         a.batchesQueued == b.batchesQueued && a.batchesInProgress == b.batchesInProgress &&
         a.batchesCompleted == b.batchesCompleted && a.batchesFailed == b.batchesFailed &&
         a.batchesNotProcessed == b.batchesNotProcessed;
}

}  // namespace

namespace {

class Loader {
 public:
  Loader(LoadApi& api, Operation operation, std::string_view object, const RecordSource& source,
         const LoadOptions& options, const LoadTuning& tuning)
      : api_(api),
        operation_(operation),
        object_(object),
        source_(source),
        options_(options),
        tuning_(tuning),
        backoff_(options.pollMinInterval, options.pollMaxInterval) {}

  LoadResult run();

 private:
  enum class Stage { Queued, Uploading, Ambiguous, RetryLater, Sent, Finished };
  struct Slot {
    SplitBatch split;
    Stage stage = Stage::Queued;
    int resends = 0;
    Clock::time_point retryAt;
    BatchInfo info;
  };

  void createJob();
  void addSlot(SplitBatch split);
  void readAhead();
  void submitReady();
  void handle(UploadDone& done);
  void markSent(Slot& slot, const BatchInfo& info);
  void giveUp(Slot& slot, const std::exception_ptr& error);
  void stopSending(const std::string& reason);
  void markUnsent(Slot& slot, const std::string& reason);
  void reconcile();
  void poll();
  void finishBatch(Slot& slot);
  void cancelLoad();
  void reportProgress();
  [[noreturn]] void throwTimeout();
  std::size_t unconfirmed() const;
  bool anySent() const;
  bool busy() const;
  Clock::time_point wakeTime(Clock::time_point now) const;

  LoadApi& api_;
  Operation operation_;
  std::string object_;
  const RecordSource& source_;
  const LoadOptions& options_;
  LoadTuning tuning_;
  PollBackoff backoff_;

  LoadResult result_;
  std::unique_ptr<SpoolDir> spool_;
  std::unique_ptr<PayloadSerializer> ownSerializer_;
  std::unique_ptr<BatchSplitter> splitter_;
  std::unique_ptr<ResultEmitter> emitter_;
  std::unique_ptr<UploadPool> pool_;
  Job job_;
  std::vector<Slot> slots_;
  std::set<std::uint64_t> active_;  // slots not Finished, so scans skip the finished past
  std::set<std::string> knownIds_;
  std::vector<UploadDone> completions_;
  std::exception_ptr deferred_;  // raised once every sent row is accounted for
  bool sourceDone_ = false;
  bool stopReading_ = false;
  bool stopSending_ = false;
  bool reconcileWanted_ = false;
  bool cancelled_ = false;
  Clock::time_point deadline_;
  Clock::time_point nextPoll_;
  LoadProgress progress_;
  LoadProgress reported_;
  bool reportedOnce_ = false;
};

LoadResult Loader::run() {
  validateLoadOptions(operation_, object_, options_);
  const auto started = Clock::now();
  deadline_ = started + options_.timeout;
  spool_ = std::make_unique<SpoolDir>(tuning_.spoolParent);
  emitter_ = std::make_unique<ResultEmitter>(options_, result_, *spool_);

  PayloadSerializer* serializer = options_.serializer.get();
  if (serializer == nullptr) {
    ownSerializer_ = makeSerializer(options_.contentType);
    serializer = ownSerializer_.get();
  }
  BatchLimits limits;
  limits.maxRecords = options_.batchSize;
  limits.maxBytes = options_.maxBatchBytes;
  const bool keepRows = !options_.successFile.empty() || !options_.errorFile.empty();
  splitter_ = std::make_unique<BatchSplitter>(source_.reader(), options_.contentType, serializer,
                                              limits, keepRows, *spool_);

  // The first batch is built before the job exists: bad input in it, or no input at
  // all, then costs no request and leaves no empty job behind.
  std::optional<SplitBatch> first = splitter_->next();
  if (!first) {
    emitter_->finish();
    return std::move(result_);
  }
  createJob();
  addSlot(std::move(*first));
  pool_ = std::make_unique<UploadPool>(
      options_.concurrency, [this](std::uint64_t, const std::string& path) {
        return api_.addBatch(job_, std::make_shared<FileBodySource>(path));
      });

  for (;;) {
    if (options_.cancel && options_.cancel->cancelled() && !cancelled_) cancelLoad();
    for (auto& done : completions_) handle(done);
    completions_.clear();
    if (reconcileWanted_ && pool_->outstanding() == 0) reconcile();
    readAhead();
    submitReady();
    const auto now = Clock::now();
    if (now >= nextPoll_ && anySent()) poll();
    reportProgress();
    if ((sourceDone_ || stopReading_) && active_.empty() && pool_->outstanding() == 0) break;
    if (Clock::now() >= deadline_) throwTimeout();
    pool_->collect(completions_, wakeTime(Clock::now()));
  }
  pool_.reset();

  if (!cancelled_) {
    try {
      api_.closeJob(job_);
    } catch (const std::exception& e) {
      // Every row is accounted for; a failed close only leaves the job open until
      // Salesforce times it out, so it is logged rather than thrown.
      api_.log(LogLevel::Warning, "load: closing job " + job_.id + " failed: " + e.what());
    }
  }
  emitter_->finish();
  for (const auto& slot : slots_) {
    if (!slot.info.id.empty()) result_.batches.push_back(slot.info);
  }
  if (deferred_) std::rethrow_exception(deferred_);
  return std::move(result_);
}

void Loader::createJob() {
  JobOptions jobOptions;
  jobOptions.externalIdFieldName = options_.externalIdFieldName;
  jobOptions.concurrencyMode = options_.concurrencyMode;
  jobOptions.assignmentRuleId = options_.assignmentRuleId;
  for (int attempt = 1;; ++attempt) {
    try {
      job_ = api_.createJob(operation_, object_, options_.contentType, jobOptions);
      break;
    } catch (...) {
      const auto error = std::current_exception();
      // Same rule as for batches: only an unknown outcome is worth another attempt. A
      // job created by the failed attempt stays empty and open: Bulk API v1 has no way
      // to list jobs, so it cannot be found or closed from here; it is logged instead.
      if (classifyUploadError(error) == UploadOutcome::Fatal ||
          attempt >= tuning_.createJobAttempts) {
        throw;
      }
      api_.log(LogLevel::Warning,
               "load: createJob failed (" + describe(error) +
                   "); retrying. If the server created a job before the failure, it is left "
                   "empty and open (Bulk API v1 cannot list jobs to find it).");
      std::this_thread::sleep_for(tuning_.createJobRetryDelay);
    }
  }
  result_.jobId = job_.id;
  progress_.jobId = job_.id;
  api_.log(LogLevel::Info, "load: job " + job_.id + " created");
}

void Loader::addSlot(SplitBatch split) {
  Slot slot;
  progress_.recordsRead += split.rowCount;
  result_.recordsRead += split.rowCount;
  slot.split = std::move(split);
  active_.insert(slots_.size());
  slots_.push_back(std::move(slot));
}

std::size_t Loader::unconfirmed() const {
  std::size_t count = 0;
  for (const auto index : active_) {
    const Stage stage = slots_[index].stage;
    if (stage != Stage::Sent && stage != Stage::Finished) ++count;
  }
  return count;
}

bool Loader::anySent() const {
  for (const auto index : active_) {
    if (slots_[index].stage == Stage::Sent) return true;
  }
  return false;
}

void Loader::readAhead() {
  // Reading stops at `concurrency` batches not yet confirmed created: that bounds the
  // spool and, with it, how far ahead of the server the loader runs.
  while (!stopReading_ && !sourceDone_ && !reconcileWanted_ &&
         unconfirmed() < static_cast<std::size_t>(options_.concurrency)) {
    try {
      auto split = splitter_->next();
      if (!split) {
        sourceDone_ = true;
        break;
      }
      addSlot(std::move(*split));
    } catch (...) {
      // Bad input: the rows before it are already in batches and still go out; the
      // error is raised once they are accounted for.
      if (!deferred_) deferred_ = std::current_exception();
      stopReading_ = true;
    }
  }
}

void Loader::submitReady() {
  if (reconcileWanted_ || stopSending_) return;
  const auto now = Clock::now();
  for (const auto index : active_) {
    Slot& slot = slots_[index];
    const bool ready =
        slot.stage == Stage::Queued || (slot.stage == Stage::RetryLater && now >= slot.retryAt);
    if (!ready) continue;
    slot.stage = Stage::Uploading;
    pool_->submit(index, slot.split.bodyPath);
  }
}

void Loader::handle(UploadDone& done) {
  Slot& slot = slots_[done.index];
  switch (done.outcome) {
    case UploadOutcome::Created:
      markSent(slot, done.info);
      // Without result files the body only mattered for reconciliation.
      if (slot.split.rowsPath.empty()) SpoolDir::remove(slot.split.bodyPath);
      return;
    case UploadOutcome::Ambiguous:
      api_.log(LogLevel::Warning, "load: batch " + std::to_string(done.index) + " of job " +
                                      job_.id + " may or may not have been created (" +
                                      describe(done.error) + "); reconciling");
      slot.stage = Stage::Ambiguous;
      reconcileWanted_ = true;
      return;
    case UploadOutcome::NotCreated:
      if (!stopSending_ && slot.resends < tuning_.maxResends) {
        ++slot.resends;
        slot.stage = Stage::RetryLater;
        slot.retryAt = Clock::now() + tuning_.resendDelay;
        api_.log(LogLevel::Warning, "load: batch " + std::to_string(done.index) +
                                        " was not created (" + describe(done.error) +
                                        "); sending it again");
        return;
      }
      giveUp(slot, done.error);
      return;
    case UploadOutcome::Fatal:
      giveUp(slot, done.error);
      return;
  }
}

void Loader::markSent(Slot& slot, const BatchInfo& info) {
  // The first poll waits one interval after the first batch in flight: nothing can have
  // finished sooner.
  if (!anySent()) nextPoll_ = std::max(nextPoll_, Clock::now() + backoff_.current());
  slot.info = info;
  slot.stage = Stage::Sent;
  knownIds_.insert(slot.info.id);
  progress_.recordsSent += slot.split.rowCount;
}

void Loader::giveUp(Slot& slot, const std::exception_ptr& error) {
  const std::string reason = "not sent: " + describe(error);
  markUnsent(slot, reason);
  // After a cancel, refusals (the job is aborted) are expected, not errors.
  if (!cancelled_ && !deferred_) deferred_ = error;
  stopSending(reason);
}

void Loader::stopSending(const std::string& reason) {
  stopReading_ = true;
  stopSending_ = true;
  for (const auto index : std::set<std::uint64_t>(active_)) {
    Slot& slot = slots_[index];
    if (slot.stage == Stage::Queued || slot.stage == Stage::RetryLater) markUnsent(slot, reason);
  }
}

void Loader::markUnsent(Slot& slot, const std::string& reason) {
  std::vector<RowResult> rows(slot.split.rowCount);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].row = slot.split.firstRow + i;
    rows[i].notProcessed = true;
    rows[i].errors.push_back(RecordError{"NOT_SENT", reason, {}});
  }
  slot.stage = Stage::Finished;
  active_.erase(slot.split.index);
  emitter_->deliver(slot.split.index, slot.split.rowsPath, std::move(rows));
  if (slot.split.bodyPath != slot.split.rowsPath) SpoolDir::remove(slot.split.bodyPath);
}

void Loader::reconcile() {
  std::vector<AmbiguousUpload> uploads;
  for (const auto index : active_) {
    const Slot& slot = slots_[index];
    if (slot.stage != Stage::Ambiguous) continue;
    uploads.push_back(
        AmbiguousUpload{index, slot.split.rowCount, slot.split.bodyBytes, slot.split.bodyPath});
  }
  reconcileWanted_ = false;
  if (uploads.empty()) return;
  const ReconcileOutcome outcome =
      reconcileUploads(api_, job_, knownIds_, uploads, tuning_.reconcileSettle);
  for (const auto& entry : outcome.found) {
    Slot& slot = slots_[entry.first];
    markSent(slot, entry.second);
    api_.log(LogLevel::Info, "load: batch " + std::to_string(entry.first) + " was created as " +
                                 slot.info.id + "; not sending it again");
  }
  for (const auto index : outcome.notFound) {
    Slot& slot = slots_[index];
    if (stopSending_) {
      markUnsent(slot, "not sent: the load stopped before the batch could be sent again");
      continue;
    }
    if (slot.resends >= tuning_.maxResends) {
      const auto error = std::make_exception_ptr(Error(
          "load: batch " + std::to_string(index) + " (rows " + std::to_string(slot.split.firstRow) +
          "-" + std::to_string(slot.split.firstRow + slot.split.rowCount - 1) +
          ") could not be sent after " + std::to_string(slot.resends + 1) + " attempts"));
      giveUp(slot, error);
      continue;
    }
    ++slot.resends;
    slot.stage = Stage::Queued;
    api_.log(LogLevel::Warning, "load: batch " + std::to_string(index) +
                                    " is not in the job's batch list; sending it again");
  }
  for (const auto& stray : outcome.strays) {
    api_.log(LogLevel::Error, "load: batch " + stray.id + " of job " + job_.id +
                                  " matches no upload of this load; it may repeat rows sent "
                                  "in another batch");
  }
}

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
    if (info.isTerminal()) finishBatch(slot);
  }
  backoff_.onPoll(changed);
  nextPoll_ = Clock::now() + backoff_.current();
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
      results = api_.getBatchResult(job_, info.id);
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
  emitter_->deliver(slot.split.index, slot.split.rowsPath, std::move(rows));
  if (slot.split.bodyPath != slot.split.rowsPath) SpoolDir::remove(slot.split.bodyPath);
}

void Loader::cancelLoad() {
  cancelled_ = true;
  api_.log(LogLevel::Info, "load: cancelled; aborting job " + job_.id);
  stopSending("not sent: the load was cancelled");
  try {
    api_.abortJob(job_);
  } catch (const std::exception& e) {
    api_.log(LogLevel::Warning, "load: aborting job " + job_.id + " failed: " + e.what());
  }
  // Queued batches turn NotProcessed right away; follow them closely.
  backoff_.reset();
  nextPoll_ = Clock::now();
}

void Loader::reportProgress() {
  LoadProgress next = progress_;
  next.batchesQueued = next.batchesInProgress = next.batchesCompleted = next.batchesFailed =
      next.batchesNotProcessed = 0;
  std::uint64_t processed = 0;
  std::uint64_t failed = 0;
  for (const auto& slot : slots_) {
    if (slot.info.id.empty()) continue;
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

Clock::time_point Loader::wakeTime(Clock::time_point now) const {
  Clock::time_point wake = std::min(deadline_, now + tuning_.wakeInterval);
  if (anySent()) wake = std::min(wake, nextPoll_);
  for (const auto index : active_) {
    const Slot& slot = slots_[index];
    if (slot.stage == Stage::RetryLater) wake = std::min(wake, slot.retryAt);
  }
  return wake;
}

void Loader::throwTimeout() {
  std::string batchId;
  std::size_t unfinished = 0;
  for (const auto index : active_) {
    const Slot& slot = slots_[index];
    ++unfinished;
    if (batchId.empty() && !slot.info.id.empty()) batchId = slot.info.id;
  }
  pool_.reset();  // waits for uploads already running; drops the queued ones
  throw TimeoutError("load: job " + job_.id + " did not finish within " +
                         std::to_string(options_.timeout.count()) + " ms (" +
                         std::to_string(unfinished) + " of " + std::to_string(slots_.size()) +
                         " batches unfinished, " + std::to_string(progress_.recordsSent) +
                         " rows sent); the job is left open: attachJob(\"" + job_.id +
                         "\") to follow it",
                     job_.id, batchId);
}

}  // namespace

LoadResult runLoad(LoadApi& api, Operation operation, std::string_view object,
                   const RecordSource& source, const LoadOptions& options,
                   const LoadTuning& tuning) {
  Loader loader(api, operation, object, source, options, tuning);
  return loader.run();
}

}  // namespace sfdc::bulk::detail::load
