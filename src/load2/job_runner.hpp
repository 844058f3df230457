#pragma once

// The life of one Bulk API 2.0 job of a load, on a worker thread: create it, upload its
// spooled CSV in one PUT, close it, poll it until it is terminal. Reading its results
// and reporting rows stay on the loading thread.
//
// Only what provably did not happen is repeated. A create whose answer was lost may
// have left an empty Open job behind, which processes nothing; it is logged and a new
// job created. An upload whose answer was lost may or may not have put the data in the
// job, and a second PUT to the same job poisons it, so that job is aborted and the data
// go to a new one: nothing is processed twice.

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <sfdc/bulk/bulk2_connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>

namespace sfdc::bulk::detail::load2 {

using Clock = std::chrono::steady_clock;

/// Knobs that are not public options; tests shorten the waits.
struct Load2Tuning {
  /// createIngestJob attempts when an attempt's outcome is unknown (twice as many when
  /// the job provably was not created).
  int createJobAttempts = 5;
  std::chrono::milliseconds retryDelay{1000};
  /// Jobs one batch of rows may be uploaded to (a new one after each ambiguous upload).
  int uploadAttempts = 3;
  /// Longest sleep of any thread of the load, so that cancellation is noticed promptly.
  std::chrono::milliseconds wakeInterval{100};
  /// Rows handed to the result emitter per call.
  std::size_t deliverChunkRows = 10'000;
  /// Where the spool directory goes when LoadOptions::spoolDirectory is empty.
  std::string spoolParent;
};

/// What the workers and the loading thread share about the whole load.
struct LoadSignals {
  std::atomic<bool> stopSending{false};  ///< send nothing more (the load stops part-way)
  std::atomic<bool> halt{false};         ///< stop waiting for jobs (timeout, loader error)
  /// Jobs of the load that reached a terminal state. When one does, the others' polls
  /// wake and start again from the shortest interval: the service's workers just freed
  /// up, so a job that sat queued is probably starting now, and a backoff grown while it
  /// waited would otherwise see it finish late.
  std::atomic<int> jobsFinished{0};
  Clock::time_point deadline;
};

/// How a job ended, as far as its rows are concerned.
struct JobRun {
  enum class End {
    Terminal,  ///< JobComplete, Failed or Aborted: read its results
    NotSent,   ///< its data are in no job that can process them
    Unknown,   ///< uploaded, but the load stopped before the job finished
  };
  End end = End::NotSent;
  Bulk2JobInfo info;         ///< last jobInfo read (empty id when no job exists)
  std::exception_ptr error;  ///< why it did not reach Terminal (null when cancelled)
  std::string reason;        ///< for the rows' error message
};

class JobRunner {
 public:
  using InfoSink = std::function<void(const Bulk2JobInfo& info, bool uploaded)>;

  JobRunner(Bulk2Connection& api, Operation operation, std::string object,
            const LoadOptions& options, const Load2Tuning& tuning, LoadSignals& signals);

  /// Creates a job, retrying what provably did not happen; throws the last error.
  Bulk2JobInfo create();

  /// Runs the job for the CSV at `bodyPath` to its end. `created` is a job already
  /// created for it. `onInfo` hears every jobInfo read. Never throws.
  JobRun run(const std::string& bodyPath, std::optional<Bulk2JobInfo> created,
             const InfoSink& onInfo);

 private:
  bool cancelled() const;
  void abort(const std::string& jobId, const std::string& why);
  /// Sleeps up to `wait`, waking early for cancellation or a halt, and (when
  /// `finishedSeen` is not negative) once LoadSignals::jobsFinished differs from it;
  /// false on a halt or past the deadline.
  bool pause(std::chrono::milliseconds wait, int finishedSeen = -1);
  /// Transient read failures are retried until the deadline; rethrows others.
  Bulk2JobInfo readInfo(const std::string& jobId);
  /// Closes the job; throws when it cannot. `stillOpen` then tells whether the job was
  /// last read in state Open (nothing of it processed).
  void close(Bulk2JobInfo& info, bool& stillOpen);

  Bulk2Connection& api_;
  Operation operation_;
  std::string object_;
  const LoadOptions& options_;
  Load2Tuning tuning_;
  LoadSignals& signals_;
};

}  // namespace sfdc::bulk::detail::load2
