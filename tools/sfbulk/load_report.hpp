#pragma once

// What `sfbulk load` prints when a load ends, finished or not: the summary (text or
// JSON on stdout), the failed rows (stderr, each message bounded), the rows loaded twice
// and how to delete them, and for a load that stopped early what it committed and how
// to finish it.

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <sfdc/bulk/load.hpp>
#include <string>
#include <vector>

#include "error_report.hpp"

namespace sfbulk {

/// Row outcomes counted from LoadOptions::onResult, beyond LoadResult's counters.
struct RowTally {
  /// Rows never sent (statusCode NOT_SENT), and the first and last of them.
  std::uint64_t notSent = 0;
  std::uint64_t firstNotSent = 0;
  std::uint64_t lastNotSent = 0;
  /// Rows in accepted batches whose result could not be read (RESULT_UNKNOWN).
  std::uint64_t resultUnknown = 0;
  /// Other failed or unprocessed rows, and the first few of them as printable lines.
  std::uint64_t failures = 0;
  std::vector<std::string> shownFailures;

  /// Counts `row` (a row that did not succeed).
  void add(const sfdc::bulk::RowResult& row, bool haveErrorFile);
};

struct LoadReport {
  std::string object;
  std::string operation;
  std::string successFile;
  std::string errorFile;
  std::string inputFile;
  /// The load's journal (--journal/--resume), for the advice on how to continue.
  std::string journalFile;
  /// True when the input is a CSV file that `job results --input` can pair again.
  bool csvFileInput = false;
  bool json = false;
  bool quiet = false;
  sfdc::bulk::LoadResult result;
  RowTally tally;
  std::chrono::seconds elapsed{0};
  /// Lock failures seen and rows sent again for them (LoadProgress).
  std::uint64_t lockFailures = 0;
  std::uint64_t recordsRetried = 0;
  /// Set when the load stopped before every row had a result.
  bool incomplete = false;
  std::string error;
  /// Where the ids of the duplicate records were written (empty: none to write).
  std::string duplicatesFile;
  /// Set when the load failed as a whole (wholeLoadFailure): the one line that says why.
  std::string loadFailure;
  /// The command's exit code, and why the load stopped when it did (the --json summary
  /// carries both).
  int exitCode = 0;
  std::optional<ErrorReport> failure;
};

/// "5 of 5 batches failed: InvalidBatch : Field name not found : Foo" when no row was
/// loaded and every batch (Bulk API 2.0: every job) failed with the same message; else
/// empty.
std::string wholeLoadFailure(const sfdc::bulk::LoadResult& result);

/// Longest part of a server message echoed on the terminal; the result file has it all.
inline constexpr std::size_t kShownMessageBytes = 300;

/// `text` cut to `limit` bytes (never inside a UTF-8 character) with a note saying so.
std::string truncateForDisplay(const std::string& text, std::size_t limit, bool haveErrorFile);

/// The summary on stdout: one line, or a JSON object with --json.
void printSummary(const LoadReport& report);
/// Failed rows, duplicates and, for an incomplete load, how to finish it, on stderr.
void printAdvice(const LoadReport& report);

/**
 * Ends a load's command (`load`, `job wait`, `job results --input`): writes the ids of
 * rows loaded twice to JOB_ID-duplicates.csv in `duplicatesDir`, prints the summary and
 * the advice, and returns the exit code; rethrows `stopped` (what stopped an incomplete
 * load), or throws Interrupted with `interruptedMessage` after Ctrl-C.
 */
int finishLoadReport(LoadReport& report, const std::string& duplicatesDir,
                     const std::exception_ptr& stopped, const std::string& interruptedMessage);

}  // namespace sfbulk
