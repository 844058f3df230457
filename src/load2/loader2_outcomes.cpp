// How a Bulk API 2.0 load still gives every input row an outcome when rows get no
// result: rows not sent, rows whose job's result is unknown, invalid rows, the rows of
// the source never read; and the LoadIncompleteError of a load that stops early.

#include <sfdc/bulk/error.hpp>

#include "../error_text.hpp"
#include "loader2_engine.hpp"

namespace sfdc::bulk::detail::load2 {

void Loader2::reportRows(JobSlot& slot, const char* code, const std::string& reason) {
  const RecordError error{code, reason, {}};
  deliver(slot, [&](std::size_t i) {
    RowResult row;
    row.row = slot.split.firstRow + i;
    row.notProcessed = true;
    row.errors.push_back(error);
    return row;
  });
}

void Loader2::markUnsent(JobSlot& slot, const std::string& reason) {
  unsentRows_ += slot.split.rowCount;
  reportRows(slot, "NOT_SENT", reason);
}

void Loader2::markUnknown(JobSlot& slot, const std::string& reason) {
  unknownRows_ += slot.split.rowCount;
  reportRows(slot, "RESULT_UNKNOWN", reason);
}

void Loader2::recordInvalidRow(const std::exception_ptr& error) {
  JobSlot& slot = addSlot(splitter_->placeholder(splitter_->failedRow()), true);
  ++invalidRows_;
  reportRows(slot, "INVALID_ROW", "not sent: " + describeError(error));
}

void Loader2::drainSource(const std::string& reason) {
  // Rows the load never got to are read and reported, so that every row of the source
  // has an outcome; they are spooled like any job (that keeps their input columns for
  // the error file) and never sent.
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
      markUnsent(addSlot(std::move(*split)), reason);
    } catch (...) {
      const std::uint64_t row = splitter_->failedRow();
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

std::string Loader2::summary() const {
  std::string text = "load: stopped after " + std::to_string(result_.recordsRead) +
                     " rows read: " + std::to_string(result_.succeeded) + " succeeded, " +
                     std::to_string(result_.failed) + " failed";
  if (unknownRows_ > 0) {
    text += ", " + std::to_string(unknownRows_) +
            " sent with their result unknown (RESULT_UNKNOWN: read it from the jobs)";
  }
  if (unsentRows_ > 0) {
    text += ", " + std::to_string(unsentRows_) + " not sent (NOT_SENT: safe to load again)";
  }
  if (invalidRows_ > 0) text += ", " + std::to_string(invalidRows_) + " invalid";
  return text;
}

void Loader2::abandon(const std::exception_ptr& cause) {
  const std::string reason = describeError(cause);
  signals_.halt = true;
  signals_.stopSending = true;
  try {
    for (auto& slot : slots_) {
      if (slot->worker.joinable()) slot->worker.join();
    }
    for (auto& slot : slots_) {
      if (!slot->running) continue;
      slot->running = false;
      handleRun(*slot, false);
    }
    if (!sourceDone_) drainSource("not sent: the load stopped: " + reason);
    emitter_->finish();
  } catch (const std::exception& e) {
    // Reporting itself failed (a result file cannot be written): say so, keep the cause.
    api_.log(LogLevel::Error, std::string("load: reporting the rows failed: ") + e.what());
  }
  fillJobs();
  throw LoadIncompleteError(summary() + ": " + reason, std::move(result_), cause);
}

}  // namespace sfdc::bulk::detail::load2
