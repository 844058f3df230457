#pragma once

// Bulk API 2.0 jobs, ingest and query, in the same org as the 1.0 jobs: their state, the
// upload and the outcome of each internal batch, the query's rows, and their jobInfo in
// the documented key order.

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bulk2_csv.hpp"
#include "job_store.hpp"
#include "org.hpp"

namespace sfdc::emulator::server {

/// Rows per internal batch: the service cuts an upload into batches of 10,000 records.
inline constexpr std::size_t kBulk2BatchRows = 10000;

/// One internal batch of an ingest job.
struct Bulk2Chunk {
  enum class State { Queued, Done, Failed, Skipped };
  std::size_t firstRow = 0;  ///< index into Bulk2Job::rows
  std::size_t rowCount = 0;
  State state = State::Queued;
  std::vector<DmlResult> results;
  std::string failure;
};

struct Bulk2Job {
  std::mutex mutex;  ///< guards everything below that changes after creation
  std::string id;
  bool query = false;
  std::string operation;
  std::string object;
  std::string externalIdFieldName;
  std::string assignmentRuleId;
  std::string apiVersion;  ///< "59.0"
  std::string columnDelimiter = "COMMA";
  char delimiter = ',';
  std::string lineEnding = "LF";
  std::string state = "Open";
  std::string createdById;
  TimePoint createdDate;
  TimePoint systemModstamp;
  std::string errorMessage;
  long long totalProcessingMs = 0;

  // Ingest.
  int uploads = 0;
  std::shared_ptr<const std::string> data;                ///< the first upload, decoded
  std::vector<std::pair<std::size_t, std::size_t>> rows;  ///< data rows (header excluded)
  std::string header;                                     ///< the header record as uploaded
  std::vector<Bulk2Chunk> chunks;
  std::size_t chunksFinished = 0;

  // Query.
  std::string soql;
  /// Written by the worker that runs the job; set once it is JobComplete.
  std::shared_ptr<const CsvResults> results;

  /// Counters from the internal batches (ingest) or the rows (query).
  long long recordsProcessed() const;
  long long recordsFailed() const;
  bool terminal() const {
    return state == "JobComplete" || state == "Failed" || state == "Aborted";
  }
};

/// The jobs, by id. Handlers hold a job's mutex while they read or change it.
class Bulk2Store {
 public:
  std::shared_ptr<Bulk2Job> add(std::shared_ptr<Bulk2Job> job);
  std::shared_ptr<Bulk2Job> find(const std::string& id) const;
  void erase(const std::string& id);
  std::vector<std::shared_ptr<Bulk2Job>> all() const;
  void clear();

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Bulk2Job>> jobs_;
};

/// How much of a jobInfo to write: the create answer, the short answer of a state
/// change, or everything (GET and listings).
enum class Bulk2InfoForm { Create, Short, Full };

/// A 2.0 jobInfo (the caller holds the job's mutex).
nlohmann::ordered_json bulk2JobInfo(const Bulk2Job& job, Bulk2InfoForm form);
/// A Bulk API 1.0 job as a 2.0 listing shows it (`jobType` Classic).
nlohmann::ordered_json classicJobInfo(const Job& job);

}  // namespace sfdc::emulator::server
