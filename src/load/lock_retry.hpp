#pragma once

// Rows that lose the race for a parent record's lock (UNABLE_TO_LOCK_ROW) wrote nothing,
// so they can be sent again once the parallel pass is over and the locks are free. This
// file decides which rows qualify and keeps them, spooled, until their retry batch is
// built; the loader sends those batches one at a time in the same job.
//
// Only a row's own failure result, or a batch that failed for locks before processing
// any record, marks a row for a retry: a row that succeeded is never sent twice.

#include <cstdint>
#include <fstream>
#include <optional>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

#include "batch_splitter.hpp"
#include "spool.hpp"

namespace sfdc::bulk::detail::load {

/// The per-record status code of a row that could not lock a record it needed.
inline constexpr char kLockErrorCode[] = "UNABLE_TO_LOCK_ROW";

/// True when the row has a result, failed, and one of its errors is UNABLE_TO_LOCK_ROW.
bool isLockFailure(const RowResult& row);

/// True when the batch Failed as a whole for lock failures (stateMessage names
/// TooManyLockFailure or "too many lock failure") without processing a record.
bool isLockFailedBatch(const BatchInfo& info);

/// Positions (0-based, ascending) of the rows of a finished batch that may be sent again
/// because of a lock: rows failed with UNABLE_TO_LOCK_ROW and, when the batch failed for
/// locks having processed nothing, its rows without a result.
std::vector<std::size_t> lockRetryOffsets(const BatchInfo& info,
                                          const std::vector<RowResult>& rows);

/// Where a retried row's outcome belongs: the batch of the load it first came in (as the
/// result emitter numbers batches), its position there and its input row.
struct RetryOrigin {
  std::uint64_t batch = 0;
  std::size_t offset = 0;
  std::uint64_t row = 0;
};

/// A retry batch, spooled: its body, and where each of its rows came from.
struct RetryBatch {
  SplitBatch split;
  std::vector<RetryOrigin> origins;
};

/**
 * The rows waiting for a lock retry, round by round. Round 0 is the load's own pass;
 * rows added while round r runs are sent in round r + 1, up to `rounds`. Row bytes are
 * copied out of the spooled body of the batch they failed in (CSV rows verbatim, JSON
 * records as the body had them), so memory holds only their origins.
 */
class LockRetryQueue {
 public:
  /// CSV and JSON bodies only (see supportsLockRetry).
  LockRetryQueue(ContentType contentType, BatchLimits limits, int rounds, const SpoolDir& spool);
  ~LockRetryQueue();
  LockRetryQueue(const LockRetryQueue&) = delete;
  LockRetryQueue& operator=(const LockRetryQueue&) = delete;

  /// True when rows failing now can still get a retry (the current round is not the
  /// last).
  bool accepting() const noexcept { return round_ < rounds_; }
  /// Queue the rows at `offsets` of the batch whose body is `bodyPath`, for the next
  /// round; `origins[i]` is where the row at offsets[i] belongs. Throws Error when the
  /// body cannot be read.
  void add(const std::string& bodyPath, const std::vector<std::size_t>& offsets,
           const std::vector<RetryOrigin>& origins);
  /// The next retry batch (slot number `index`), starting the next round when the
  /// current one has no rows left; nullopt when nothing is left to retry.
  std::optional<RetryBatch> next(std::uint64_t index);
  /// The round the last batch from next() belongs to (1-based; 0 before any).
  int round() const noexcept { return round_; }
  /// Rows queued and not yet handed out in a batch.
  std::uint64_t waiting() const noexcept { return waiting_; }

 private:
  struct Entry {
    RetryOrigin origin;
    std::size_t bytes = 0;
  };
  void startRound();

  ContentType contentType_;
  BatchLimits limits_;
  int rounds_;
  const SpoolDir& spool_;
  int round_ = 0;
  std::string header_;  // CSV: the header row every retry body starts with
  // Rows for the next round: appended to nextPath_; entries in the same order.
  std::string nextPath_;
  std::ofstream nextOut_;
  std::vector<Entry> nextEntries_;
  // The round being sent: read from currentPath_ batch by batch.
  std::string currentPath_;
  std::ifstream currentIn_;
  std::vector<Entry> currentEntries_;
  std::size_t currentPos_ = 0;
  std::uint64_t waiting_ = 0;
};

/// True when lock retries can rebuild bodies of this content type (CSV, JSON).
bool supportsLockRetry(ContentType contentType);

}  // namespace sfdc::bulk::detail::load
