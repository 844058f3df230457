#include "load_report.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_common.hpp"
#include "duplicates_file.hpp"
#include "error_report.hpp"
#include "exit_codes.hpp"
#include "progress.hpp"

namespace sfbulk {

namespace {

using namespace sfdc::bulk;

constexpr std::size_t kShownFailures = 5;
constexpr std::size_t kShownBatches = 10;

bool hasStatus(const RowResult& row, const char* statusCode) {
  for (const auto& error : row.errors) {
    if (error.statusCode == statusCode) return true;
  }
  return false;
}

std::string describeErrors(const std::vector<RecordError>& errors, bool haveErrorFile) {
  std::string text;
  for (const auto& error : errors) {
    if (!text.empty()) text += "; ";
    // The fields are in the --errors file; the message usually names them already.
    const std::string one =
        error.statusCode.empty() ? error.message : error.statusCode + ": " + error.message;
    text += truncateForDisplay(one, kShownMessageBytes, haveErrorFile);
  }
  return text;
}

std::string rowRange(std::uint64_t first, std::uint64_t last) {
  return first == last ? "row " + withThousands(first)
                       : "rows " + withThousands(first) + "–" + withThousands(last);
}

std::size_t undeletedDuplicates(const LoadResult& result) {
  std::size_t undeleted = 0;
  for (const auto& duplicate : result.duplicates) undeleted += duplicate.deleted ? 0 : 1;
  return undeleted;
}

void printDuplicates(const LoadReport& report) {
  const LoadResult& result = report.result;
  std::size_t undeleted = 0;
  for (const auto& duplicate : result.duplicates) {
    std::string line = "  batch " + duplicate.batchId + " repeats ";
    if (duplicate.firstRow > 0 && duplicate.rowCount > 0) {
      line += rowRange(duplicate.firstRow, duplicate.firstRow + duplicate.rowCount - 1);
    } else {
      line += "rows of this load (which ones is unknown)";
    }
    if (!duplicate.duplicateOf.empty())
      line += " (first sent in batch " + duplicate.duplicateOf + ")";
    line += ": " + withThousands(duplicate.recordIds.size()) +
            (duplicate.recordIds.size() == 1 ? " record" : " records");
    line += duplicate.deleted ? ", deleted again" : " loaded twice";
    if (!duplicate.deleted) ++undeleted;
    console().line(line);
  }
  if (undeleted == 0 || report.duplicatesFile.empty()) return;
  console().line("  ids of the duplicate records: " + report.duplicatesFile);
  if (report.operation == "insert") {
    console().line("  delete them with: sfbulk load --object " + report.object +
                   " --operation delete --file " + report.duplicatesFile +
                   "\n  (or run the load with --delete-duplicates to have them deleted at once)");
  } else {
    console().line("  these records were " + report.operation +
                   "d twice by the same rows; check them before changing anything");
  }
}

/// `text` as one shell word: as it is when it holds only safe characters, else in single
/// quotes (a quote inside written as '\'').
std::string shellQuoted(const std::string& text) {
  const bool safe = !text.empty() && text.find_first_not_of(
                                         "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                         "0123456789_./-+=:,@") == std::string::npos;
  if (safe) return text;
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void printHowToFinish(const LoadReport& report) {
  const LoadResult& result = report.result;
  const RowTally& tally = report.tally;
  const std::string& job = result.jobId;
  // The error itself comes last, from the caller, with its hint.
  console().line("sfbulk: the load stopped before every row had a result");
  console().line("  job " + job + ": " + withThousands(result.recordsRead) + " rows read, " +
                 withThousands(result.succeeded) + " succeeded, " + withThousands(result.failed) +
                 " failed, " + withThousands(tally.notSent) + " not sent, " +
                 withThousands(tally.resultUnknown) + " with unknown results");
  if (!report.journalFile.empty() && !job.empty()) {
    console().line("  continue it, sending no row twice: sfbulk load --resume " +
                   report.journalFile);
  }
  console().line("  follow the job: sfbulk job info " + job + "   (stop it: sfbulk job abort " +
                 job + ")");
  if (tally.resultUnknown > 0 && !result.jobs.empty()) {
    std::string jobs;
    for (std::size_t i = 0; i < result.jobIds.size() && i < kShownBatches; ++i) {
      jobs += (i == 0 ? "" : ", ") + result.jobIds[i];
    }
    if (result.jobIds.size() > kShownBatches) jobs += ", …";
    console().line(
        "  rows marked RESULT_UNKNOWN were sent and may be loaded: once their job is finished, "
        "read its results with `sfbulk job results JOB_ID --kind failed` (and `--kind "
        "successful`); the load's jobs: " +
        jobs);
  } else if (tally.resultUnknown > 0 && report.csvFileInput) {
    console().line(
        "  rows marked RESULT_UNKNOWN were sent and may be loaded: once the job's batches are "
        "done, `sfbulk job results " +
        job + " --input " + shellQuoted(report.inputFile) +
        "` writes every row's result (`sfbulk job wait` waits for them first)");
  } else if (tally.resultUnknown > 0) {
    std::string batches;
    std::size_t listed = 0;
    for (const auto& batch : result.batches) {
      if (batch.state == BatchState::Failed || batch.state == BatchState::NotProcessed) continue;
      if (listed++ < kShownBatches) batches += (batches.empty() ? "" : ", ") + batch.id;
    }
    if (listed > kShownBatches) batches += ", …";
    console().line(
        "  rows marked RESULT_UNKNOWN were sent and may be loaded: read their batch's "
        "results with `sfbulk job results " +
        job + " BATCH_ID` (`sfbulk job batches " + job + "` lists the batches" +
        (batches.empty() ? std::string(")") : ": " + batches + ")"));
  }
  if (tally.notSent > 0) {
    const std::string rows = rowRange(tally.firstNotSent, tally.lastNotSent);
    if (report.errorFile.empty()) {
      console().line("  " + withThousands(tally.notSent) + " rows were never sent (" + rows +
                     " of " + report.inputFile + "): load them again");
    } else {
      console().line("  " + withThousands(tally.notSent) + " rows were never sent (" + rows +
                     "): they are in " + report.errorFile +
                     " marked NOT_SENT; load those rows again (without the sf__Error column)");
    }
  }
}

/// The command that waits for a --no-wait load and writes its result files.
std::string waitCommand(const LoadReport& report) {
  return "sfbulk job wait " + report.result.jobId + " --input " + shellQuoted(report.inputFile);
}

}  // namespace

void RowTally::add(const RowResult& row, bool haveErrorFile) {
  if (hasStatus(row, "NOT_SENT")) {
    if (notSent++ == 0) firstNotSent = row.row;
    lastNotSent = row.row;
    return;
  }
  if (hasStatus(row, "RESULT_UNKNOWN")) {
    ++resultUnknown;
    return;
  }
  ++failures;
  if (shownFailures.size() < kShownFailures) {
    shownFailures.push_back("row " + std::to_string(row.row) + ": " +
                            (row.notProcessed ? "not processed: " : "") +
                            describeErrors(row.errors, haveErrorFile));
  }
}

std::string truncateForDisplay(const std::string& text, std::size_t limit, bool haveErrorFile) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  // Back up over UTF-8 continuation bytes so that no character is split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "… (" + withThousands(text.size() - cut) +
         " more bytes truncated; " +
         (haveErrorFile ? "the full text is in the --errors file)"
                        : "not kept: --no-results without --errors)");
}

std::string wholeLoadFailure(const LoadResult& result) {
  if (result.succeeded > 0 || result.recordsRead == 0) return {};
  std::vector<std::string> messages;
  if (!result.jobs.empty()) {
    for (const auto& job : result.jobs) {
      if (job.state != Bulk2JobState::Failed) return {};
      messages.push_back(job.errorMessage);
    }
  } else {
    for (const auto& batch : result.batches) {
      if (batch.state != BatchState::Failed) return {};
      messages.push_back(batch.stateMessage);
    }
  }
  if (messages.empty() || messages.front().empty()) return {};
  for (const auto& message : messages) {
    if (message != messages.front()) return {};
  }
  const std::string count = std::to_string(messages.size());
  const char* unit = result.jobs.empty() ? (messages.size() == 1 ? " batch" : " batches")
                                         : (messages.size() == 1 ? " job" : " jobs");
  return count + " of " + count + unit + " failed: " + messages.front();
}

void printSummary(const LoadReport& report) {
  const LoadResult& result = report.result;
  if (report.json) {
    nlohmann::ordered_json summary = {{"jobId", result.jobId},
                                      {"jobIds", result.jobIds},
                                      {"object", report.object},
                                      {"operation", report.operation},
                                      {"recordsRead", result.recordsRead},
                                      {"succeeded", result.succeeded},
                                      {"failed", result.failed},
                                      {"notProcessed", result.notProcessed},
                                      {"notSent", report.tally.notSent},
                                      {"resultUnknown", report.tally.resultUnknown},
                                      {"lockFailures", report.lockFailures},
                                      {"recordsRetried", report.recordsRetried},
                                      {"serverRetries", result.serverRetries},
                                      {"batches", nlohmann::ordered_json::array()}};
    for (const auto& batch : result.batches) {
      summary["batches"].push_back({{"id", batch.id},
                                    {"state", std::string(toString(batch.state))},
                                    {"stateMessage", batch.stateMessage}});
    }
    if (!result.duplicates.empty()) {
      auto& duplicates = summary["duplicates"] = nlohmann::ordered_json::array();
      for (const auto& duplicate : result.duplicates) {
        duplicates.push_back({{"batchId", duplicate.batchId},
                              {"duplicateOf", duplicate.duplicateOf},
                              {"firstRow", duplicate.firstRow},
                              {"rowCount", duplicate.rowCount},
                              {"records", duplicate.recordIds.size()},
                              {"deleted", duplicate.deleted}});
      }
      if (!report.duplicatesFile.empty()) summary["duplicatesFile"] = report.duplicatesFile;
    }
    if (!report.successFile.empty()) summary["successFile"] = report.successFile;
    if (!report.errorFile.empty()) summary["errorFile"] = report.errorFile;
    if (!report.loadFailure.empty()) summary["loadFailure"] = report.loadFailure;
    if (report.incomplete) {
      summary["incomplete"] = true;
      summary["error"] = report.error;
    }
    if (result.resultsPending) {
      summary["resultsPending"] = true;
      summary["waitCommand"] = waitCommand(report);
    }
    if (report.failure) {
      // The fields of the --json error document, so that stdout holds one document.
      ErrorReport failure = *report.failure;
      if (failure.jobId.empty()) failure.jobId = result.jobId;
      const nlohmann::ordered_json fields = errorDocument(failure);
      for (const auto& [key, value] : fields.items()) {
        if (!summary.contains(key)) summary[key] = value;
      }
    }
    summary["exitCode"] = report.exitCode;
    std::cout << summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    return;
  }
  if (report.quiet) return;
  if (result.jobId.empty()) {
    std::cout << "No rows in " << report.inputFile << ": nothing to load." << std::endl;
    return;
  }
  if (result.resultsPending) {
    // --no-wait: uploaded and closed; the rows have no outcome yet.
    std::cout << "Job " << result.jobId << ": " << withThousands(result.recordsRead)
              << " rows submitted in " << result.batches.size()
              << (result.batches.size() == 1 ? " batch" : " batches")
              << "; Salesforce processes them now (" << formatDuration(report.elapsed) << ")\n"
              << "  results: " << waitCommand(report) << std::endl;
    return;
  }
  // A Bulk API 2.0 load has jobs instead of batches, possibly several.
  const bool bulk2 = !result.jobs.empty();
  std::string jobs = "Job " + result.jobId;
  if (result.jobIds.size() > 1) {
    jobs = "Jobs ";
    for (std::size_t i = 0; i < result.jobIds.size() && i < kShownBatches; ++i) {
      jobs += (i == 0 ? "" : ", ") + result.jobIds[i];
    }
    if (result.jobIds.size() > kShownBatches) jobs += ", …";
  }
  const std::size_t parts = bulk2 ? result.jobIds.size() : result.batches.size();
  const char* unit =
      bulk2 ? (parts == 1 ? " job, " : " jobs, ") : (parts == 1 ? " batch, " : " batches, ");
  std::cout << jobs << ": " << withThousands(result.recordsRead) << " rows, "
            << withThousands(result.succeeded) << " succeeded, " << withThousands(result.failed)
            << " failed, " << withThousands(result.notProcessed) << " not processed (" << parts
            << unit << formatDuration(report.elapsed) << ")" << std::endl;
  if (report.tally.notSent > 0) {
    std::cout << "  " << withThousands(report.tally.notSent) << " of them not sent" << std::endl;
  }
  if (report.lockFailures > 0) {
    std::cout << "  " << withThousands(report.lockFailures)
              << " lock failures (UNABLE_TO_LOCK_ROW), " << withThousands(report.recordsRetried)
              << " rows sent again" << std::endl;
  }
  if (result.serverRetries > 0) {
    // Salesforce's own retries (numberRetries): batches it put back in its queue after a
    // transient failure, a lock-out or its 10-minute limit. Rows are still loaded once.
    std::cout << "  Salesforce retried batches "
              << withThousands(static_cast<std::uint64_t>(result.serverRetries))
              << (result.serverRetries == 1 ? " time" : " times")
              << " itself (numberRetries: after transient failures, lock-outs or its 10-minute "
                 "batch limit)"
              << std::endl;
  }
  if (!result.duplicates.empty()) {
    std::size_t records = 0;
    for (const auto& duplicate : result.duplicates) records += duplicate.recordIds.size();
    std::cout << "  " << result.duplicates.size()
              << (result.duplicates.size() == 1 ? " batch" : " batches") << " loaded twice ("
              << withThousands(records) << " duplicate records)" << std::endl;
  }
  if (!report.successFile.empty()) {
    std::cout << "  succeeded rows: " << report.successFile << std::endl;
  }
  if (!report.errorFile.empty()) std::cout << "  failed rows:    " << report.errorFile << std::endl;
}

void printAdvice(const LoadReport& report) {
  const RowTally& tally = report.tally;
  if (!report.loadFailure.empty()) {
    // One line instead of the same message for every row; shown even with --quiet.
    console().line("sfbulk: error: load failed: " + report.loadFailure);
  } else if (!report.quiet) {
    for (const auto& line : tally.shownFailures) console().line("  " + line);
    if (tally.failures > tally.shownFailures.size()) {
      console().line("  … and " + withThousands(tally.failures - tally.shownFailures.size()) +
                     " more");
    }
    // The summary names the error file. No advice to run the load again: that would load
    // the succeeded rows a second time.
    if (tally.failures > 0 && report.errorFile.empty()) {
      console().line("  the failed rows were not written (--no-results without --errors)");
    }
  }
  // Errors, shown even with --quiet.
  if (!report.result.duplicates.empty()) {
    const bool allDeleted = undeletedDuplicates(report.result) == 0;
    console().line(allDeleted ? "sfbulk: rows were loaded twice (a batch was created twice); "
                                "the extra records were deleted again (--delete-duplicates):"
                              : "sfbulk: error: rows were loaded twice (a batch was created "
                                "twice):");
    printDuplicates(report);
  }
  if (report.incomplete) printHowToFinish(report);
}

int finishLoadReport(LoadReport& report, const std::string& duplicatesDir,
                     const std::exception_ptr& stopped, const std::string& interruptedMessage) {
  const std::vector<std::string> duplicateIds = undeletedDuplicateIds(report.result);
  std::string duplicatesError;
  if (!duplicateIds.empty()) {
    try {
      report.duplicatesFile = writeDuplicatesFile(duplicatesDir, report.result.jobId, duplicateIds);
    } catch (const LocalIoError& e) {
      duplicatesError = e.what();
    }
  }
  if (!report.incomplete) report.loadFailure = wholeLoadFailure(report.result);
  // Decided before the summary so that a --json summary carries the exit code and, when
  // the load stopped, the error.
  std::exception_ptr failure = stopped;
  if (InterruptScope::interrupted()) {
    failure = std::make_exception_ptr(Interrupted(interruptedMessage));
  } else if (!failure && !duplicatesError.empty()) {
    failure = std::make_exception_ptr(LocalIoError(duplicatesError));
  }
  const LoadResult& result = report.result;
  if (failure) {
    report.failure = describeError(failure);
    report.exitCode = report.failure->exitCode;
  } else if (!duplicateIds.empty()) {
    report.exitCode = kExitDuplicates;
  } else if (!report.loadFailure.empty()) {
    report.exitCode = kExitLoadFailed;
  } else if (result.resultsPending) {
    report.exitCode = kExitOk;
  } else {
    report.exitCode =
        result.failed == 0 && result.notProcessed == 0 ? kExitOk : kExitPartialFailure;
  }
  printSummary(report);
  printAdvice(report);
  if (!duplicatesError.empty()) {
    // The ids must not be lost: print them when they cannot be written.
    console().line("sfbulk: error: " + duplicatesError + "\n  the duplicate records' ids:");
    for (const auto& id : duplicateIds) console().line("  " + id);
  }
  // The summary already holds the error: stdout keeps one JSON document.
  if (report.json) errorOutput().documentWritten = true;
  if (failure) std::rethrow_exception(failure);
  return report.exitCode;
}

}  // namespace sfbulk
