#pragma once

// An in-memory Bulk API server behind the Connection seam, for the load engine. Batches are created
// by addBatch and finish when the test says so (or on the next poll), and scripted faults reproduce
// what the wire can do to a non-idempotent POST: the answer lost after the batch was created, the
// connection lost before it was, a 503.

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::testing {

enum class AddFault { None, LoseAnswerAfterCreate, DropBeforeCreate, Unavailable503, Refuse400 };

struct FakeBatch {
  BatchInfo info;
  std::string body;
  std::size_t records = 0;
};

class FakeLoadConnection : public Connection {
 public:
  /// Finish every batch on the poll after it was created (false: the test finishes them).
  bool autoComplete = true;
  /// Order in which auto-completion finishes batches: false = creation order, true = the
  /// newest first (to exercise out-of-order results).
  bool completeNewestFirst = false;
  /// Per-record result; default: success with a generated id, created.
  std::function<RecordResult(const FakeBatch&, std::size_t index)> resultFor;
  /// Called when a batch completes to decide its final state (default Completed).
  std::function<void(FakeBatch&)> onComplete;
  std::deque<AddFault> addFaults;
  ContentType contentType = ContentType::CSV;

  JobInfo createJob(Operation operation, std::string_view object, ContentType type,
                    const JobOptions& options) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++createJobCalls;
    jobOptions = options;
    contentType = type;
    JobInfo info;
    info.id = "750000000000001AAA";
    info.operation = operation;
    info.object = std::string(object);
    info.contentType = type;
    info.externalIdFieldName = options.externalIdFieldName;
    info.state = JobState::Open;
    return info;
  }

  BatchInfo addBatchStreamed(const Job& job, std::shared_ptr<BodySource> source,
                             const AddBatchOptions& options) override {
    std::string body;
    char buffer[8192];
    for (std::size_t n; (n = source->read(buffer, sizeof buffer)) > 0;) body.append(buffer, n);
    std::lock_guard<std::mutex> lock(mutex_);
    ++addBatchCalls;
    gzipChoices.push_back(options.gzip);
    AddFault fault = AddFault::None;
    if (!addFaults.empty()) {
      fault = addFaults.front();
      addFaults.pop_front();
    }
    if (fault == AddFault::DropBeforeCreate)
      throw TransportError("connection reset", 56, true, true);
    if (fault == AddFault::Unavailable503) throw ApiError(503, "", "Service Unavailable", job.id);
    if (fault == AddFault::Refuse400)
      throw ApiError(400, "InvalidJobState", "Job is aborted", job.id);
    if (aborted) throw ApiError(400, "InvalidJobState", "Job is aborted", job.id);
    FakeBatch batch;
    char id[32];
    std::snprintf(id, sizeof id, "751%012zuAAA", batches.size() + 1);
    batch.info.id = id;
    batch.info.jobId = job.id;
    batch.info.state = BatchState::Queued;
    char date[40];
    std::snprintf(date, sizeof date, "2024-01-01T00:00:%02zu.000Z", batches.size() % 60);
    batch.info.createdDate = date;
    batch.body = body;
    batch.records = countRecords(body);
    batches.push_back(batch);
    if (fault == AddFault::LoseAnswerAfterCreate) {
      throw TransportError("connection reset after the body was sent", 56, true, true);
    }
    return batch.info;
  }

  std::vector<BatchInfo> getAllBatches(const Job&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++getAllBatchesCalls;
    std::vector<BatchInfo> list;
    // Batches present at the previous poll finish at this one.
    if (autoComplete) {
      std::vector<std::size_t> order;
      for (std::size_t i = 0; i < seenAtLastPoll_; ++i) order.push_back(i);
      if (completeNewestFirst) std::reverse(order.begin(), order.end());
      for (auto i : order) completeLocked(batches[i]);
    }
    seenAtLastPoll_ = batches.size();
    for (const auto& batch : batches) list.push_back(batch.info);
    return list;
  }

  std::string getBatchRequest(const Job&, std::string_view batchId) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++getBatchRequestCalls;
    return find(std::string(batchId)).body;
  }

  std::vector<RecordResult> getBatchResults(const Job&, std::string_view batchId) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++getBatchResultCalls;
    FakeBatch& batch = find(std::string(batchId));
    std::vector<RecordResult> results;
    const std::size_t n = resultCountOverride >= 0
                              ? static_cast<std::size_t>(resultCountOverride)
                              : static_cast<std::size_t>(batch.info.numberRecordsProcessed);
    for (std::size_t i = 0; i < n; ++i) {
      if (resultFor) {
        results.push_back(resultFor(batch, i));
      } else {
        results.push_back(
            RecordResult{"003" + batch.info.id.substr(3, 9) + std::to_string(i), true, true, {}});
      }
    }
    return results;
  }

  JobInfo getJobInfo(const Job& job) override {
    std::lock_guard<std::mutex> lock(mutex_);
    ++getJobInfoCalls;
    JobInfo info = stateOf(job, closed ? JobState::Closed : JobState::Open);
    info.numberRetries = numberRetries;
    return info;
  }
  JobInfo closeJob(const Job& job) override {
    std::lock_guard<std::mutex> lock(mutex_);
    closed = true;
    JobInfo info = stateOf(job, JobState::Closed);
    info.numberRetries = numberRetries;
    return info;
  }
  JobInfo abortJob(const Job& job) override {
    std::lock_guard<std::mutex> lock(mutex_);
    aborted = true;
    for (auto& batch : batches) {
      if (batch.info.state == BatchState::Queued) batch.info.state = BatchState::NotProcessed;
    }
    return stateOf(job, JobState::Aborted);
  }
  void log(LogLevel, const std::string& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    logs.push_back(message);
  }

  void completeAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& batch : batches) completeLocked(batch);
  }

  std::size_t recordsInBatches() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t total = 0;
    for (const auto& batch : batches) total += batch.records;
    return total;
  }

  // Counters and state the tests inspect.
  int createJobCalls = 0;
  int addBatchCalls = 0;
  int getAllBatchesCalls = 0;
  int getBatchRequestCalls = 0;
  int getBatchResultCalls = 0;
  int getJobInfoCalls = 0;
  int resultCountOverride = -1;
  /// The job's numberRetries, as getJobInfo and closeJob report it.
  std::atomic<int> numberRetries{0};
  bool closed = false;
  bool aborted = false;
  JobOptions jobOptions;
  /// AddBatchOptions::gzip of every upload, in order.
  std::vector<std::optional<bool>> gzipChoices;
  std::vector<FakeBatch> batches;
  std::vector<std::string> logs;

 private:
  static JobInfo stateOf(const Job& job, JobState state) {
    JobInfo info;
    info.id = job.id;
    info.operation = job.operation;
    info.object = job.object;
    info.contentType = job.contentType;
    info.state = state;
    return info;
  }

  std::size_t countRecords(const std::string& body) const {
    if (contentType == ContentType::JSON) return nlohmann::json::parse(body).size();
    if (contentType == ContentType::XML) {
      std::size_t n = 0;
      for (auto p = body.find("<sObject>"); p != std::string::npos;
           p = body.find("<sObject>", p + 1))
        ++n;
      return n;
    }
    CsvReader reader = CsvReader::fromString(body);
    std::vector<std::string> fields;
    std::size_t rows = 0;
    while (reader.next(fields)) ++rows;
    return rows == 0 ? 0 : rows - 1;
  }

  void completeLocked(FakeBatch& batch) {
    if (batch.info.isTerminal()) return;
    batch.info.state = BatchState::Completed;
    batch.info.numberRecordsProcessed = static_cast<std::int64_t>(batch.records);
    if (onComplete) onComplete(batch);
  }

  FakeBatch& find(const std::string& id) {
    for (auto& batch : batches) {
      if (batch.info.id == id) return batch;
    }
    throw ApiError(400, "InvalidBatch", "no batch " + id);
  }

  mutable std::mutex mutex_;
  std::size_t seenAtLastPoll_ = 0;
};

}  // namespace sfdc::bulk::testing
