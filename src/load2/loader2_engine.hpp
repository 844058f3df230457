#pragma once

// The state of one Bulk API 2.0 load between the loading thread's steps: one slot per
// job's worth of rows (its spool file, where its job stands, its worker), the splitter,
// the result emitter. Member functions live in loader2.cpp (reading, running jobs,
// results) and loader2_outcomes.cpp (rows reported without a result, early stops).

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <string>
#include <thread>

#include "../load/batch_splitter.hpp"
#include "../load/result_emitter.hpp"
#include "../load/spool.hpp"
#include "job_runner.hpp"
#include "lf_rows.hpp"

namespace sfdc::bulk::detail::load2 {

using load::SplitBatch;
using load::SpoolDir;

struct JobSlot {
  SplitBatch split;
  bool placeholder = false;  // an invalid input row, never sent
  std::uint64_t firstEmit = 0;
  std::size_t emitCount = 1;
  std::thread worker;
  bool running = false;
  // Shared with the worker (under the loader's mutex).
  bool done = false;
  bool uploaded = false;
  JobRun run;
  Bulk2JobInfo info;
};

class Loader2 {
 public:
  Loader2(Bulk2Connection& api, Operation operation, std::string_view object,
          const RecordSource& source, const LoadOptions& options, const Load2Tuning& tuning)
      : api_(api),
        operation_(operation),
        object_(object),
        source_(source),
        options_(options),
        tuning_(tuning),
        runner_(api, operation, std::string(object), options, tuning_, signals_) {
    tuning_.deliverChunkRows = std::max<std::size_t>(1, tuning_.deliverChunkRows);
  }
  ~Loader2() {
    signals_.halt = true;
    for (auto& slot : slots_) {
      if (slot->worker.joinable()) slot->worker.join();
    }
  }
  LoadResult run();

 private:
  JobSlot& addSlot(SplitBatch split, bool placeholder = false);
  void start(JobSlot& slot, std::optional<Bulk2JobInfo> created);
  void loop();
  void readAhead();
  void collectFinished(bool readResultsOfTerminal);
  void handleRun(JobSlot& slot, bool readResultsOfTerminal);
  void readResults(JobSlot& slot);
  void deliver(JobSlot& slot, const std::function<RowResult(std::size_t)>& outcome);
  void reportRows(JobSlot& slot, const char* code, const std::string& reason);
  void markUnsent(JobSlot& slot, const std::string& reason);
  void markUnknown(JobSlot& slot, const std::string& reason);
  void recordInvalidRow(const std::exception_ptr& error);
  void drainSource(const std::string& reason);
  void stopWith(const std::exception_ptr& error);
  void reportProgress();
  void fillJobs();
  std::string summary() const;
  [[noreturn]] void abandon(const std::exception_ptr& cause);
  bool cancelRequested() const { return options_.cancel && options_.cancel->cancelled(); }

  Bulk2Connection& api_;
  Operation operation_;
  std::string object_;
  const RecordSource& source_;
  const LoadOptions& options_;
  Load2Tuning tuning_;
  LoadSignals signals_;
  JobRunner runner_;

  LoadResult result_;
  std::unique_ptr<SpoolDir> spool_;
  std::unique_ptr<load::ResultEmitter> emitter_;
  std::unique_ptr<PayloadSerializer> ownSerializer_;
  std::unique_ptr<LfRowReader> lfReader_;
  std::unique_ptr<load::BatchSplitter> splitter_;
  std::deque<std::unique_ptr<JobSlot>> slots_;
  std::uint64_t nextEmit_ = 0;
  int inFlight_ = 0;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t rowsSent_ = 0;  // under mutex_

  std::exception_ptr deferred_;  // raised once every row read is accounted for
  std::string stopReason_;
  bool sourceDone_ = false;
  bool stopReading_ = false;
  bool cancelled_ = false;
  std::uint64_t unknownRows_ = 0;
  std::uint64_t unsentRows_ = 0;
  std::uint64_t invalidRows_ = 0;
  LoadProgress reported_;
  bool reportedOnce_ = false;
};

}  // namespace sfdc::bulk::detail::load2
