// sfbulk load: Client::load over a CSV, JSON or JSON Lines file, with progress, Data
// Loader style success/error files and an exit code that tells whether every row made it.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sfdc/bulk/load_journal.hpp>
#include <thread>

#include "cli_common.hpp"
#include "commands.hpp"
#include "distinct_files.hpp"
#include "duplicates_file.hpp"
#include "error_report.hpp"
#include "load_data_options.hpp"
#include "load_inputs.hpp"
#include "load_report.hpp"
#include "result_files.hpp"

namespace sfbulk {

namespace {

using namespace sfdc::bulk;

struct LoadArgs {
  CommonOptions common;
  std::string object;
  std::string operation;
  std::string file;
  std::string inputFormat;
  DataOptions data;
  std::string format = "csv";
  std::string externalId;
  std::string assignmentRuleId;
  std::string successFile;
  std::string errorFile;
  std::string resultsDir = "sfbulk-results";
  bool noResults = false;
  std::string spoolDir;
  std::string groupBy;
  bool retryLocked = true;
  int lockRetryRounds = 3;
  std::string journal;
  std::string resume;
  bool serial = false;
  bool gzip = false;
  bool json = false;
  bool deleteDuplicates = false;
  bool noWait = false;
  std::size_t batchSize = kMaxRecordsPerBatch;
  int concurrency = 4;
  int api = 1;
  std::size_t jobRecords = kDefaultBulk2JobRecords;
  CLI::Option* batchSizeOption = nullptr;
  CLI::Option* jobRecordsOption = nullptr;
  CLI::Option* retryLockedOption = nullptr;
};

/// The flags that only one of the two APIs understands, refused with the other.
void checkApiFlags(const LoadArgs& args) {
  if (args.api == 2) {
    if (args.format != "csv") {
      throw UsageError(
          "--api 2 loads CSV only (Bulk API 2.0 has no JSON or XML jobs); drop "
          "--format or use --api 1");
    }
    if (args.serial) throw UsageError("--serial needs --api 1 (Bulk API 2.0 has no serial mode)");
    if (!args.groupBy.empty()) {
      throw UsageError("--group-by needs --api 1 (Bulk API 2.0 cuts its own batches)");
    }
    if (args.retryLockedOption->count() > 0 && args.retryLocked) {
      throw UsageError("--retry-locked needs --api 1");
    }
    if (args.batchSizeOption->count() > 0) {
      throw UsageError(
          "--batch-size is for --api 1; Bulk API 2.0 cuts its own batches (use "
          "--job-records to size the jobs)");
    }
  } else if (args.jobRecordsOption->count() > 0) {
    throw UsageError("--job-records is for --api 2");
  }
}

/**
 * Counts the input's rows on a side thread so that the progress bar can show a
 * percentage and an ETA without delaying the first batch. A CSV row can span lines,
 * hence the real reader rather than counting newlines.
 */
class RowCounter {
 public:
  RowCounter(const std::string& path, const std::string& kind, char delimiter, Progress& progress) {
    thread_ = std::thread([this, path, kind, delimiter, &progress] {
      try {
        std::ifstream in(path, std::ios::binary);
        if (!in) return;
        std::uint64_t rows = 0;
        if (kind == "csv") {
          CsvReader reader(in, 1 << 16, delimiter);
          std::vector<std::string> fields;
          if (!reader.next(fields)) return;  // header
          while (!stop_.load() && reader.next(fields)) ++rows;
        } else {
          std::string text;
          while (!stop_.load() && std::getline(in, text)) {
            if (text.find_first_not_of(" \t\r") != std::string::npos) ++rows;
          }
        }
        if (!stop_.load()) progress.setTotal(rows);
      } catch (const std::exception&) {
        // The load reports bad input itself, naming the row.
      }
    });
  }
  ~RowCounter() {
    stop_.store(true);
    thread_.join();
  }
  RowCounter(const RowCounter&) = delete;
  RowCounter& operator=(const RowCounter&) = delete;

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// The files the load reads, for the check that no output overwrites one of them.
std::vector<NamedFile> inputsOf(const LoadArgs& args) {
  std::vector<NamedFile> inputs = {{"--file", args.file}};
  const auto [configOption, configPath] =
      configFileInUse(args.common.credentials.configFile, processEnv);
  if (!configPath.empty()) inputs.push_back({configOption, configPath});
  return inputs;
}

std::string messageOf(const std::exception_ptr& error, const std::string& fallback) {
  try {
    if (error) std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
  }
  return fallback;
}

/// --resume: the load's settings come from its journal; the flags that would change
/// how the input is cut or what it loads are refused rather than ignored.
void applyJournal(LoadArgs& args) {
  if (!args.object.empty() || !args.operation.empty() || !args.file.empty() ||
      !args.journal.empty() || args.api != 1 || args.serial || args.batchSizeOption->count() > 0 ||
      args.format != "csv" || !args.externalId.empty()) {
    throw UsageError(
        "--resume takes the object, operation, input file, format and batch settings from "
        "the journal; drop --object/--operation/--file/--format/--external-id/--serial/"
        "--batch-size/--api/--journal");
  }
  const LoadJournalInfo info = readLoadJournal(args.resume);
  args.object = info.object;
  args.operation = std::string(toString(info.operation));
  args.file = info.inputFile;
  args.inputFormat = "csv";
  // The upsert check below reads it; the content type, mode and batch settings are
  // taken from the journal by resumeLoad itself.
  args.externalId = info.externalIdFieldName;
  if (args.successFile.empty()) args.successFile = info.successFile;
  if (args.errorFile.empty()) args.errorFile = info.errorFile;
  if (!args.common.quiet) {
    console().line("sfbulk: resuming " + args.operation + " " + args.object + " of " + args.file +
                   (info.jobId.empty()
                        ? std::string(" (no job was created yet)")
                        : " in job " + info.jobId + ": " + std::to_string(info.batchesStarted) +
                              " batches started, " + std::to_string(info.batchesAccepted) +
                              " confirmed"));
  }
}

/// --journal: only a CSV file can be read again to continue the load.
void checkJournalFlags(const LoadArgs& args, const std::string& kind) {
  if (args.journal.empty()) return;
  if (args.file == "-") {
    throw UsageError(
        "--journal needs --file FILE: a load from stdin cannot be read again to resume it");
  }
  if (kind != "csv") throw UsageError("--journal needs a CSV input file");
  if (args.api == 2) throw UsageError("--journal is for --api 1 loads");
}

/// --no-wait: the rows get their outcomes from `job wait --input FILE`, which pairs the
/// input's rows with the job's, so the input must be a CSV file it can read again.
void checkNoWaitFlags(const LoadArgs& args, const std::string& kind) {
  if (!args.noWait) return;
  if (args.api == 2) throw UsageError("--no-wait is for --api 1 loads");
  if (!args.resume.empty()) throw UsageError("--no-wait cannot be combined with --resume");
  if (args.file == "-" || kind != "csv") {
    throw UsageError(
        "--no-wait needs a CSV input file: `sfbulk job wait` reads it again to pair its rows "
        "with the job's");
  }
  if (!args.successFile.empty() || !args.errorFile.empty()) {
    throw UsageError(
        "--no-wait writes no result files: `sfbulk job wait JOB_ID --input FILE` writes them "
        "(it takes --success and --errors)");
  }
  if (args.deleteDuplicates) {
    throw UsageError("--delete-duplicates goes with `sfbulk job wait`, not with --no-wait");
  }
  if (args.data.rewritesRows() || args.data.lineEndingOption()) {
    // job wait pairs the input's own rows with the job's: rows rewritten on the way would
    // not match.
    throw UsageError(
        "--no-wait cannot be combined with --mapping, --encoding, --timezone, --day-first, "
        "--insert-nulls, --column-delimiter or --line-ending yet");
  }
  if (args.retryLockedOption->count() > 0 && args.retryLocked) {
    throw UsageError("--retry-locked needs the rows' outcomes, which --no-wait does not wait for");
  }
}

int runLoad(LoadArgs args) {
  if (!args.resume.empty()) {
    applyJournal(args);
  } else {
    for (const auto& [flag, value] :
         {std::pair<const char*, const std::string*>{"--object", &args.object},
          {"--operation", &args.operation},
          {"--file", &args.file}}) {
      if (value->empty()) {
        throw UsageError(std::string(flag) + " is required (or continue a load: --resume JOURNAL)");
      }
    }
  }
  const Operation operation = parseOperation(args.operation);
  if (operation == Operation::Upsert && args.externalId.empty()) {
    throw UsageError("upsert needs --external-id FIELD (the external id field to match on)");
  }
  if (operation != Operation::Upsert && !args.externalId.empty()) {
    throw UsageError("--external-id is only for --operation upsert");
  }
  if (args.deleteDuplicates && operation != Operation::Insert) {
    // For the other operations the extra batch touched the same records as the first.
    throw UsageError("--delete-duplicates is only for --operation insert");
  }
  checkApiFlags(args);
  const std::string kind = inputKind(args.file, args.inputFormat);
  const bool fromStdin = args.file == "-";
  if (fromStdin && kind != "csv") throw UsageError("--file - (stdin) takes CSV only");
  checkJournalFlags(args, kind);
  checkNoWaitFlags(args, kind);
  checkDataOptions(args.data, kind, !args.journal.empty() || !args.resume.empty(),
                   !args.groupBy.empty());
  // A resumed load keeps the files its journal names; --no-wait leaves them to job wait.
  if (!args.noResults && args.resume.empty() && !args.noWait) {
    defaultResultFiles(args.object, args.operation, args.resultsDir, args.successFile,
                       args.errorFile);
  }
  // Before anything is opened for writing: the SDK creates the result files first.
  std::vector<NamedFile> inputs = inputsOf(args);
  if (!args.resume.empty()) inputs.push_back({"--resume", args.resume});
  if (!args.data.mapping.empty()) inputs.push_back({"--mapping", args.data.mapping});
  requireDistinctFiles(
      inputs,
      {{"--success", args.successFile}, {"--errors", args.errorFile}, {"--journal", args.journal}});
  if (!fromStdin) checkReadable(args.file);
  if (!args.successFile.empty()) checkWritable(args.successFile);
  if (!args.errorFile.empty()) checkWritable(args.errorFile);

  LoadOptions options;
  options.api = args.api == 2 ? BulkApi::V2 : BulkApi::V1;
  options.maxJobRecords = args.jobRecords;
  options.contentType = parseContentType(args.format == "csv"    ? "CSV"
                                         : args.format == "json" ? "JSON"
                                                                 : "XML");
  options.lineEnding = args.data.lineEndingOption();
  options.externalIdFieldName = args.externalId;
  options.concurrencyMode = args.serial ? ConcurrencyMode::Serial : ConcurrencyMode::Parallel;
  options.assignmentRuleId = args.assignmentRuleId;
  if (args.gzip) options.gzip = true;
  options.concurrency = args.concurrency;
  options.batchSize = args.batchSize;
  options.timeout = timeoutOf(args.common);
  options.successFile = args.successFile;
  options.errorFile = args.errorFile;
  options.deleteDuplicates = args.deleteDuplicates;
  options.spoolDirectory = args.spoolDir;
  options.groupBy = args.groupBy;
  const bool journaled = !args.journal.empty() || !args.resume.empty();
  if (journaled && !args.groupBy.empty()) {
    throw UsageError("--group-by cannot be combined with --journal or --resume yet");
  }
  // On by default where it applies: Bulk API v1 jobs whose bodies can be rebuilt, not
  // journaled (rows sent again for a lock are not in the journal yet).
  const bool retryApplies = args.api == 1 && args.format != "xml" && !journaled;
  if (args.retryLocked && !retryApplies && args.retryLockedOption->count() > 0) {
    throw UsageError(journaled ? "--retry-locked cannot be combined with --journal or --resume yet"
                               : "--retry-locked works with --format csv or json");
  }
  options.retryLockFailures = args.retryLocked && retryApplies && !args.noWait;
  options.waitForResults = !args.noWait;
  options.lockRetryRounds = args.lockRetryRounds;
  options.journalFile = args.journal;
  // Results stream to the files and the callback; holding every row would make memory
  // grow with the input.
  options.keepResults = false;
  options.cancel = std::make_shared<CancellationToken>();

  auto client = makeClient(args.common);
  // A resumed load opens its input itself, from the journal.
  std::optional<RecordSource> source;
  if (args.resume.empty()) {
    source.emplace(args.data.rewritesRows() ? openCsvInput(args.file, args.data)
                                            : openInput(args.file, kind));
  }

  LoadReport report;
  report.object = args.object;
  report.operation = std::string(toString(operation));
  report.successFile = args.successFile;
  report.errorFile = args.errorFile;
  report.inputFile = fromStdin ? std::string("stdin") : args.file;
  report.journalFile = args.resume.empty() ? args.journal : args.resume;
  report.csvFileInput = !fromStdin && kind == "csv";
  report.json = args.json;
  report.quiet = args.common.quiet;
  const bool haveErrorFile = !args.errorFile.empty();
  if (!args.noWait) {
    options.onResult = [&report, haveErrorFile](const RowResult& row) {
      if (!row.success) report.tally.add(row, haveErrorFile);
    };
  }

  std::exception_ptr stopped;
  const auto started = std::chrono::steady_clock::now();
  {
    Progress progress(report.operation + " " + args.object,
                      detectProgressOptions(args.common.quiet, args.common.progressInterval));
    ConsoleAttachment attached(progress);
    std::unique_ptr<RowCounter> counter;
    if (!args.common.quiet && !fromStdin) {
      counter = std::make_unique<RowCounter>(args.file, kind, args.data.delimiter(), progress);
    }
    options.onProgress = [&progress, &report](const LoadProgress& p) {
      progress.update(p);
      report.lockFailures = p.lockFailures;
      report.recordsRetried = p.recordsRetried;
    };
    InterruptScope interrupts(options.cancel);
    try {
      report.result = args.resume.empty()
                          ? client->load(operation, args.object, std::move(*source), options)
                          : client->resumeLoad(args.resume, options);
    } catch (const LoadIncompleteError& e) {
      // The job exists and rows may be committed: say so before reporting the cause.
      report.result = e.result();
      report.incomplete = true;
      report.error = messageOf(e.cause(), e.what());
      stopped = e.cause() ? e.cause() : std::current_exception();
    }
    progress.finish();
  }
  report.elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);

  return finishLoadReport(report, duplicatesDirectory(args.errorFile, args.successFile), stopped,
                          "interrupted: job " + report.result.jobId +
                              " was aborted; rows not yet processed are listed as not processed");
}

}  // namespace

void addLoadCommand(CLI::App& app, Runner& run) {
  auto args = std::make_shared<LoadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "load",
      "Insert, update, upsert, delete or hard-delete records from a file with the Bulk API");
  cmd->footer(
      "Input: a CSV file with a header row (RFC 4180; `-` reads stdin), a .json file holding\n"
      "one array of record objects, or a .jsonl/.ndjson file with one object per line.\n"
      "--format picks the job's content type; CSV rows are converted for JSON/XML jobs.\n"
      "Every load writes Data Loader style result files: the input columns plus\n"
      "sf__Id,sf__Created (succeeded rows) or sf__Error (failed rows), to --success and\n"
      "--errors, else into --results-dir (./sfbulk-results) with the object, operation and\n"
      "time in their names; --no-results turns that off. No output may be the input or\n"
      "another output.\n"
      "If a batch was created twice (its rows loaded twice), the ids of the extra records\n"
      "go to JOB_ID-duplicates.csv (next to --errors/--success, else here), the command\n"
      "that deletes them is printed and the exit code is 10.\n"
      "A load that stops early (timeout, outage, bad row mid-file) still prints its job,\n"
      "what was committed and how to finish; rows never sent are NOT_SENT in --errors.\n"
      "--api 2 runs the load over Bulk API 2.0: CSV only, the input cut into jobs of\n"
      "--job-records rows; the result files and the exit code are the same as with 1.\n"
      "Data Loader's settings for CSV input: --mapping FILE.sdl, --encoding, --timezone,\n"
      "--day-first, --insert-nulls, --column-delimiter, --line-ending; the result files\n"
      "keep the input's own columns and cells. With --timezone or --day-first, cells that\n"
      "are wholly a date or date/time (yyyy-MM-dd[ HH:mm[:ss]], M/d/yyyy[ H:mm[:ss]]) are\n"
      "sent as yyyy-MM-dd or in UTC; other cells are sent as they are.\n"
      "Lock-aware loads (--api 1): children of one parent (Contacts of an Account) lock it\n"
      "while they are written, so parallel batches sharing a parent fail rows with\n"
      "UNABLE_TO_LOCK_ROW. --group-by COLUMN keeps each parent's rows together (results\n"
      "then come in batch order); rows that still fail for a lock are sent again one\n"
      "batch at a time after the others (--retry-locked, on by default for CSV and JSON\n"
      "jobs), each row reported once with its final outcome.\n\n"
      "--journal FILE makes the load resumable: killed or stopped at any moment, it is\n"
      "continued by `sfbulk load --resume FILE` (no row sent twice, result files whole);\n"
      "not with --group-by, and without lock retries.\n\n"
      "Example:\n"
      "  sfbulk load --object Contact --operation insert --file contacts.csv --errors "
      "failed.csv\n\n" +
      std::string(kExitCodeHelp));
  cmd->add_option("--object", args->object, "sObject name, e.g. Contact");
  cmd->add_option("--operation", args->operation, "DML operation")
      ->transform(
          CLI::IsMember({"insert", "update", "upsert", "delete", "hardDelete"}, CLI::ignore_case));
  cmd->add_option("-f,--file", args->file, "Input file (`-` for CSV on stdin)");
  cmd->add_option("--input-format", args->inputFormat,
                  "Input file format when the extension does not tell")
      ->transform(CLI::IsMember({"csv", "json", "jsonl"}, CLI::ignore_case));
  addDataOptions(*cmd, args->data);
  cmd->add_option("--format", args->format, "Job content type")
      ->transform(CLI::IsMember({"csv", "json", "xml"}, CLI::ignore_case))
      ->capture_default_str();
  cmd->add_option("--external-id", args->externalId, "External id field (upsert only)");
  cmd->add_flag("--serial", args->serial, "Run the job's batches one at a time (avoids locks)");
  cmd->add_option("--api", args->api,
                  "Bulk API version: 1 (batches, CSV/JSON/XML, serial mode) or 2 (CSV jobs the "
                  "service cuts into batches itself)")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  args->batchSizeOption =
      cmd->add_option("--batch-size", args->batchSize, "Records per batch (--api 1)")
          ->check(CLI::Range(std::size_t{1}, kMaxRecordsPerBatch))
          ->capture_default_str();
  args->jobRecordsOption =
      cmd->add_option("--job-records", args->jobRecords,
                      "Rows per job (--api 2; a job also holds at most 100,000,000 bytes)")
          ->check(CLI::Range(std::size_t{1}, std::size_t{150'000'000}))
          ->capture_default_str();
  cmd->add_option("--concurrency", args->concurrency,
                  "Batches (--api 1) or jobs (--api 2) uploaded and running at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_flag("--gzip", args->gzip, "Gzip batch bodies");
  cmd->add_option("--assignment-rule-id", args->assignmentRuleId,
                  "Assignment rule for Case and Lead");
  cmd->add_option("--success", args->successFile,
                  "Write succeeded rows to this CSV file (default: in --results-dir)");
  cmd->add_option("--errors", args->errorFile,
                  "Write failed rows and their errors to this CSV (default: in --results-dir)");
  cmd->add_option("--results-dir", args->resultsDir,
                  "Folder for the result files not named by --success/--errors, named "
                  "OBJECT-OPERATION-yyyyMMdd-HHmmss-success.csv and -error.csv")
      ->type_name("DIR")
      ->capture_default_str();
  cmd->add_flag("--no-results", args->noResults,
                "Write no result files but those named by --success/--errors");
  cmd->add_option("--spool-dir", args->spoolDir,
                  "Directory for the load's private temporary files (default: the system's)")
      ->type_name("DIR");
  cmd->add_flag("--delete-duplicates", args->deleteDuplicates,
                "insert: if a batch turns out to have been created twice, delete the extra "
                "records it created (otherwise they are listed and the exit code is 10)");
  cmd->add_option("--group-by", args->groupBy,
                  "Keep rows with the same value of this column in the same batches, and "
                  "never run two batches of one value at once (e.g. AccountId for Contacts; "
                  "--api 1)")
      ->type_name("COLUMN");
  args->retryLockedOption = cmd->add_flag(
      "--retry-locked,!--no-retry-locked", args->retryLocked,
      "Send rows that failed with UNABLE_TO_LOCK_ROW again, one batch at a time, after the "
      "load's other batches (default: on with --api 1 and CSV or JSON jobs)");
  cmd->add_option("--lock-retry-rounds", args->lockRetryRounds,
                  "Times a row is sent again for a lock at most")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  cmd->add_option("--journal", args->journal,
                  "Write a crash-safe journal of the load to FILE (a new file; CSV input, "
                  "--api 1): if the load is killed or stops, `--resume FILE` continues it")
      ->type_name("FILE");
  cmd->add_option("--resume", args->resume,
                  "Continue the load journaled in FILE: only batches proven absent are sent "
                  "again, then the rest of the input")
      ->type_name("FILE");
  cmd->add_flag("--no-wait", args->noWait,
                "Upload every batch, close the job and exit with its id (--api 1, a CSV file); "
                "`sfbulk job wait JOB_ID --input FILE` then waits and writes the result files");
  cmd->add_flag("--json", args->json,
                "Print the summary as JSON on stdout (with the error when the load stops)");
  addConnectionOptions(*cmd, args->common, true);
  cmd->callback([&run, args] { run = [args] { return runLoad(*args); }; });
}

}  // namespace sfbulk
