#pragma once

// An in-memory Bulk API 2.0 ingest service for the 2.0 load engine's unit tests: jobs
// with their states, one PUT per job (a second poisons the close, as on the real
// service), processing at close, result files shuffled out of input order, rows that
// fail, stay unprocessed or vanish, whole-job failures, numbers re-rendered as Java
// doubles, and injectable ambiguous create/PUT/close failures.

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <string>
#include <vector>

namespace sfdc::bulk::testing {

class FakeBulk2Ingest : public Bulk2Connection {
 public:
  // Vanish: processed, in no result file. Twice: succeeds, listed twice.
  enum class Fate { Succeed, Fail, Unprocessed, Vanish, Twice };
  using Row = std::vector<std::string>;

  struct Job {
    Bulk2JobInfo info;
    std::string body;  // as uploaded
    Row header;
    std::vector<Row> rows;
    std::vector<Fate> fates;
    std::vector<std::string> ids;
    int puts = 0;
    int polls = 0;
    bool processed = false;
  };

  // What happens to each row (default: it succeeds). Called when the job is closed.
  std::function<Fate(const Row& header, const Row& row)> fate;
  // Failed rows' sf__Error cell.
  std::string errorCell = "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --";
  // A non-empty message fails the job as a whole at close (nothing processed).
  std::function<std::string(const Row& header)> jobFailure;
  // A non-empty message fails the job after processing the rows whose fate allows it.
  std::string failAfterProcessing;
  // Integer cells come back in Java double notation (912260031 -> 9.12260031E8).
  bool rerenderNumbers = false;
  // Polls of a closed job before it is terminal; never terminal when negative.
  int pollsUntilDone = 1;
  // Failure injection: the next N calls do their work, then lose the answer.
  std::atomic<int> ambiguousCreates{0};
  std::atomic<int> ambiguousPuts{0};
  std::atomic<int> ambiguousCloses{0};
  // The next N PUTs / closes are refused with 400 (nothing done).
  std::atomic<int> refusedPuts{0};
  std::atomic<int> refusedCloses{0};
  // The next N getIngestJobInfo calls are refused with 400.
  std::atomic<int> refusedInfoReads{0};
  // Called on every getIngestJobInfo with the job's position (0-based, creation order).
  std::function<void(std::size_t jobIndex)> onPoll;

  Bulk2JobInfo createIngestJob(Operation operation, std::string_view object,
                               const IngestJobOptions& options) override;
  void uploadJobData(const IngestJob& job, std::shared_ptr<BodySource> csv,
                     const UploadOptions& options) override;
  Bulk2JobInfo closeIngestJob(std::string_view jobId) override;
  Bulk2JobInfo abortIngestJob(std::string_view jobId) override;
  Bulk2JobInfo getIngestJobInfo(std::string_view jobId) override;
  Bulk2CsvReader openIngestResults(const IngestJob& job, IngestResultKind kind) override;
  void log(LogLevel level, const std::string& message) override;

  std::vector<Job> jobs() const;
  std::vector<std::string> logs() const;
  int resultDownloads() const;
  // Jobs in a terminal state.
  std::size_t terminalJobs() const;
  // How many times each row (cells joined by '|') was processed successfully or failed.
  std::map<std::string, int> processedRows() const;

 private:
  Job& find(std::string_view id);
  void process(Job& job);
  std::string resultsCsv(const Job& job, IngestResultKind kind) const;

  mutable std::mutex mutex_;
  std::vector<Job> jobs_;
  std::vector<std::string> logs_;
  int downloads_ = 0;
  std::uint64_t nextId_ = 1;
};

}  // namespace sfdc::bulk::testing
