#pragma once

// The engine behind Client::load, written against Connection so that unit tests can run
// it on an in-memory fake server.

#include <chrono>
#include <sfdc/bulk/connection.hpp>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::detail::load {

/// Knobs that are not part of the public options; tests shorten the waits.
struct LoadTuning {
  /// After an ambiguous upload is not in the batch list, wait this long and list again
  /// before sending it a second time.
  std::chrono::milliseconds reconcileSettle{2000};
  /// Times one batch may be sent again (after 429/503, a failure before sending, or a
  /// reconciliation that did not find it).
  int maxResends = 3;
  std::chrono::milliseconds resendDelay{1000};
  /// createJob attempts when an attempt's outcome is unknown (twice as many when the job
  /// provably was not created).
  int createJobAttempts = 5;
  std::chrono::milliseconds createJobRetryDelay{1000};
  /// Longest sleep of the loading thread, so that cancellation is noticed promptly.
  std::chrono::milliseconds wakeInterval{100};
  /// While batches run, how often the job's info is read for its numberRetries (one
  /// request; loads shorter than this never spend it).
  std::chrono::milliseconds jobInfoInterval{std::chrono::seconds(60)};
  /// Where the spool directory goes (the system temporary directory if empty).
  std::string spoolParent;
  /// LoadOptions::groupBy: largest spill file regrouped in memory (0: the default).
  std::size_t groupMemoryBytes = 0;
};

LoadResult runLoad(Connection& api, Operation operation, std::string_view object,
                   const RecordSource& source, const LoadOptions& options,
                   const LoadTuning& tuning = {});

/// Client::resumeLoad: continue the load journaled in `journalFile`. `options` gives
/// what the journal does not fix (callbacks, concurrency, timeouts, result files).
LoadResult resumeLoad(Connection& api, const std::string& journalFile, LoadOptions options,
                      const LoadTuning& tuning = {});

/// Throws InvalidArgument for options load() cannot honour (before any request).
void validateLoadOptions(Operation operation, std::string_view object, const LoadOptions& options);

/// True when the two paths name one file (after normalisation, or the same inode).
bool sameFile(const std::string& a, const std::string& b);
/// Throws InvalidArgument when a result file of `options` would overwrite `inputPath`.
void validateOutputs(const std::string& inputPath, const LoadOptions& options);

}  // namespace sfdc::bulk::detail::load
