// Client::load's engine. One loading thread reads the source, polls, downloads results
// and calls back; `concurrency` worker threads only upload. Memory stays flat: batches
// are built straight into spool files, at most `concurrency` of them are read ahead of
// confirmed uploads, and results that arrive out of row order wait on disk. Polling,
// result downloads and progress reports are in loader_polling.cpp.

#include "loader.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <thread>

#include "../body_sources.hpp"
#include "../pacing.hpp"
#include "../retry.hpp"
#include "batch_outcome.hpp"
#include "batch_splitter.hpp"
#include "duplicates.hpp"
#include "loader_engine.hpp"
#include "poll_backoff.hpp"
#include "reconcile.hpp"
#include "result_emitter.hpp"
#include "spool.hpp"
#include "upload_pool.hpp"

namespace sfdc::bulk::detail::load {

LoadResult Loader::run() {
  validateLoadOptions(operation_, object_, options_);
  validateOutputs(source_.reader().sourcePath(), options_);
  if (resume_ != nullptr) {
    beginResume();
  } else {
    openJournal();
  }
  const auto started = Clock::now();
  // A timeout of years would overflow the clock; nothing waits longer than a year.
  deadline_ =
      started + std::min<std::chrono::milliseconds>(options_.timeout, std::chrono::hours(24 * 366));
  nextJobRead_ = started + tuning_.jobInfoInterval;
  spool_ = std::make_unique<SpoolDir>(options_.spoolDirectory.empty() ? tuning_.spoolParent
                                                                      : options_.spoolDirectory);

  PayloadSerializer* serializer = options_.serializer.get();
  if (serializer == nullptr) {
    ownSerializer_ = makeSerializer(options_.contentType);
    serializer = ownSerializer_.get();
  }
  BatchLimits limits;
  limits.maxRecords = options_.batchSize;
  limits.maxBytes = options_.maxBatchBytes;
  const bool keepRows = !options_.successFile.empty() || !options_.errorFile.empty();
  RecordSource::Reader* reader = &source_.reader();
  if (!options_.groupBy.empty()) {
    if (reader->isCsv() && reader->rewritesRows()) {
      throw InvalidArgument(
          "load: groupBy cannot be combined yet with a source whose rows differ from its "
          "input (Reader::rewritesRows)");
    }
    // Reads the whole source before the job exists: bad input stops the load unsent.
    GroupingLimits grouping;
    grouping.maxRecords = limits.maxRecords;
    grouping.maxBytes = limits.maxBytes;
    if (tuning_.groupMemoryBytes != 0) grouping.memoryBytes = tuning_.groupMemoryBytes;
    grouped_ = std::make_unique<KeyPartitioner>(*reader, options_.groupBy, *spool_, grouping);
    reader = grouped_.get();
  }
  splitter_ = std::make_unique<BatchSplitter>(*reader, options_.contentType, serializer, limits,
                                              keepRows, *spool_);
  splitter_->endRowsWith(options_.lineEnding);
  if (options_.retryLockFailures) {
    lockRetry_ = std::make_unique<LockRetryQueue>(options_.contentType, limits,
                                                  options_.lockRetryRounds, *spool_);
  }

  if (resume_ != nullptr && !resume_->info.jobId.empty()) {
    // Checks the input and the job before anything is sent or any result file is
    // opened: a resume that cannot go on leaves everything as it was.
    resumeJob();
    emitter_ = std::make_unique<ResultEmitter>(options_, result_, *spool_);
  } else {
    emitter_ = std::make_unique<ResultEmitter>(options_, result_, *spool_);
    // The first batch is built before the job exists: bad input in it, or no input at
    // all, then costs no request and leaves no empty job behind.
    std::optional<SplitBatch> first = splitter_->next();
    if (!first) {
      journalInputEnd();
      emitter_->finish();
      journalEnd("finished", "");
      return std::move(result_);
    }
    try {
      createJob();
      journalJob();
    } catch (...) {
      const auto error = std::current_exception();
      // A refusal (credentials, a bad object) is the caller's to fix and needs no row
      // report; after an outage, every row is reported not sent.
      if (classifyUploadError(error) == UploadOutcome::Fatal) throw;
      addSlot(std::move(*first));
      abandon(error);
    }
    addSlot(std::move(*first));
  }
  try {
    runLoop();
    finishLoad();
  } catch (...) {
    abandon(std::current_exception());
  }
  if (deferred_) abandon(deferred_);
  return std::move(result_);
}

void Loader::runLoop() {
  pool_ = std::make_unique<UploadPool>(
      options_.concurrency, [this](std::uint64_t, const std::string& path) {
        AddBatchOptions batchOptions;
        batchOptions.gzip = options_.gzip;
        return api_.addBatchStreamed(job_, std::make_shared<FileBodySource>(path), batchOptions);
      });
  for (;;) {
    if (options_.cancel && options_.cancel->cancelled() && !cancelled_) cancelLoad();
    for (auto& done : completions_) handle(done);
    completions_.clear();
    if (reconcileWanted_ && pool_->outstanding() == 0 && Clock::now() >= reconcileRetryAt_) {
      try {
        reconcile();
      } catch (...) {
        if (!readFailed(std::current_exception(), "reconciling job " + job_.id,
                        reconcileRetryAt_)) {
          throw;
        }
        reconcileWanted_ = true;
      }
    }
    readAhead();
    submitReady();
    if (options_.waitForResults && Clock::now() >= nextPoll_ && anySent()) {
      try {
        poll();
        readFailures_ = 0;
        // A batch that waited for its group's previous batch goes out before results are
        // read: it is the next link of a chain the whole load may be waiting for.
        if (grouped_) submitReady();
      } catch (...) {
        if (!readFailed(std::current_exception(), "polling job " + job_.id, nextPoll_)) throw;
      }
    }
    if (options_.waitForResults) downloadResults();
    reportProgress();
    if (!options_.waitForResults && allSubmitted()) break;
    if ((sourceDone_ || stopReading_) && active_.empty() && pool_->outstanding() == 0) {
      if (startLockRetry()) continue;
      break;
    }
    if (Clock::now() >= deadline_) throwTimeout();
    pool_->collect(completions_, wakeTime(Clock::now()));
  }
  pool_.reset();
}

bool Loader::allSubmitted() const {
  if (!(sourceDone_ || stopReading_) || pool_->outstanding() > 0 || reconcileWanted_) return false;
  for (const auto index : active_) {
    const Stage stage = slots_[index].stage;
    if (stage != Stage::Sent && stage != Stage::Done) return false;
  }
  return true;
}

void Loader::finishLoad() {
  // Rows the load never got to (it stopped at bad input or was cancelled) are reported,
  // so that every row of the source has a result.
  if (!sourceDone_) drainSource(stopReason_);
  if (!options_.waitForResults && !deferred_ && !cancelled_) {
    finishSubmitted();
    return;
  }
  if (resentAfterLoss_) {
    // A batch resent because it was not in the list may still appear late; one more
    // look after the settle time catches that duplicate.
    std::this_thread::sleep_for(tuning_.reconcileSettle);
    noteStrays(api_.getAllBatches(job_));
  }
  if (!strays_.empty()) {
    std::vector<BatchInfo> strays;
    for (const auto& entry : strays_) strays.push_back(entry.second);
    std::vector<BatchFingerprint> ours;
    for (const auto& slot : slots_) {
      if (slot.info.id.empty()) continue;
      ours.push_back(BatchFingerprint{slot.info.id, slot.split.firstRow, slot.split.rowCount,
                                      slot.split.bodyBytes, slot.split.bodyDigest});
    }
    result_.duplicates = examineStrays(api_, job_, strays, ours, options_, deadline_);
    if (options_.deleteDuplicates) {
      if (operation_ == Operation::Insert) {
        deleteDuplicateRecords(api_, object_, result_.duplicates, options_);
      } else {
        api_.log(LogLevel::Warning, "load: duplicates of a " + std::string(toString(operation_)) +
                                        " repeat changes to existing records; nothing to delete");
      }
    }
  }
  // A journaled load that stops with rows unsent keeps its job open for resumeLoad.
  if (!cancelled_ && !jobClosed_ && !(journal_ && deferred_)) {
    try {
      // Every batch has finished: the closed job's numberRetries is the final figure.
      noteServerRetries(api_.closeJob(job_).numberRetries);
      reportProgress();
    } catch (const std::exception& e) {
      // Every row is accounted for; a failed close only leaves the job open until
      // Salesforce times it out, so it is logged rather than thrown.
      api_.log(LogLevel::Warning, "load: closing job " + job_.id + " failed: " + e.what());
    }
  }
  emitter_->settleRemaining();
  emitter_->finish();
  // A load stopped by bad input ends in abandon(), which journals why.
  if (!deferred_) journalEnd(cancelled_ ? "cancelled" : "finished", "");
  for (const auto& slot : slots_) {
    if (!slot.info.id.empty()) result_.batches.push_back(slot.info);
  }
  result_.serverRetries = progress_.serverRetries;
}

bool Loader::readFailed(const std::exception_ptr& error, const std::string& what,
                        Clock::time_point& retryAt) {
  if (!isTransientReadError(error)) return false;
  // The session already retried this request a few times; an outage can last longer.
  // Reads change nothing on the server, so they are tried again, with growing waits,
  // for as long as the load's own timeout allows.
  ++readFailures_;
  RetryPolicy policy;
  policy.initialBackoff = std::chrono::milliseconds(1000);
  policy.maxBackoff = std::chrono::milliseconds(30'000);
  policy.multiplier = 2;
  const auto delay = backoffDelay(policy, readFailures_, jitterDraw());
  retryAt = Clock::now() + delay;
  api_.log(LogLevel::Warning, "load: " + what + " failed (" + describeError(error) +
                                  "); trying again in " + std::to_string(delay.count()) + " ms");
  return true;
}

void Loader::createJob() {
  JobOptions jobOptions;
  jobOptions.externalIdFieldName = options_.externalIdFieldName;
  jobOptions.concurrencyMode = options_.concurrencyMode;
  jobOptions.assignmentRuleId = options_.assignmentRuleId;
  for (int attempt = 1;; ++attempt) {
    try {
      const JobInfo info = api_.createJob(operation_, object_, options_.contentType, jobOptions);
      job_ = Job{info.id, info.operation, info.object, info.contentType, info.externalIdFieldName};
      break;
    } catch (...) {
      const auto error = std::current_exception();
      // Same rule as for batches: only an unknown outcome is worth another attempt. A
      // job created by the failed attempt stays empty and open: Bulk API v1 has no way
      // to list jobs, so it cannot be found or closed from here; it is logged instead.
      const UploadOutcome outcome = classifyUploadError(error);
      // Provably not created (503, 429, no connection): safe to repeat through a short
      // outage (about half a minute of growing waits). Unknown: each attempt may leave an
      // empty job behind, so fewer.
      const int attempts = outcome == UploadOutcome::Ambiguous ? tuning_.createJobAttempts
                                                               : 2 * tuning_.createJobAttempts;
      if (outcome == UploadOutcome::Fatal || attempt >= attempts ||
          Clock::now() + tuning_.createJobRetryDelay >= deadline_) {
        throw;
      }
      api_.log(LogLevel::Warning,
               "load: createJob failed (" + describeError(error) + "); retrying" +
                   (outcome == UploadOutcome::Ambiguous
                        ? ". If the server created a job before the failure, it is left empty "
                          "and open (Bulk API v1 cannot list jobs to find it)."
                        : ""));
      std::this_thread::sleep_for(std::min(tuning_.createJobRetryDelay * std::min(attempt, 8),
                                           std::chrono::milliseconds(30'000)));
    }
  }
  result_.jobId = job_.id;
  result_.jobIds = {job_.id};
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
    // A batch held back for its group's previous batch is not waiting for the server;
    // counting it would stop the reading that finds batches that can go out now.
    if (stage == Stage::Queued && waitsForGroup(index)) continue;
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
        journalInputEnd();
        break;
      }
      addSlot(std::move(*split));
    } catch (...) {
      // Bad input: the rows before it are already in batches and still go out; the bad
      // row and those after it are reported not sent, and the error is raised once
      // every row is accounted for.
      const auto error = std::current_exception();
      if (!deferred_) deferred_ = error;
      stopReading_ = true;
      const std::uint64_t row = splitter_->failedRow();
      if (row != 0) {
        recordInvalidRow(error);
        splitter_->resume();
        stopReason_ = "not sent: the load stopped at invalid row " + std::to_string(row);
      } else {
        sourceDone_ = true;  // the source itself failed: nothing more can be read
      }
    }
  }
}

void Loader::submitReady() {
  if (reconcileWanted_ || stopSending_) return;
  const auto now = Clock::now();
  std::size_t onServer = grouped_ ? batchesOnServer() : 0;
  for (const auto index : active_) {
    Slot& slot = slots_[index];
    const bool ready =
        slot.stage == Stage::Queued || (slot.stage == Stage::RetryLater && now >= slot.retryAt);
    if (!ready || holdsBack(index, onServer)) continue;
    // On disk before the upload starts: a crash from here on leaves a batch that resume
    // looks for in the job instead of one it knows nothing about.
    journalBatch(slot);
    slot.stage = Stage::Uploading;
    ++onServer;
    pool_->submit(index, slot.split.bodyPath);
  }
}

void Loader::handle(UploadDone& done) {
  Slot& slot = slots_[done.index];
  switch (done.outcome) {
    case UploadOutcome::Created:
      markSent(slot, done.info);
      // Without result files the body only mattered for reconciliation (and for lock
      // retries, which copy rows out of it).
      if (slot.split.rowsPath.empty() && !lockRetry_) SpoolDir::remove(slot.split.bodyPath);
      return;
    case UploadOutcome::Ambiguous:
      api_.log(LogLevel::Warning, "load: batch " + std::to_string(done.index) + " of job " +
                                      job_.id + " may or may not have been created (" +
                                      describeError(done.error) + "); reconciling");
      slot.stage = Stage::Ambiguous;
      reconcileWanted_ = true;
      return;
    case UploadOutcome::NotCreated:
      if (!stopSending_ && slot.resends < tuning_.maxResends) {
        ++slot.resends;
        slot.stage = Stage::RetryLater;
        slot.retryAt = Clock::now() + tuning_.resendDelay;
        api_.log(LogLevel::Warning, "load: batch " + std::to_string(done.index) +
                                        " was not created (" + describeError(done.error) +
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
  slot.sentAt = Clock::now();
  knownIds_.insert(slot.info.id);
  journalAccepted(slot);
  (slot.retryOf.empty() ? progress_.recordsSent : progress_.recordsRetried) += slot.split.rowCount;
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
          "the batch could not be sent after " + std::to_string(slot.resends + 1) + " attempts"));
      giveUp(slot, error);
      continue;
    }
    ++slot.resends;
    slot.stage = Stage::Queued;
    resentAfterLoss_ = true;
    api_.log(LogLevel::Warning, "load: batch " + std::to_string(index) +
                                    " is not in the job's batch list; sending it again");
  }
  noteStrays(outcome.strays);
}

void Loader::noteStrays(const std::vector<BatchInfo>& list) {
  for (const auto& info : list) {
    if (knownIds_.count(info.id) != 0 || strays_.count(info.id) != 0) continue;
    api_.log(LogLevel::Error, "load: batch " + info.id + " of job " + job_.id +
                                  " matches no upload of this load; it repeats rows sent in "
                                  "another batch");
    strays_.emplace(info.id, info);
  }
}

void Loader::finishSubmitted() {
  // Every batch is uploaded; closing the job tells Salesforce that no more come, so that
  // whoever collects the results can tell a finished job from one still being loaded.
  // Duplicate batches are found by collectLoad, which reads every batch's rows.
  if (!jobClosed_) noteServerRetries(api_.closeJob(job_).numberRetries);
  emitter_->finish();
  journalEnd("submitted", "");
  for (const auto& slot : slots_) {
    if (!slot.info.id.empty()) result_.batches.push_back(slot.info);
  }
  result_.serverRetries = progress_.serverRetries;
  result_.resultsPending = true;
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

Clock::time_point Loader::wakeTime(Clock::time_point now) const {
  Clock::time_point wake = std::min(deadline_, now + tuning_.wakeInterval);
  if (anySent()) wake = std::min(wake, nextPoll_);
  for (const auto index : active_) {
    const Slot& slot = slots_[index];
    if (slot.stage == Stage::RetryLater || slot.stage == Stage::Done) {
      wake = std::min(wake, slot.retryAt);
    }
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
  throw TimeoutError("load: job " + job_.id + " did not finish within " +
                         std::to_string(options_.timeout.count()) + " ms (" +
                         std::to_string(unfinished) + " of " + std::to_string(slots_.size()) +
                         " batches unfinished, " + std::to_string(progress_.recordsSent) +
                         " rows sent); the job is left open: attachJob(\"" + job_.id +
                         "\") to follow it",
                     job_.id, batchId);
}

LoadResult runLoad(Connection& api, Operation operation, std::string_view object,
                   const RecordSource& source, const LoadOptions& options,
                   const LoadTuning& tuning) {
  Loader loader(api, operation, object, source, options, tuning);
  return loader.run();
}

LoadResult resumeLoad(Connection& api, const std::string& journalFile, LoadOptions options,
                      const LoadTuning& tuning) {
  const JournalState state = readJournal(journalFile);
  const LoadJournalInfo& info = state.info;
  // What shaped the batches comes from the journal, so that the input is cut exactly
  // as before and every journaled batch can be recognised.
  options.api = BulkApi::V1;
  options.contentType = info.contentType;
  options.externalIdFieldName = info.externalIdFieldName;
  options.concurrencyMode = info.concurrencyMode;
  options.assignmentRuleId = info.assignmentRuleId;
  options.batchSize = info.batchSize;
  options.maxBatchBytes = info.maxBatchBytes;
  options.journalFile = journalFile;
  if (options.successFile.empty()) options.successFile = info.successFile;
  if (options.errorFile.empty()) options.errorFile = info.errorFile;
  const RecordSource source = RecordSource::csvFile(info.inputFile);
  Loader loader(api, info.operation, info.object, source, options, tuning, &state);
  return loader.run();
}

}  // namespace sfdc::bulk::detail::load
