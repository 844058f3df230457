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
  /// The load's operation and object.
  Operation operation = Operation::Insert;
  std::string object;
  /// The CSV file loaded (absolute path) and its size in bytes when the load began.
  std::string inputFile;
  std::uint64_t inputBytes = 0;
  /// The settings that decide how the input is cut into batches and how they run.
  ContentType contentType = ContentType::CSV;
  std::string externalIdFieldName;
  ConcurrencyMode concurrencyMode = ConcurrencyMode::Parallel;
  std::string assignmentRuleId;
  std::size_t batchSize = 0;
  std::size_t maxBatchBytes = 0;
  /// The result files the load writes (absolute paths; empty when not asked for).
  std::string successFile;
  std::string errorFile;
  /// The job, once created (empty: the load stopped before creating it).
  std::string jobId;
  /// Batches whose upload began, and those Salesforce confirmed.
  std::uint64_t batchesStarted = 0;
  std::uint64_t batchesAccepted = 0;
  /// Input rows covered by the batches whose upload began.
  std::uint64_t rowsStarted = 0;
  /// True once every row of the input was cut into batches.
  bool inputEnded = false;
  /// "running" (no end recorded: the load is running or was killed), "finished",
  /// "cancelled" or "stopped" (LoadIncompleteError; resumable).
  std::string state = "running";
  /// Why the load stopped, for "stopped".
  std::string stopReason;
};

/**
 * Read a load journal. Throws InvalidArgument when the file is missing, is not a load
 * journal, or is damaged before its last entry (a last entry cut short by a crash is
 * ignored: the action it guarded never started).
 */
SFDC_BULK_EXPORT LoadJournalInfo readLoadJournal(const std::string& path);

}  // namespace sfdc::bulk
