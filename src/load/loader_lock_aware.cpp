// The loader's lock-aware parts: batches of a grouped load that must wait for the one
// before them, and rows failed for a lock, which are held back from the result emitter
// and sent again once the load's own batches are done.

#include <sfdc/bulk/error.hpp>

#include "loader_engine.hpp"
#include "lock_retry.hpp"

namespace sfdc::bulk::detail::load {

bool Loader::waitsForGroup(std::uint64_t index) const {
  if (!slots_[index].split.continuesGroup || index == 0) return false;
  const Stage previous = slots_[index - 1].stage;
  return previous != Stage::Done && previous != Stage::Finished;
}

bool Loader::holdsBack(std::uint64_t index, std::size_t onServer) const {
  if (waitsForGroup(index)) return true;
  // Batches queue on the server in the order they arrive. A batch continuing a group can
  // only be sent once the one before it finished; if every other batch had been sent by
  // then, it would wait behind all of them, and a large group's chain of batches would
  // take as long as the rest of the load per link. So batches that start a group keep
  // the server at `concurrency` batches running plus a short queue (half as many again):
  // enough that a batch finishing finds the next one waiting, few enough that a chain's
  // next link waits behind little. On the emulator's model (4 workers, concurrency 4) a
  // queue of two cut a skewed grouped load from 1.4 to 1.15 times an ungrouped one.
  const Slot& slot = slots_[index];
  const auto concurrency = static_cast<std::size_t>(options_.concurrency);
  return grouped_ && !slot.split.continuesGroup && slot.retryOf.empty() &&
         onServer >= concurrency + (concurrency + 1) / 2;
}

std::size_t Loader::batchesOnServer() const {
  std::size_t count = 0;
  for (const auto index : active_) {
    const Stage stage = slots_[index].stage;
    if (stage == Stage::Uploading || stage == Stage::Ambiguous || stage == Stage::Sent) ++count;
  }
  return count;
}

Clock::time_point Loader::groupPollTime(Clock::time_point now) const {
  // The link of a chain that is running was sent at sentAt; it is looked at again after
  // a sixteenth of its age (at least the minimum interval), so a long batch costs few
  // polls and a short one is followed closely.
  Clock::time_point when = Clock::time_point::max();
  for (const auto index : active_) {
    if (slots_[index].stage != Stage::Queued || !waitsForGroup(index)) continue;
    const Slot& previous = slots_[index - 1];
    if (previous.stage != Stage::Sent) continue;
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - previous.sentAt);
    when = std::min(when, now + std::max(options_.pollMinInterval, age / 16));
  }
  return when;
}

void Loader::deliverRows(Slot& slot, std::vector<RowResult> rows, const BatchInfo* finished) {
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i].row = slot.split.rowAt(i);
  std::vector<std::size_t> retry;
  if (finished != nullptr) {
    retry = lockRetryOffsets(*finished, rows);
    progress_.lockFailures += retry.size();
    if (!lockRetry_ || !lockRetry_->accepting()) retry.clear();
  }
  if (!retry.empty()) {
    std::vector<RetryOrigin> origins;
    origins.reserve(retry.size());
    for (const std::size_t offset : retry) {
      origins.push_back(slot.retryOf.empty()
                            ? RetryOrigin{slot.split.index, offset, rows[offset].row}
                            : slot.retryOf.at(offset));
    }
    lockRetry_->add(slot.split.bodyPath, retry, origins);
  }
  slot.split.rows = {};  // the row numbers are in the results now
  if (slot.retryOf.empty()) {
    emitter_->deliver(slot.split.index, slot.split.rowsPath, std::move(rows), retry);
    return;
  }
  // A retry batch's rows belong to earlier batches; those retried once more stay pending.
  std::size_t next = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (next < retry.size() && retry[next] == i) {
      ++next;
      continue;
    }
    const RetryOrigin& origin = slot.retryOf.at(i);
    emitter_->settle(origin.batch, origin.offset, std::move(rows[i]));
  }
}

bool Loader::startLockRetry() {
  // Retries go out only while the load could still send anything: not after a cancel,
  // a refused upload or invalid input (the rows keep their lock failure then).
  if (!lockRetry_ || !sourceDone_ || stopSending_ || cancelled_ || deferred_) return false;
  const std::uint64_t index = slots_.size();
  std::optional<RetryBatch> batch = lockRetry_->next(index);
  if (!batch) return false;
  api_.log(LogLevel::Info, "load: sending " + std::to_string(batch->split.rowCount) +
                               " rows again that failed for a lock (round " +
                               std::to_string(lockRetry_->round()) + " of " +
                               std::to_string(options_.lockRetryRounds) + ")");
  Slot slot;
  slot.split = std::move(batch->split);
  slot.retryOf = std::move(batch->origins);
  active_.insert(index);
  slots_.push_back(std::move(slot));
  // The first poll of a short batch should not wait as long as polls late in the load.
  backoff_.reset();
  return true;
}

}  // namespace sfdc::bulk::detail::load
