// How a load that stops early still gives every input row an outcome: uploads in flight
// are waited for, each unfinished batch is reported for what is known of it (result
// unknown, not sent), the rows never read are read and reported not sent, and the
// caller gets LoadIncompleteError with the counts.

#include <set>
#include <sfdc/bulk/error.hpp>

#include "loader_engine.hpp"

namespace sfdc::bulk::detail::load {

void Loader::abandon(std::exception_ptr cause) {
  const std::string reason =
      cause == deferred_ && !deferredWhat_.empty() ? deferredWhat_ : describeError(cause);
  const bool timedOut = [&] {
    try {
      std::rethrow_exception(cause);
    } catch (const TimeoutError&) {
      return true;
    } catch (...) {
      return false;
    }
  }();
  // Account for every row: finish what is in flight, then give each unfinished batch
  // and every row not yet read its outcome as far as it is known.
  try {
    settleUploads();
    for (const auto index : std::set<std::uint64_t>(active_)) {
      Slot& slot = slots_[index];
      switch (slot.stage) {
        case Stage::Ambiguous:
          markUnknown(slot, "its upload's answer was lost, so the batch may exist in job " +
                                job_.id + "; the load stopped: " + reason);
          break;
        case Stage::Sent:
        case Stage::Done:
          markUnknown(slot, "sent as batch " + slot.info.id + " of job " + job_.id +
                                "; its result was not read: " + reason);
          break;
        default:
          markUnsent(slot, "not sent: the load stopped: " + reason);
          break;
      }
    }
    if (!sourceDone_) drainSource("not sent: the load stopped: " + reason);
    // A job whose rows are all accounted for takes no more batches; a timed-out one
    // stays open so that it can be followed (its batches keep running either way).
    // A journaled job stays open too, so that resumeLoad can send the rest into it.
    if (!timedOut && !cancelled_ && !deferred_ && !job_.id.empty() && !journal_) {
      try {
        noteServerRetries(api_.closeJob(job_).numberRetries);
      } catch (const std::exception& e) {
        api_.log(LogLevel::Warning, "load: closing job " + job_.id + " failed: " + e.what());
      }
    }
    emitter_->settleRemaining();
    emitter_->finish();
  } catch (const std::exception& e) {
    // Reporting itself failed (a result file cannot be written): say so, keep the cause.
    api_.log(LogLevel::Error, std::string("load: reporting the rows failed: ") + e.what());
  }
  journalEnd(cancelled_ ? "cancelled" : "stopped", reason);
  result_.batches.clear();
  for (const auto& slot : slots_) {
    if (!slot.info.id.empty()) result_.batches.push_back(slot.info);
  }
  result_.serverRetries = progress_.serverRetries;
  throw LoadIncompleteError(summary() + ": " + reason, std::move(result_), cause);
}

std::string Loader::summary() const {
  std::string text = (job_.id.empty() ? std::string("load: no job could be created; stopped after ")
                                      : "load: job " + job_.id + " stopped after ") +
                     std::to_string(result_.recordsRead) +
                     " rows read: " + std::to_string(result_.succeeded) + " succeeded, " +
                     std::to_string(result_.failed) + " failed";
  if (unknownRows_ > 0) {
    text += ", " + std::to_string(unknownRows_) +
            " sent with their result unknown (RESULT_UNKNOWN: read it from the job's batches)";
  }
  if (unsentRows_ > 0) {
    text += ", " + std::to_string(unsentRows_) + " not sent (NOT_SENT: safe to load again)";
  }
  if (invalidRows_ > 0) text += ", " + std::to_string(invalidRows_) + " invalid";
  return text;
}

void Loader::settleUploads() {
  if (!pool_) return;
  for (const auto index : pool_->cancelQueued()) slots_[index].stage = Stage::Queued;
  while (pool_->outstanding() > 0) {
    pool_->collect(completions_, Clock::now() + tuning_.wakeInterval);
  }
  pool_.reset();
  stopSending_ = true;  // nothing is sent again from here
  for (auto& done : completions_) {
    Slot& slot = slots_[done.index];
    if (done.outcome == UploadOutcome::Created) {
      markSent(slot, done.info);
    } else if (done.outcome == UploadOutcome::Ambiguous) {
      slot.stage = Stage::Ambiguous;
    } else {
      slot.stage = Stage::Queued;
    }
  }
  completions_.clear();
}

void Loader::drainSource(const std::string& reason) {
  // The splitter spools these rows like any batch (that is what keeps their input
  // columns for the error file); they are reported and never sent.
  std::uint64_t lastFailure = 0;
  int failuresInARow = 0;
  while (!sourceDone_) {
    try {
      std::optional<SplitBatch> split = splitter_->next();
      if (!split) {
        sourceDone_ = true;
        break;
      }
      failuresInARow = 0;
      addSlot(std::move(*split));
      markUnsent(slots_.back(), reason);
    } catch (...) {
      const std::uint64_t row = splitter_->failedRow();
      // A source that fails without moving on (or fails a thousand rows in a row) is
      // read no further; what it still held is named in the log.
      if (row == 0 || row == lastFailure || ++failuresInARow > 1000) {
        api_.log(LogLevel::Error, "load: the source could not be read past row " +
                                      std::to_string(splitter_->rowsRead()) + ": " +
                                      describeError(std::current_exception()));
        sourceDone_ = true;
        break;
      }
      lastFailure = row;
      recordInvalidRow(std::current_exception());
      splitter_->resume();
    }
  }
}

void Loader::recordInvalidRow(const std::exception_ptr& error) {
  addSlot(splitter_->placeholder(splitter_->failedRow()));
  ++invalidRows_;
  reportWithoutResult(slots_.back(), "INVALID_ROW", "not sent: " + describeError(error));
}

void Loader::markUnknown(Slot& slot, const std::string& reason) {
  unknownRows_ += slot.split.rowCount;
  reportWithoutResult(slot, "RESULT_UNKNOWN", reason);
}

std::string Loader::batchLabel(const Slot& slot) const {
  // Counted from 1 as users count; grouped and retry batches hold scattered rows.
  std::string label = "batch " + std::to_string(slot.split.index + 1) + " (";
  if (slot.split.rows.empty() && slot.retryOf.empty() && slot.split.rowCount > 0) {
    label += "rows " + std::to_string(slot.split.firstRow) + "-" +
             std::to_string(slot.split.firstRow + slot.split.rowCount - 1);
  } else {
    label += std::to_string(slot.split.rowCount) + " rows";
  }
  return label + ")";
}

void Loader::giveUp(Slot& slot, const std::exception_ptr& error) {
  // A refusal names the batch: the limit or field in the message is about its body.
  const std::string what = batchLabel(slot) + ": " + describeError(error);
  const std::string reason = "not sent: " + what;
  markUnsent(slot, reason);
  // After a cancel, refusals (the job is aborted) are expected, not errors.
  if (!cancelled_ && !deferred_) {
    deferred_ = error;
    deferredWhat_ = what;
  }
  stopSending(reason);
}

void Loader::stopSending(const std::string& reason) {
  stopReading_ = true;
  stopSending_ = true;
  if (stopReason_.empty()) stopReason_ = reason;
  for (const auto index : std::set<std::uint64_t>(active_)) {
    Slot& slot = slots_[index];
    if (slot.stage == Stage::Queued || slot.stage == Stage::RetryLater) markUnsent(slot, reason);
  }
}

void Loader::markUnsent(Slot& slot, const std::string& reason) {
  unsentRows_ += slot.split.rowCount;
  reportWithoutResult(slot, "NOT_SENT", reason);
}

void Loader::reportWithoutResult(Slot& slot, const char* code, const std::string& reason) {
  std::vector<RowResult> rows(slot.split.rowCount);
  for (auto& row : rows) {
    row.notProcessed = true;
    row.errors.push_back(RecordError{code, reason, {}});
  }
  slot.stage = Stage::Finished;
  active_.erase(slot.split.index);
  deliverRows(slot, std::move(rows), nullptr);
  if (slot.split.bodyPath != slot.split.rowsPath) SpoolDir::remove(slot.split.bodyPath);
}

}  // namespace sfdc::bulk::detail::load
