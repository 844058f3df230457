#pragma once

// Hands RowResults out in batch order (to onResult, LoadResult::rows and the
// success/error files; input-row order unless the load groups rows) although batches
// finish in any order. The results of a batch
// that finishes before an earlier one are spooled to a file until their turn, so
// waiting costs disk, not memory.

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

#include "spool.hpp"

namespace sfdc::bulk::detail::load {

class ResultEmitter {
 public:
  ResultEmitter(const LoadOptions& options, LoadResult& result, const SpoolDir& spool);
  ~ResultEmitter();
  ResultEmitter(const ResultEmitter&) = delete;
  ResultEmitter& operator=(const ResultEmitter&) = delete;

  /// The outcome of every row of batch `index` (rows[i] is input row firstRow + i).
  /// `rowsPath` is the batch's CSV of input rows (for the result files), may be empty.
  /// Each index from 0 up must be delivered exactly once.
  void deliver(std::uint64_t index, const std::string& rowsPath, std::vector<RowResult> rows);
  /// As deliver, with the rows at positions `pending` waiting for a lock retry: their
  /// outcome comes later through settle(), and until then this batch and the ones after
  /// it wait (spooled). So a row that fails for a lock and then succeeds is only ever
  /// reported as a success.
  void deliver(std::uint64_t index, const std::string& rowsPath, std::vector<RowResult> rows,
               const std::vector<std::size_t>& pending);
  /// The final outcome of the pending row at `offset` of batch `index`.
  void settle(std::uint64_t index, std::size_t offset, RowResult row);
  /// No more retries: every row still pending keeps the outcome it was delivered with.
  void settleRemaining();

  /// Flush and close the result files. Throws Error when one could not be written.
  void finish();

  /// Batches whose rows were all handed out.
  std::uint64_t emittedBatches() const noexcept { return next_; }

 private:
  struct Waiting {
    std::string rowsPath;
    std::string resultsPath;
    std::size_t pending = 0;                   // rows whose final outcome is still to come
    std::map<std::size_t, RowResult> settled;  // final outcomes of retried rows, by position
  };
  void drain();
  void emit(const std::string& rowsPath, const std::vector<RowResult>& rows);
  void writeFiles(const std::string& rowsPath, const std::vector<RowResult>& rows);
  void spool(std::uint64_t index, const std::string& rowsPath, const std::vector<RowResult>& rows);
  std::vector<RowResult> unspool(const std::string& path);

  const LoadOptions& options_;
  LoadResult& result_;
  const SpoolDir& spoolDir_;
  std::uint64_t next_ = 0;
  std::map<std::uint64_t, Waiting> waiting_;
  std::ofstream success_;
  std::ofstream error_;
  bool headerWritten_ = false;
};

/// The `sf__Error` cell: each error as `STATUS_CODE:message:fields --`, the layout of
/// the Bulk API's own CSV results, one per line.
std::string formatErrors(const std::vector<RecordError>& errors);

}  // namespace sfdc::bulk::detail::load
