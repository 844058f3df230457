#pragma once

// The state of one Client::load between the loading thread's steps: the batches (slots)
// and where each stands, the upload pool, the result emitter, the duplicate watch. Its
// member functions live in loader.cpp (reading, sending, polling, results),
// loader_outcomes.cpp (how every row gets an outcome when the load stops early) and
// loader_lock_aware.cpp (group order and lock retries).

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <sfdc/bulk/serializer.hpp>
#include <string>
#include <vector>

#include "../error_text.hpp"
#include "batch_splitter.hpp"
#include "journal.hpp"
#include "key_partitioner.hpp"
#include "loader.hpp"
#include "lock_retry.hpp"
#include "poll_backoff.hpp"
#include "result_emitter.hpp"
#include "spool.hpp"
#include "upload_pool.hpp"

namespace sfdc::bulk::detail::load {

using Clock = std::chrono::steady_clock;

class Loader {
 public:
  Loader(Connection& api, Operation operation, std::string_view object, const RecordSource& source,
         const LoadOptions& options, const LoadTuning& tuning, const JournalState* resume = nullptr)
      : api_(api),
        operation_(operation),
        object_(object),
        source_(source),
        options_(options),
        tuning_(tuning),
        resume_(resume),
        backoff_(options.pollMinInterval, options.pollMaxInterval) {}

  LoadResult run();

 private:
  // Done: the batch finished on the server; its results are still to be read.
  enum class Stage { Queued, Uploading, Ambiguous, RetryLater, Sent, Done, Finished };
  struct Slot {
    SplitBatch split;
    Stage stage = Stage::Queued;
    int resends = 0;
    Clock::time_point retryAt;
    Clock::time_point sentAt;  // when the upload was confirmed
    BatchInfo info;
    /// A lock retry batch: where each of its rows' outcome belongs. Empty otherwise.
    std::vector<RetryOrigin> retryOf;
    bool journaled = false;  // its batch entry is in the journal
  };

  void runLoop();
  void finishLoad();
  /// waitForResults false: every batch uploaded and confirmed, nothing left to send.
  bool allSubmitted() const;
  /// waitForResults false: close the job and return without results.
  void finishSubmitted();
  [[noreturn]] void abandon(std::exception_ptr cause);
  void settleUploads();
  void drainSource(const std::string& reason);
  void recordInvalidRow(const std::exception_ptr& error);
  void markUnknown(Slot& slot, const std::string& reason);
  /// Every row of `slot` without a result: notProcessed, with error `code`.
  void reportWithoutResult(Slot& slot, const char* code, const std::string& reason);
  void noteStrays(const std::vector<BatchInfo>& list);
  void downloadResults();
  bool readFailed(const std::exception_ptr& error, const std::string& what,
                  Clock::time_point& retryAt);
  std::string summary() const;
  void createJob();
  // Journal (loader_journal.cpp).
  void openJournal();
  void beginResume();
  void resumeJob();
  void journalJob();
  void journalBatch(Slot& slot);
  void journalAccepted(const Slot& slot);
  void journalInputEnd();
  void journalEnd(const char* state, const std::string& reason) noexcept;
  void addSlot(SplitBatch split);
  void readAhead();
  void submitReady();
  void handle(UploadDone& done);
  void markSent(Slot& slot, const BatchInfo& info);
  void giveUp(Slot& slot, const std::exception_ptr& error);
  /// "batch N (rows a-b)", as messages name a batch to users.
  std::string batchLabel(const Slot& slot) const;
  void stopSending(const std::string& reason);
  void markUnsent(Slot& slot, const std::string& reason);
  void reconcile();
  void poll();
  /// Reads the job's info for its numberRetries (the batch list does not carry it);
  /// a failed read only postpones the figure.
  void readServerRetries();
  void noteServerRetries(std::int64_t retries);
  void finishBatch(Slot& slot);
  /// Hands a batch's row outcomes on: to the emitter, or for a lock retry batch to the
  /// rows it retries; rows that failed for a lock (when `finished` is the batch as the
  /// server finished it) are queued for another try instead.
  void deliverRows(Slot& slot, std::vector<RowResult> rows, const BatchInfo* finished);
  /// Adds the next lock retry batch once the load's own batches are done; false when
  /// there is none.
  bool startLockRetry();
  /// True when the slot continues the previous batch's group and that batch has not
  /// finished on the server: running both at once would make them fight for locks.
  bool waitsForGroup(std::uint64_t index) const;
  /// True when slot `index` is not to be uploaded yet: it waits for its group, or, in a
  /// grouped load, it starts a group while `onServer` batches already run or queue there.
  bool holdsBack(std::uint64_t index, std::size_t onServer) const;
  /// Batches uploading or sent and not yet seen finished.
  std::size_t batchesOnServer() const;
  /// When to poll so that a batch waiting for its group's previous batch starts soon
  /// after that one finishes (time_point::max() when none waits).
  Clock::time_point groupPollTime(Clock::time_point now) const;
  void cancelLoad();
  void reportProgress();
  [[noreturn]] void throwTimeout();
  std::size_t unconfirmed() const;
  bool anySent() const;
  bool busy() const;
  Clock::time_point wakeTime(Clock::time_point now) const;

  Connection& api_;
  Operation operation_;
  std::string object_;
  const RecordSource& source_;
  const LoadOptions& options_;
  LoadTuning tuning_;
  const JournalState* resume_;  // the journal of the load being continued, if any
  PollBackoff backoff_;
  std::unique_ptr<JournalWriter> journal_;
  std::uint64_t headerBytes_ = 0;  // the input's CSV header line, for journal offsets
  bool inputEndJournaled_ = false;
  bool jobClosed_ = false;  // a resumed job was already closed by the run before

  LoadResult result_;
  std::unique_ptr<SpoolDir> spool_;
  std::unique_ptr<PayloadSerializer> ownSerializer_;
  std::unique_ptr<KeyPartitioner> grouped_;  // with LoadOptions::groupBy: what the splitter reads
  std::unique_ptr<BatchSplitter> splitter_;
  std::unique_ptr<ResultEmitter> emitter_;
  std::unique_ptr<UploadPool> pool_;
  std::unique_ptr<LockRetryQueue> lockRetry_;  // with LoadOptions::retryLockFailures
  Job job_;
  std::vector<Slot> slots_;
  std::set<std::uint64_t> active_;  // slots not Finished, so scans skip the finished past
  std::set<std::string> knownIds_;
  std::vector<UploadDone> completions_;
  std::exception_ptr deferred_;              // raised once every sent row is accounted for
  std::string deferredWhat_;                 // deferred_ as the load reports it: which batch, why
  std::string stopReason_;                   // why rows past the stop were not sent
  std::map<std::string, BatchInfo> strays_;  // batches of the job no upload returned
  bool resentAfterLoss_ = false;             // a batch was resent after its answer was lost
  int readFailures_ = 0;                     // consecutive transient read failures
  Clock::time_point reconcileRetryAt_;
  std::uint64_t unknownRows_ = 0;  // rows sent whose outcome the load could not read
  std::uint64_t unsentRows_ = 0;
  std::uint64_t invalidRows_ = 0;
  bool sourceDone_ = false;
  bool stopReading_ = false;
  bool stopSending_ = false;
  bool reconcileWanted_ = false;
  bool cancelled_ = false;
  Clock::time_point deadline_;
  Clock::time_point nextPoll_;
  Clock::time_point nextJobRead_;  // next read of the job's numberRetries
  LoadProgress progress_;
  LoadProgress reported_;
  bool reportedOnce_ = false;
};

}  // namespace sfdc::bulk::detail::load
