#include "loader2.hpp"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <thread>

#include "../error_text.hpp"
#include "../load/batch_outcome.hpp"
#include "../load/loader.hpp"
#include "../load/upload_pool.hpp"
#include "job_outcomes.hpp"
#include "loader2_engine.hpp"
#include "result_matcher.hpp"

namespace sfdc::bulk::detail::load2 {

namespace {
std::string stateText(const Bulk2JobInfo& info) { return std::string(toString(info.state)); }

// A whole-job failure as a record error: as a batch's (the code before ` : ` of the
// errorMessage, e.g. `InvalidBatch`, and the text after it), else JOB_FAILED.
RecordError jobError(const Bulk2JobInfo& info) {
  const std::string& message = info.errorMessage;
  if (auto coded = load::codedError(message)) return std::move(*coded);
  return RecordError{
      "JOB_FAILED", message.empty() ? "job " + info.id + " failed without a message" : message, {}};
}

}  // namespace

LoadResult Loader2::run() {
  validateLoad2Options(operation_, object_, options_);
  load::validateOutputs(source_.reader().sourcePath(), options_);
  signals_.deadline = Clock::now() + std::min<std::chrono::milliseconds>(
                                         options_.timeout, std::chrono::hours(24 * 366));
  spool_ = std::make_unique<SpoolDir>(options_.spoolDirectory.empty() ? tuning_.spoolParent
                                                                      : options_.spoolDirectory);
  emitter_ = std::make_unique<load::ResultEmitter>(options_, result_, *spool_);
  PayloadSerializer* serializer = options_.serializer.get();
  if (serializer == nullptr) {
    ownSerializer_ = makeSerializer(ContentType::CSV);
    serializer = ownSerializer_.get();
  }
  lfReader_ = std::make_unique<LfRowReader>(source_.reader());
  load::BatchLimits limits;
  limits.maxRecords = options_.maxJobRecords;
  limits.maxBytes = options_.maxJobBytes;
  limits.maxCharacters = options_.maxJobBytes;  // 2.0 limits bytes only
  // keepRows: the spooled job data are also what result rows are matched against.
  splitter_ = std::make_unique<load::BatchSplitter>(*lfReader_, ContentType::CSV, serializer,
                                                    limits, true, *spool_);
  splitter_->endRowsWith(options_.lineEnding);

  // The first job's rows are read before any request: bad input in them, or no input
  // at all, costs no request and leaves no empty job behind.
  std::optional<SplitBatch> first = splitter_->next();
  if (!first) {
    emitter_->finish();
    return std::move(result_);
  }
  JobSlot& firstSlot = addSlot(std::move(*first));
  std::optional<Bulk2JobInfo> created;
  try {
    created = runner_.create();
  } catch (...) {
    const auto error = std::current_exception();
    // A refusal (credentials, a bad object) is the caller's to fix and needs no row
    // report; after an outage every row is reported not sent.
    if (load::classifyUploadError(error) == load::UploadOutcome::Fatal) throw;
    markUnsent(firstSlot, "not sent: " + describeError(error));
    stopWith(error);
  }
  try {
    if (created) start(firstSlot, std::move(created));
    loop();
    if (!sourceDone_) {
      drainSource(stopReason_.empty() ? std::string("not sent: the load stopped") : stopReason_);
    }
    emitter_->finish();
    fillJobs();
  } catch (...) {
    abandon(std::current_exception());
  }
  if (deferred_) {
    throw LoadIncompleteError(summary() + ": " + describeError(deferred_), std::move(result_),
                              deferred_);
  }
  return std::move(result_);
}

JobSlot& Loader2::addSlot(SplitBatch split, bool placeholder) {
  auto slot = std::make_unique<JobSlot>();
  slot->placeholder = placeholder;
  slot->emitCount = placeholder
                        ? 1
                        : std::max<std::size_t>(1, (split.rowCount + tuning_.deliverChunkRows - 1) /
                                                       tuning_.deliverChunkRows);
  slot->firstEmit = nextEmit_;
  nextEmit_ += slot->emitCount;
  result_.recordsRead += split.rowCount;
  slot->split = std::move(split);
  slots_.push_back(std::move(slot));
  return *slots_.back();
}

void Loader2::start(JobSlot& slot, std::optional<Bulk2JobInfo> created) {
  slot.running = true;
  ++inFlight_;
  slot.worker = std::thread([this, &slot, created = std::move(created)]() mutable {
    JobRun run;
    try {
      run = runner_.run(slot.split.bodyPath, std::move(created),
                        [this, &slot](const Bulk2JobInfo& info, bool uploaded) {
                          std::lock_guard<std::mutex> lock(mutex_);
                          slot.info = info;
                          if (uploaded && !slot.uploaded) {
                            slot.uploaded = true;
                            rowsSent_ += slot.split.rowCount;
                          }
                          changed_.notify_all();
                        });
    } catch (...) {
      run.end = slot.uploaded ? JobRun::End::Unknown : JobRun::End::NotSent;
      run.error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(mutex_);
    slot.run = std::move(run);
    slot.done = true;
    changed_.notify_all();
  });
}

void Loader2::loop() {
  for (;;) {
    if (!cancelled_ && cancelRequested()) {
      cancelled_ = true;
      stopReading_ = true;
      if (stopReason_.empty()) stopReason_ = "not sent: the load was cancelled";
      api_.log(LogLevel::Info, "load: cancelled; aborting the jobs in flight");
    }
    collectFinished(true);
    readAhead();
    reportProgress();
    if ((sourceDone_ || stopReading_) && inFlight_ == 0) break;
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, tuning_.wakeInterval);
  }
}

void Loader2::readAhead() {
  // At most `concurrency` jobs are spooled and unfinished: that bounds the disk used and
  // how far ahead of the server the source is read.
  while (!stopReading_ && !sourceDone_ && inFlight_ < options_.concurrency) {
    try {
      std::optional<SplitBatch> split = splitter_->next();
      if (!split) {
        sourceDone_ = true;
        break;
      }
      start(addSlot(std::move(*split)), std::nullopt);
    } catch (...) {
      // Bad input: the rows before it are already in jobs and still go out; the bad row
      // and those after it are reported not sent.
      const auto error = std::current_exception();
      if (!deferred_) deferred_ = error;
      stopReading_ = true;
      const std::uint64_t row = splitter_->failedRow();
      if (row != 0) {
        recordInvalidRow(error);
        splitter_->resume();
        stopReason_ = "not sent: the load stopped at invalid row " + std::to_string(row);
      } else {
        sourceDone_ = true;  // the source itself failed
      }
    }
  }
}

void Loader2::collectFinished(bool readResultsOfTerminal) {
  for (auto& slot : slots_) {
    if (!slot->running) continue;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!slot->done) continue;
    }
    slot->worker.join();
    slot->running = false;
    --inFlight_;
    handleRun(*slot, readResultsOfTerminal);
  }
}

void Loader2::handleRun(JobSlot& slot, bool readResultsOfTerminal) {
  const JobRun& run = slot.run;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!run.info.id.empty()) slot.info = run.info;
  }
  switch (run.end) {
    case JobRun::End::Terminal:
      if (readResultsOfTerminal) {
        readResults(slot);
      } else {
        markUnknown(slot, "job " + slot.info.id + " ended " + stateText(slot.info) +
                              "; its results were not read: the load stopped");
      }
      return;
    case JobRun::End::NotSent: {
      std::string reason = run.reason;
      if (reason.empty() && run.error) reason = "not sent: " + describeError(run.error);
      if (reason.empty()) reason = stopReason_.empty() ? "not sent: the load stopped" : stopReason_;
      markUnsent(slot, reason);
      if (run.error && !cancelled_) stopWith(run.error);
      return;
    }
    case JobRun::End::Unknown:
      markUnknown(slot, run.reason.empty()
                            ? "sent to job " + slot.info.id + "; its result is unknown"
                            : run.reason + (run.error ? ": " + describeError(run.error) : ""));
      if (run.error && !cancelled_) stopWith(run.error);
      return;
  }
}

void Loader2::stopWith(const std::exception_ptr& error) {
  if (!deferred_) deferred_ = error;
  stopReading_ = true;
  signals_.stopSending = true;
  if (stopReason_.empty()) stopReason_ = "not sent: the load stopped: " + describeError(error);
  try {
    std::rethrow_exception(error);
  } catch (const TimeoutError&) {
    signals_.halt = true;  // past the deadline nothing is waited for any more
  } catch (...) {
  }
}

void Loader2::readResults(JobSlot& slot) {
  const Bulk2JobInfo info = slot.info;
  const std::string ended = "job " + info.id + " ended " + stateText(info) +
                            (info.errorMessage.empty() ? "" : ": " + info.errorMessage);
  const RecordError unprocessed{"NOT_PROCESSED", "not processed: " + ended, {}};
  const RecordError noResult{
      "RESULT_UNKNOWN",
      "no result returned for this row by job " + info.id + " (" + stateText(info) + ")",
      {}};
  const auto firstRow = slot.split.firstRow;
  if (info.state == Bulk2JobState::Failed && info.numberRecordsProcessed == 0) {
    // Failed as a whole (an unknown column, a bad line ending): nothing was processed,
    // so nothing is downloaded, and the server's message is logged once for the job.
    const RecordError error = jobError(info);
    api_.log(LogLevel::Error, "load: job " + info.id + " failed as a whole; its " +
                                  std::to_string(slot.split.rowCount) +
                                  " rows were not processed: " +
                                  (info.errorMessage.empty() ? error.message : info.errorMessage));
    deliver(slot, [&](std::size_t i) {
      RowResult row;
      row.row = firstRow + i;
      row.notProcessed = true;
      row.errors.push_back(error);
      return row;
    });
    return;
  }
  std::optional<JobOutcomes> outcomes;
  // With no reader of ids or per-row outcomes, a job that processed every row without
  // failure has nothing to tell: its result files are not downloaded.
  const bool rowsUnread = !options_.keepResults && !options_.onResult &&
                          options_.successFile.empty() && options_.errorFile.empty();
  if (rowsUnread && info.state == Bulk2JobState::JobComplete && info.numberRecordsFailed == 0 &&
      info.numberRecordsProcessed == static_cast<std::int64_t>(slot.split.rowCount)) {
    outcomes.emplace(slot.split.rowCount, unprocessed, noResult);
    outcomes->succeedAll(operation_ == Operation::Insert);
  }
  int failures = 0;
  while (!outcomes) {
    try {
      JobOutcomes matched(slot.split.rowCount, unprocessed, noResult);
      ResultMatcher matcher(slot.split.bodyPath, matched);
      std::uint64_t strays = 0;
      const IngestJob job = IngestJob::from(info);
      std::vector<IngestResultKind> kinds{IngestResultKind::Successful, IngestResultKind::Failed};
      if (info.state != Bulk2JobState::JobComplete) kinds.push_back(IngestResultKind::Unprocessed);
      for (const IngestResultKind kind : kinds) {
        Bulk2CsvReader reader = api_.openIngestResults(job, kind);
        strays += matcher.consume(reader, kind);
      }
      if (strays > 0) {
        api_.log(LogLevel::Warning, "load: " + std::to_string(strays) + " result rows of job " +
                                        info.id + " match no row sent to it; ignored");
      }
      const std::size_t missing = matched.unassigned();
      if (missing > 0) {
        api_.log(LogLevel::Warning, "load: " + std::to_string(missing) + " rows of job " + info.id +
                                        " are in none of its result files; reported " +
                                        noResult.statusCode);
      }
      outcomes.emplace(std::move(matched));
    } catch (...) {
      const auto error = std::current_exception();
      ++failures;
      const auto delay =
          std::min(tuning_.retryDelay * std::min(failures, 30), std::chrono::milliseconds(30'000));
      if (!load::isTransientReadError(error) || Clock::now() + delay >= signals_.deadline) {
        markUnknown(slot, ended + "; its results could not be read: " + describeError(error));
        stopWith(error);
        return;
      }
      api_.log(LogLevel::Warning, "load: reading the results of job " + info.id + " failed (" +
                                      describeError(error) + "); trying again");
      std::this_thread::sleep_for(delay);
    }
  }
  deliver(slot, [&](std::size_t i) { return outcomes->result(i, firstRow + i); });
}

void Loader2::deliver(JobSlot& slot, const std::function<RowResult(std::size_t)>& outcome) {
  const std::size_t rowCount = slot.split.rowCount;
  if (slot.placeholder) {
    std::vector<RowResult> rows;
    rows.push_back(outcome(0));
    emitter_->deliver(slot.firstEmit, slot.split.rowsPath, std::move(rows));
    return;
  }
  // Chunks of rows, each with its own file of input rows for the result files, so that
  // neither the outcomes nor the rows of a large job are all in memory at once.
  const bool files = !options_.successFile.empty() || !options_.errorFile.empty();
  std::ifstream in;
  std::unique_ptr<CsvReader> reader;
  std::string header;
  std::vector<std::string> cells;
  // The job's data, unless the source's rows differ from its input (a side file then).
  const std::string& rowsPath = slot.split.rowsPath;
  if (files) {
    in.open(rowsPath, std::ios::binary);
    if (!in) throw Error("load: cannot read the spooled job data '" + rowsPath + "'");
    reader = std::make_unique<CsvReader>(in);
    if (reader->next(cells)) header.assign(reader->rawRow());
  }
  for (std::size_t chunk = 0; chunk < slot.emitCount; ++chunk) {
    const std::size_t begin = chunk * tuning_.deliverChunkRows;
    const std::size_t end = std::min(rowCount, begin + tuning_.deliverChunkRows);
    std::string path;
    if (files) {
      path = spool_->create("j" + std::to_string(slot.firstEmit) + "." + std::to_string(chunk) +
                            ".rows");
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << header;
      for (std::size_t i = begin; i < end && reader->next(cells); ++i) out << reader->rawRow();
      out.close();
      if (!out) throw Error("load: writing the spool file '" + path + "' failed (disk full?)");
    }
    std::vector<RowResult> rows;
    rows.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) rows.push_back(outcome(i));
    emitter_->deliver(slot.firstEmit + chunk, path, std::move(rows));
  }
  in.close();
  SpoolDir::remove(slot.split.bodyPath);
  if (rowsPath != slot.split.bodyPath) SpoolDir::remove(rowsPath);
}

void Loader2::reportProgress() {
  LoadProgress next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    next.recordsSent = rowsSent_;
    for (const auto& slot : slots_) {
      const Bulk2JobInfo& info = slot->info;
      if (info.id.empty()) continue;
      if (next.jobId.empty()) next.jobId = info.id;
      next.recordsProcessed +=
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, info.numberRecordsProcessed));
      next.recordsFailed +=
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, info.numberRecordsFailed));
      next.serverRetries += info.retries;
      switch (info.state) {
        case Bulk2JobState::Open:
        case Bulk2JobState::UploadComplete:
          ++next.batchesQueued;
          break;
        case Bulk2JobState::InProgress:
          ++next.batchesInProgress;
          break;
        case Bulk2JobState::JobComplete:
          ++next.batchesCompleted;
          break;
        case Bulk2JobState::Failed:
          ++next.batchesFailed;
          break;
        case Bulk2JobState::Aborted:
          ++next.batchesNotProcessed;
          break;
      }
    }
  }
  next.recordsRead = result_.recordsRead;
  // The counters the caller sees only grow (a retried job may report fewer for a while).
  if (reportedOnce_) {
    if (next.jobId.empty()) next.jobId = reported_.jobId;
    next.recordsProcessed = std::max(next.recordsProcessed, reported_.recordsProcessed);
    next.recordsFailed = std::max(next.recordsFailed, reported_.recordsFailed);
    next.serverRetries = std::max(next.serverRetries, reported_.serverRetries);
  }
  const bool same = reportedOnce_ && next.jobId == reported_.jobId &&
                    next.recordsRead == reported_.recordsRead &&
                    next.recordsSent == reported_.recordsSent &&
                    next.recordsProcessed == reported_.recordsProcessed &&
                    next.recordsFailed == reported_.recordsFailed &&
                    next.batchesQueued == reported_.batchesQueued &&
                    next.batchesInProgress == reported_.batchesInProgress &&
                    next.batchesCompleted == reported_.batchesCompleted &&
                    next.batchesFailed == reported_.batchesFailed &&
                    next.batchesNotProcessed == reported_.batchesNotProcessed &&
                    next.serverRetries == reported_.serverRetries;
  if (same) return;
  reported_ = next;
  reportedOnce_ = true;
  if (options_.onProgress) options_.onProgress(next);
}

void Loader2::fillJobs() {
  // The job that holds each batch of rows, in input order (jobs aborted after an
  // ambiguous upload hold none and are named in the log only).
  std::lock_guard<std::mutex> lock(mutex_);
  result_.jobIds.clear();
  result_.jobs.clear();
  result_.serverRetries = 0;
  for (const auto& slot : slots_) {
    if (slot->info.id.empty()) continue;
    result_.jobIds.push_back(slot->info.id);
    result_.jobs.push_back(slot->info);
    result_.serverRetries += slot->info.retries;
  }
  result_.jobId = result_.jobIds.empty() ? std::string() : result_.jobIds.front();
}

LoadResult runLoad2(Bulk2Connection& api, Operation operation, std::string_view object,
                    const RecordSource& source, const LoadOptions& options,
                    const Load2Tuning& tuning) {
  Loader2 loader(api, operation, object, source, options, tuning);
  return loader.run();
}

}  // namespace sfdc::bulk::detail::load2
