#pragma once

#include <cstdint>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>

namespace sfdc::bulk {

/**
 * What a load journal (LoadOptions::journalFile) records about its load: the settings
 * that shaped its batches, the job, and how far it got. `Client::resumeLoad` continues
 * the load from it; read it first to show the user what will be resumed.
 */
struct LoadJournalInfo {
  Operation operation = Operation::Insert;     ///< The load's operation.
  std::string object;                          ///< The sObject loaded ("Contact").
  std::string inputFile;                       ///< The CSV file loaded (absolute path).
  std::uint64_t inputBytes = 0;                ///< Its size in bytes when the load began.
  ContentType contentType = ContentType::CSV;  ///< The job's content type.
  std::string externalIdFieldName;             ///< The upsert key (empty otherwise).
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;  ///< The job's mode.
  std::string assignmentRuleId;   ///< The job's assignment rule (empty: none).
  std::size_t batchSize = 0;      ///< Most rows per batch, as the input was cut.
  std::size_t maxBatchBytes = 0;  ///< Most bytes per batch body, as the input was cut.
  std::string successFile;        ///< Where successes are written (absolute; empty: not asked).
  std::string errorFile;          ///< Where failures are written (absolute; empty: not asked).
  std::string jobId;  ///< The job, once created (empty: the load stopped before creating it).
  std::uint64_t batchesStarted = 0;   ///< Batches whose upload began.
  std::uint64_t batchesAccepted = 0;  ///< Batches Salesforce confirmed (a batch id is known).
  std::uint64_t rowsStarted = 0;      ///< Input rows covered by the batches started.
  bool inputEnded = false;            ///< True once every input row was cut into batches.
  /// "running" (no end recorded: the load is running or was killed), "finished",
  /// "cancelled", "stopped" (LoadIncompleteError; resumable) or "submitted" (every batch
  /// uploaded with LoadOptions::waitForResults false; resumeLoad waits for the results).
  std::string state = "running";
  std::string stopReason;  ///< Why the load stopped, for "stopped".
};

/**
 * Read a load journal. Throws InvalidArgument when the file is missing, is not a load
 * journal, or is damaged before its last entry (a last entry cut short by a crash is
 * ignored: the action it guarded never started).
 */
SFDC_BULK_EXPORT LoadJournalInfo readLoadJournal(const std::string& path);

}  // namespace sfdc::bulk
