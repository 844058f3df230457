#pragma once

// Jobs and batches: their state, the ids the server assigns and the counters it reports.
// One mutex guards everything; readers get copies whose large parts (request bodies,
// results) are shared, immutable strings, so a copy is cheap.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "org.hpp"

namespace sfdc::emulator::server {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

enum class BatchState { Queued, InProgress, Completed, Failed, NotProcessed };
const char* toString(BatchState state);

/// Sforce-Enable-PKChunking, parsed (§9.1).
struct PkChunking {
  bool enabled = false;
  int chunkSize = 100000;
  std::string parent;
  std::string startRow;
};

struct Job {
  std::string id;
  std::string operation;
  std::string object;
  std::string createdById;
  TimePoint createdDate;
  TimePoint systemModstamp;
  std::string state = "Open";
  std::string externalIdFieldName;
  std::string concurrencyMode = "Parallel";
  std::string contentType = "XML";
  std::string apiVersion;
  std::string assignmentRuleId;
  int numberRetries = 0;
  // Request headers captured at creation (§9.1, §9.4, §9.5).
  PkChunking pkChunking;
  std::string lineEnding;
  bool disableBatchRetry = false;

  bool isQuery() const { return operation == "query" || operation == "queryAll"; }
  bool serial() const { return concurrencyMode == "Serial"; }
};

/// Job counters, recomputed from the batch states on every read (§3.5).
struct JobCounters {
  int queued = 0;
  int inProgress = 0;
  int completed = 0;
  int failed = 0;
  int total = 0;
  long long recordsProcessed = 0;
  long long recordsFailed = 0;
  long long totalProcessingTime = 0;
  long long apiActiveProcessingTime = 0;
  long long apexProcessingTime = 0;
};

struct JobView {
  Job job;
  JobCounters counters;
};

struct ResultFile {
  std::string id;  ///< 15-character `752…` id, as the result-list shows them (§1.1)
  std::shared_ptr<const std::string> body;
  /// `body` gzipped while the batch ran (under the network model), or null.
  std::shared_ptr<const std::string> gzipped;
};

struct Batch {
  std::string id;
  std::string jobId;
  BatchState state = BatchState::Queued;
  std::string stateMessage;
  TimePoint createdDate;
  TimePoint systemModstamp;
  long long numberRecordsProcessed = 0;
  long long numberRecordsFailed = 0;
  long long totalProcessingTime = 0;
  long long apiActiveProcessingTime = 0;
  long long apexProcessingTime = 0;
  std::shared_ptr<const std::string> request;  ///< the body as uploaded, decompressed
  std::shared_ptr<const std::vector<DmlResult>> dmlResults;
  std::vector<ResultFile> resultFiles;
  bool hasResults = false;
};

/// How a batch ended, reported by the batch processor.
struct BatchOutcome {
  BatchState state = BatchState::Completed;
  std::string stateMessage;
  long long recordsProcessed = 0;
  long long recordsFailed = 0;
  long long processingMs = 0;
  std::shared_ptr<const std::vector<DmlResult>> dmlResults;
  std::vector<std::shared_ptr<const std::string>> resultBodies;
  /// The same gzipped, one for each (under the network model), or empty.
  std::vector<std::shared_ptr<const std::string>> gzippedResultBodies;
};

class JobStore {
 public:
  JobStore();

  /// Assigns id, creator and dates; returns the stored job.
  Job createJob(Job job);
  std::optional<JobView> job(const std::string& jobId) const;
  /// Every job, for the Bulk API 2.0 listings (which show 1.0 jobs as `Classic`).
  std::vector<Job> allJobs() const;

  /// Open → Closed (Closed again is a no-op); throws ApiException otherwise.
  JobView closeJob(const std::string& jobId);
  /// Open/Closed → Aborted; Queued batches become NotProcessed (§3.5).
  JobView abortJob(const std::string& jobId);

  /// Store a new Queued batch; throws InvalidJobState unless the job is Open.
  Batch addBatch(const std::string& jobId, std::shared_ptr<const std::string> request);
  std::optional<Batch> batch(const std::string& jobId, const std::string& batchId) const;
  std::vector<Batch> batches(const std::string& jobId) const;

  /// Queued → InProgress; returns the job and the batch, or nothing when the batch is
  /// no longer Queued (its job was aborted meanwhile).
  std::optional<std::pair<Job, Batch>> startBatch(const std::string& batchId);
  void finishBatch(const std::string& batchId, BatchOutcome outcome);
  /// A batch of the job goes back to the queue (lock contention): counts in numberRetries.
  void noteRetry(const std::string& jobId);
  /// PK chunking: mark the original NotProcessed and add one Queued batch per request,
  /// with the original's createdDate. Returns the new batches in order.
  std::vector<Batch> splitIntoChunks(const std::string& batchId,
                                     const std::vector<std::string>& chunkRequests);

  void clear();

  /// The user every job is created by (`005…`).
  const std::string& userId() const { return userId_; }
  /// An 18-character id with the given 3-character key prefix.
  std::string newId(const char* prefix);

 private:
  JobCounters countersLocked(const std::string& jobId) const;
  Batch* findBatchLocked(const std::string& batchId);

  mutable std::mutex mutex_;
  std::string userId_;
  std::map<std::string, Job> jobs_;
  std::map<std::string, Batch> batches_;
  std::map<std::string, std::vector<std::string>> batchOrder_;  ///< job id → batch ids
};

/// The 15-character id plus the 3-character case-safe suffix Salesforce appends.
std::string toId18(const std::string& id15);

}  // namespace sfdc::emulator::server
