#pragma once

// The state of one Client::load between the loading thread's steps: the batches (slots)
// and where each stands, the upload pool, the result emitter, the duplicate watch. Its
// member functions live in loader.cpp (reading, sending, polling, results) and
// loader_outcomes.cpp (how every row gets an outcome when the load stops early).

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
#include "loader.hpp"
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
    BatchInfo info;
    bool journaled = false;  // its batch entry is in the journal
  };

  void runLoop();
  void finishLoad();
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
  void stopSending(const std::string& reason);
  void markUnsent(Slot& slot, const std::string& reason);
  void reconcile();
  void poll();
  void finishBatch(Slot& slot);
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
  std::unique_ptr<BatchSplitter> splitter_;
  std::unique_ptr<ResultEmitter> emitter_;
  std::unique_ptr<UploadPool> pool_;
  Job job_;
  std::vector<Slot> slots_;
  std::set<std::uint64_t> active_;  // slots not Finished, so scans skip the finished past
  std::set<std::string> knownIds_;
  std::vector<UploadDone> completions_;
  std::exception_ptr deferred_;              // raised once every sent row is accounted for
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
  LoadProgress progress_;
  LoadProgress reported_;
  bool reportedOnce_ = false;
};

}  // namespace sfdc::bulk::detail::load
