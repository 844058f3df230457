#pragma once

// The batch worker pool and its throughput model: `workers` batches run at once, each
// takes batchLatency + records × costPerRecord of (slept) time, Serial jobs run one batch
// at a time in submission order (§9.7). Processing never waits for the job to close
// (§3.5). DML runs in chunks of 200 records, each holding the locks on the parents it
// writes children of for its share of the time (record_locks.hpp). A batch interrupted
// by a transient failure or the time limit goes back to the queue, as on the service
// (numberRetries), and carries on where it stopped.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "record_locks.hpp"
#include "server_context.hpp"

namespace sfdc::emulator::server {

class BatchProcessor {
 public:
  explicit BatchProcessor(ServerContext& context);
  ~BatchProcessor();
  BatchProcessor(const BatchProcessor&) = delete;
  BatchProcessor& operator=(const BatchProcessor&) = delete;

  void start();
  void stop();
  void enqueue(const std::string& jobId, const std::string& batchId, bool serial);
  /// Run `work` on a worker of the same pool under the same throughput model as a batch:
  /// `work` does the processing and returns the records it handled; the worker then stays
  /// busy for batchLatency + records × `costPerRecord` and calls `done` (Bulk API 2.0
  /// jobs, whose internal batches and queries are not Bulk API 1.0 batches).
  void enqueueWork(std::function<long long()> work, std::function<void()> done,
                   std::chrono::microseconds costPerRecord);
  /// Forget every queued batch (emulator reset).
  void clear();
  /// The throughput model and what has been processed, for /_emulator/stats.
  nlohmann::json stats() const;

 private:
  /// A DML batch between attempts: its decoded records, the results of the chunks
  /// done, and the chunk the next attempt starts with (a batch locked out of a whole
  /// chunk goes back to the queue and resumes there).
  struct DmlProgress {
    std::vector<InputRecord> records;
    std::vector<DmlResult> results;
    std::size_t next = 0;
    int retries = 0;        ///< lock-outs so far (EmulatorOptions::lockRetries)
    int serverRetries = 0;  ///< transient failures and time limits so far
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point attemptStarted;  ///< for batchTimeLimit
    std::chrono::steady_clock::time_point busyUntil;       ///< end of the modelled time so far
  };

  struct Pending {
    std::string jobId;
    std::string batchId;
    bool serial = false;
    bool chunk = false;               ///< created by PK chunking; never chunked again
    std::function<long long()> work;  ///< enqueueWork items instead of a batch
    std::function<void()> done;
    std::shared_ptr<DmlProgress> progress;           ///< a DML batch queued again
    int queryRetries = 0;                            ///< a query batch queued again: how often
    std::chrono::microseconds workCostPerRecord{0};  ///< of `work`
  };

  void workerLoop();
  void run(const Pending& item);
  /// Processes one batch (batch_executor.cpp), `queryRetries` times retried before;
  /// returns the records it counted.
  long long execute(const Job& job, const Batch& batch, int queryRetries, bool chunk);
  /// Writes a DML batch's records chunk by chunk under parent locks (batch_dml.cpp), from
  /// `progress.next` on; finishes the batch, or queues it again when a whole chunk is
  /// locked out. Returns the records it handled.
  long long runDml(const Job& job, const Batch& batch, std::shared_ptr<DmlProgress> progress);
  /// Queues `item` again after a server-side interruption (numberRetries): first in line
  /// for a Serial job, so that its batches keep their order, last otherwise.
  void requeue(Pending item);
  /// Records the outcome once the modelled time `busyUntil` has passed.
  void finish(const std::string& batchId, BatchOutcome outcome,
              std::chrono::steady_clock::time_point started,
              std::chrono::steady_clock::time_point busyUntil);
  bool stopping() const;
  void splitQuery(const Job& job, const Batch& batch);
  /// Sleeps until `deadline` unless the processor stops first.
  void sleepUntil(std::chrono::steady_clock::time_point deadline);

  ServerContext& context_;
  RecordLocks locks_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending> pending_;
  std::set<std::string> busySerialJobs_;
  std::vector<std::thread> threads_;
  bool stopping_ = false;
  long long batchesProcessed_ = 0;
  long long recordsProcessed_ = 0;
  long long busy_ = 0;
};

/// PK chunking helpers (§9.1), exposed for tests.
/// The object after the top-level FROM of a SOQL query.
std::string soqlFromObject(const std::string& soql);
/// Throws BatchFailure for an object PK chunking cannot split by its own ids (sharing and
/// history objects, which need the `parent` option).
void checkChunkable(const std::string& object);
/// Throws the service's BatchFailure when `soql` queries another object than the job's.
void checkQueryObject(const Job& job, const std::string& soql);
/// `soql` with `field >= 'lo' [AND field < 'hi']` added to its WHERE clause (AND-ed with
/// an existing condition) before any ORDER BY / LIMIT.
std::string addIdRange(const std::string& soql, const std::string& field, const std::string& lo,
                       const std::string& hi);

}  // namespace sfdc::emulator::server
