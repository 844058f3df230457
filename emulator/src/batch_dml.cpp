// Writing a DML batch as the service does: in chunks of 200 records, each one
// transaction that holds the locks on the parent records it writes children of (a
// Contact's Account) until it ends. A chunk of another batch that needs one of those
// parents waits for it, for a bounded time; the records whose parent stayed locked fail
// with UNABLE_TO_LOCK_ROW, and a batch none of whose chunk's records got their locks goes
// back to the queue, to fail with TooManyLockFailure after the service's 10 retries. A
// transient failure or the 10-minute limit (batch_retries.hpp) also sends the batch back
// to the queue, for the chunks it has not written.

#include <algorithm>

#include "batch_processor.hpp"
#include "batch_retries.hpp"

namespace sfdc::emulator::server {

namespace {

// Records per DML transaction (§8: 200; 100 for API 20.0 and older, not modelled).
constexpr std::size_t kChunkRecords = 200;

std::chrono::milliseconds lockWait(const EmulatorOptions& o) {
  if (o.lockWait.count() > 0) return o.lockWait;
  const auto tenChunks =
      std::chrono::duration_cast<std::chrono::milliseconds>(o.costPerRecord * 2000);
  return std::max(tenChunks, std::chrono::milliseconds(100));
}

/// The locks a chunk holds, given back however the chunk ends.
class HeldLocks {
 public:
  HeldLocks(RecordLocks& locks, std::vector<std::string> keys)
      : locks_(locks), keys_(std::move(keys)) {}
  ~HeldLocks() { locks_.release(keys_); }
  HeldLocks(const HeldLocks&) = delete;
  HeldLocks& operator=(const HeldLocks&) = delete;

 private:
  RecordLocks& locks_;
  std::vector<std::string> keys_;
};

BatchOutcome outcomeOf(std::vector<DmlResult> results, BatchState state, std::string message) {
  BatchOutcome outcome;
  outcome.state = state;
  outcome.stateMessage = std::move(message);
  outcome.recordsProcessed = static_cast<long long>(results.size());
  outcome.recordsFailed =
      std::count_if(results.begin(), results.end(), [](const DmlResult& r) { return !r.success; });
  // A Failed batch that wrote nothing has no results to download (§6.3).
  if (state != BatchState::Failed || !results.empty()) {
    outcome.dmlResults = std::make_shared<const std::vector<DmlResult>>(std::move(results));
  }
  return outcome;
}

}  // namespace

long long BatchProcessor::runDml(const Job& job, const Batch& batch,
                                 std::shared_ptr<DmlProgress> progress) {
  const EmulatorOptions& o = context_.options;
  const bool locking = o.parentLocks && !job.serial();  // Serial jobs never contend (§9.7)
  const double faultShare = context_.faults.get().lockFailureShare;
  DmlProgress& p = *progress;
  const std::size_t total = p.records.size();
  const bool interrupted = context_.faults.takeTransientBatchFailure();
  std::size_t chunksThisAttempt = 0;
  long long handled = 0;
  try {
    while (p.next < total) {
      if (stopping()) throw std::runtime_error("the emulator is stopping");
      // A transient failure stops the attempt after its first chunk (before it when it is
      // the last), the time limit once the attempt's modelled time has run out; each
      // attempt writes at least one chunk otherwise, so a batch always gets further.
      const bool lastChunk = total - p.next <= kChunkRecords;
      const bool outOfTime =
          chunksThisAttempt > 0 && p.busyUntil - p.attemptStarted >= o.batchTimeLimit;
      if (outOfTime || (interrupted && (chunksThisAttempt > 0 || lastChunk))) {
        const auto now = std::chrono::steady_clock::now();
        if (job.disableBatchRetry || p.serverRetries >= kUploadRetries) {
          const std::string why =
              outOfTime ? "The batch ran past the processing time limit" : kTransientFailure;
          finish(batch.id,
                 outcomeOf(std::move(p.results), BatchState::Failed,
                           job.disableBatchRetry ? failedWithoutRetry(why)
                                                 : retriedMoreThan(kUploadRetries)),
                 p.started, std::max(p.busyUntil, now));
          return handled;
        }
        ++p.serverRetries;
        p.busyUntil = std::max(p.busyUntil, now);
        requeue({job.id, batch.id, job.serial(), false, nullptr, nullptr, progress, 0});
        return handled;
      }
      const std::size_t begin = p.next;
      const std::size_t count = std::min(kChunkRecords, total - begin);
      std::vector<std::vector<std::string>> parents =
          locking ? context_.org.parentLocks(job.object, &p.records[begin], count)
                  : std::vector<std::vector<std::string>>(count);
      std::vector<std::string> wanted;
      for (const auto& mine : parents) wanted.insert(wanted.end(), mine.begin(), mine.end());
      std::sort(wanted.begin(), wanted.end());
      wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
      std::vector<std::string> missed;
      if (!wanted.empty()) {
        missed = locks_.acquire(wanted, std::chrono::steady_clock::now() + lockWait(o));
      }
      std::vector<std::string> taken;
      std::set_difference(wanted.begin(), wanted.end(), missed.begin(), missed.end(),
                          std::back_inserter(taken));
      HeldLocks held(locks_, std::move(taken));

      // The parent each record waited for in vain, if any.
      std::vector<const std::string*> blockedBy(count, nullptr);
      std::size_t blocked = 0;
      for (std::size_t i = 0; i < count && !missed.empty(); ++i) {
        for (const std::string& parent : parents[i]) {
          if (std::binary_search(missed.begin(), missed.end(), parent)) {
            blockedBy[i] = &parent;
            ++blocked;
            break;
          }
        }
      }
      if (blocked == count) {
        // Not one record of the chunk got its locks: the service puts the batch back in
        // the queue (numberRetries), and fails it after its retries run out.
        if (job.disableBatchRetry || p.retries >= o.lockRetries) {
          finish(batch.id,
                 outcomeOf(std::move(p.results), BatchState::Failed,
                           "TooManyLockFailure : Too many lock failure " + std::to_string(count) +
                               " Trying again later."),
                 p.started, std::max(p.busyUntil, std::chrono::steady_clock::now()));
          return handled;
        }
        ++p.retries;
        p.busyUntil = std::chrono::steady_clock::now();
        requeue({job.id, batch.id, false, false, nullptr, nullptr, progress, 0});
        return handled;
      }

      std::vector<InputRecord> writable;
      std::vector<bool> faulted(count, false);
      for (std::size_t i = 0; i < count; ++i) {
        faulted[i] = !blockedBy[i] && lockFaultHits(begin + i, faultShare);
        if (!blockedBy[i] && !faulted[i]) writable.push_back(std::move(p.records[begin + i]));
      }
      std::vector<DmlResult> written;
      if (!writable.empty()) {
        written =
            context_.org.applyDml(job.operation, job.object, writable, job.externalIdFieldName);
      }
      auto next = written.begin();
      for (std::size_t i = 0; i < count; ++i) {
        if (blockedBy[i]) {
          p.results.push_back(unableToLockRow(*blockedBy[i]));
        } else if (faulted[i]) {
          p.results.push_back(unableToLockRow(parents[i].empty() ? "" : parents[i].front()));
        } else {
          p.results.push_back(std::move(*next++));
        }
      }
      p.next = begin + count;
      ++chunksThisAttempt;
      handled += static_cast<long long>(count);
      // The chunk's transaction lasts its share of the modelled time, locks held.
      p.busyUntil = std::max(p.busyUntil, std::chrono::steady_clock::now()) +
                    o.costPerRecord * static_cast<std::chrono::microseconds::rep>(count);
      sleepUntil(p.busyUntil);
    }
  } catch (const BatchFailure& e) {
    finish(batch.id, outcomeOf(std::move(p.results), BatchState::Failed, e.what()), p.started,
           p.busyUntil);
    return handled;
  } catch (const std::exception& e) {
    finish(batch.id,
           outcomeOf(std::move(p.results), BatchState::Failed,
                     std::string("InternalServerError : ") + e.what()),
           p.started, p.busyUntil);
    return handled;
  }
  finish(batch.id, outcomeOf(std::move(p.results), BatchState::Completed, {}), p.started,
         p.busyUntil);
  return handled;
}

}  // namespace sfdc::emulator::server
