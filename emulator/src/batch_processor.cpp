#include "batch_processor.hpp"

#include <algorithm>

namespace sfdc::emulator::server {

BatchProcessor::BatchProcessor(ServerContext& context) : context_(context) {}

BatchProcessor::~BatchProcessor() { stop(); }

void BatchProcessor::start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!threads_.empty()) return;
  stopping_ = false;
  const int workers = std::max(1, context_.options.workers);
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { workerLoop(); });
}

void BatchProcessor::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  locks_.clear();  // a batch waiting for a parent lock stops waiting
  for (auto& t : threads) t.join();
}

void BatchProcessor::enqueue(const std::string& jobId, const std::string& batchId, bool serial) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.push_back({jobId, batchId, serial, false, nullptr, nullptr, nullptr, 0});
  }
  wake_.notify_all();
}

void BatchProcessor::enqueueWork(std::function<long long()> work, std::function<void()> done,
                                 std::chrono::microseconds costPerRecord) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    Pending item;
    item.work = std::move(work);
    item.done = std::move(done);
    item.workCostPerRecord = costPerRecord;
    pending_.push_back(std::move(item));
  }
  wake_.notify_all();
}

void BatchProcessor::clear() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.clear();
  }
  locks_.clear();
}

void BatchProcessor::requeue(Pending item) {
  // The batch stays InProgress while it waits again, so that aborting the job does not
  // turn a batch that already wrote records NotProcessed [INF: the service's state for a
  // requeued batch is not documented].
  context_.jobs.noteRetry(item.jobId);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (item.serial) {
      pending_.push_front(std::move(item));
    } else {
      pending_.push_back(std::move(item));
    }
  }
  wake_.notify_all();
}

bool BatchProcessor::stopping() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

nlohmann::json BatchProcessor::stats() const {
  const auto& o = context_.options;
  std::lock_guard<std::mutex> lock(mutex_);
  return {{"workers", o.workers},
          {"costPerRecordUs", o.costPerRecord.count()},
          {"queryCostPerRecordUs", queryCostPerRecord(o).count()},
          {"roundTripMs", o.roundTripTime.count()},
          {"bandwidthBytesPerSecond", o.bandwidthBytesPerSecond},
          {"batchLatencyMs", o.batchLatency.count()},
          // With enough batches, the fastest possible wall time of a load is about
          // sum(batchTimeUs) / workers for Parallel jobs and sum(batchTimeUs) for Serial.
          {"batchTimeUs", "batchLatencyMs * 1000 + records * costPerRecordUs"},
          {"queued", pending_.size()},
          {"inProgress", busy_},
          {"batchesProcessed", batchesProcessed_},
          {"recordsProcessed", recordsProcessed_},
          {"locks", locks_.stats()},
          {"batchAllocationUsed", context_.allocation.used()}};
}

void BatchProcessor::sleepUntil(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_until(lock, deadline, [this] { return stopping_; });
}

void BatchProcessor::workerLoop() {
  for (;;) {
    Pending item;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto runnable = pending_.end();
      wake_.wait(lock, [&] {
        if (stopping_) return true;
        // The first queued batch whose job isn't Serial with a batch already running:
        // Serial batches thus start strictly in submission order, one at a time.
        runnable = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) {
          return !p.serial || busySerialJobs_.count(p.jobId) == 0;
        });
        return runnable != pending_.end();
      });
      if (stopping_) return;
      item = *runnable;
      pending_.erase(runnable);
      if (item.serial) busySerialJobs_.insert(item.jobId);
      ++busy_;
    }
    run(item);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (item.serial) busySerialJobs_.erase(item.jobId);
      --busy_;
    }
    wake_.notify_all();
  }
}

void BatchProcessor::run(const Pending& item) {
  if (item.work) {
    const auto begun = std::chrono::steady_clock::now();
    long long records = 0;
    try {
      records = item.work();
    } catch (const std::exception&) {
      // The work records its own failure; the worker only models the time.
    }
    const auto& o = context_.options;
    sleepUntil(begun + o.batchLatency +
               item.workCostPerRecord * static_cast<std::chrono::microseconds::rep>(records));
    if (item.done) item.done();
    std::lock_guard<std::mutex> lock(mutex_);
    ++batchesProcessed_;
    recordsProcessed_ += records;
    return;
  }
  long long records = 0;
  if (item.progress || item.queryRetries > 0) {
    // A batch queued again after a lock-out or an interruption: it is still InProgress.
    const auto view = context_.jobs.job(item.jobId);
    const auto batch = context_.jobs.batch(item.jobId, item.batchId);
    if (!view || !batch || batch->state != BatchState::InProgress) return;  // reset
    if (item.progress) item.progress->attemptStarted = std::chrono::steady_clock::now();
    records = item.progress ? runDml(view->job, *batch, item.progress)
                            : execute(view->job, *batch, item.queryRetries, item.chunk);
  } else {
    auto started = context_.jobs.startBatch(item.batchId);
    if (!started) return;  // aborted (NotProcessed) or reset while queued
    const Job& job = started->first;
    const Batch& batch = started->second;
    if (job.isQuery() && job.pkChunking.enabled && !item.chunk) {
      splitQuery(job, batch);
      return;
    }
    records = execute(job, batch, 0, item.chunk);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ++batchesProcessed_;
  recordsProcessed_ += records;
}

void BatchProcessor::splitQuery(const Job& job, const Batch& batch) {
  const std::string soql = batch.request ? *batch.request : std::string();
  const PkChunking& pk = job.pkChunking;
  // With `parent`, chunks follow the parent object's ids and filter on the sharing
  // object's reference to it (AccountShare.AccountId, Foo__Share.ParentId) [INF].
  const std::string object = pk.parent.empty() ? soqlFromObject(soql) : pk.parent;
  std::string field = "Id";
  if (!pk.parent.empty()) {
    const bool custom =
        pk.parent.size() > 3 && pk.parent.compare(pk.parent.size() - 3, 3, "__c") == 0;
    field = custom ? "ParentId" : pk.parent + "Id";
  }
  std::vector<std::string> boundaries;
  try {
    // With `parent`, the query is on the sharing/history object the job names.
    checkQueryObject(job, soql);
    if (pk.parent.empty()) checkChunkable(object);
    boundaries = context_.org.chunkBoundaries(object, pk.chunkSize, pk.startRow,
                                              job.operation == "queryAll");
  } catch (const std::exception& e) {
    // §9.1: the original batch is Failed when chunking fails.
    BatchOutcome failed;
    failed.state = BatchState::Failed;
    failed.stateMessage = e.what();
    context_.jobs.finishBatch(batch.id, std::move(failed));
    return;
  }
  std::vector<std::string> requests;
  if (boundaries.empty()) {
    requests.push_back(pk.startRow.empty() ? soql : addIdRange(soql, field, pk.startRow, ""));
  }
  for (std::size_t i = 0; i < boundaries.size(); ++i) {
    const std::string hi = i + 1 < boundaries.size() ? boundaries[i + 1] : std::string();
    requests.push_back(addIdRange(soql, field, boundaries[i], hi));
  }
  const auto chunks = context_.jobs.splitIntoChunks(batch.id, requests);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& c : chunks)
      pending_.push_back({job.id, c.id, job.serial(), true, nullptr, nullptr, nullptr, 0});
  }
  wake_.notify_all();
}

}  // namespace sfdc::emulator::server
