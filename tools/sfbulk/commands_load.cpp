// sfbulk load: Client::load over a CSV, JSON or JSON Lines file, with progress, Data
// Loader style success/error files and an exit code that tells whether every row made it.

#include <CLI/CLI.hpp>
#include <atomic>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <thread>

#include "cli_common.hpp"
#include "commands.hpp"

namespace sfbulk {

namespace {

using nlohmann::json;
using namespace sfdc::bulk;

struct LoadArgs {
  CommonOptions common;
  std::string object;
  std::string operation;
  std::string file;
  std::string inputFormat;
  std::string format = "csv";
  std::string externalId;
  std::string assignmentRuleId;
  std::string successFile;
  std::string errorFile;
  std::string spoolDir;
  bool serial = false;
  bool deleteDuplicates = false;
  bool gzip = false;
  bool json = false;
  std::size_t batchSize = kMaxRecordsPerBatch;
  int concurrency = 4;
};

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string inputKind(const LoadArgs& args) {
  if (!args.inputFormat.empty()) return args.inputFormat;
  if (endsWith(args.file, ".json")) return "json";
  if (endsWith(args.file, ".jsonl") || endsWith(args.file, ".ndjson")) return "jsonl";
  return "csv";
}

/// A JSON array file, read whole: JSON arrays cannot be streamed record by record
/// without a streaming parser, which is what JSON Lines input is for.
RecordSource jsonArraySource(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  json document;
  try {
    document = json::parse(in);
  } catch (const json::exception& e) {
    throw UsageError(path + " is not valid JSON: " + e.what() +
                     "\n  a .json input must hold one array of record objects;"
                     " use .jsonl for one object per line");
  }
  if (!document.is_array()) throw UsageError(path + ": expected a JSON array of record objects");
  std::vector<json> records;
  records.reserve(document.size());
  for (std::size_t i = 0; i < document.size(); ++i) {
    if (!document[i].is_object()) {
      throw UsageError(path + ": element " + std::to_string(i + 1) + " is not a JSON object");
    }
    records.push_back(std::move(document[i]));
  }
  return RecordSource::records(std::move(records));
}

/// JSON Lines, streamed: one record object per line, blank lines skipped.
RecordSource jsonLinesSource(const std::string& path) {
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  auto line = std::make_shared<std::uint64_t>(0);
  return RecordSource::generator([in, line, path](json& record) {
    std::string text;
    while (std::getline(*in, text)) {
      ++*line;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        record = json::parse(text);
      } catch (const json::exception& e) {
        throw InvalidArgument(path + ":" + std::to_string(*line) + ": not valid JSON: " + e.what());
      }
      if (!record.is_object()) {
        throw InvalidArgument(path + ":" + std::to_string(*line) + ": not a JSON object");
      }
      return true;
    }
    if (in->bad()) throw LocalIoError("cannot read " + path);
    return false;
  });
}

/**
 * Counts the input's rows on a side thread so that the progress bar can show a
 * percentage and an ETA without delaying the first batch. A CSV row can span lines,
 * hence the real reader rather than counting newlines.
 */
class RowCounter {
 public:
  RowCounter(const std::string& path, const std::string& kind, Progress& progress) {
    thread_ = std::thread([this, path, kind, &progress] {
      try {
        std::ifstream in(path, std::ios::binary);
        if (!in) return;
        std::uint64_t rows = 0;
        if (kind == "csv") {
          CsvReader reader(in);
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

/// Attaches a progress display to the console for a scope.
struct ConsoleAttachment {
  explicit ConsoleAttachment(Progress& progress) { console().attach(&progress); }
  ~ConsoleAttachment() { console().attach(nullptr); }
  ConsoleAttachment(const ConsoleAttachment&) = delete;
  ConsoleAttachment& operator=(const ConsoleAttachment&) = delete;
};

std::string describeErrors(const std::vector<RecordError>& errors) {
  std::string text;
  for (const auto& error : errors) {
    if (!text.empty()) text += "; ";
    // The fields are in the --errors file; the message usually names them already.
    text += error.statusCode.empty() ? error.message : error.statusCode + ": " + error.message;
  }
  return text;
}

/// The summary as JSON on stdout; `error` is set when the load stopped before the end.
void printJsonSummary(const LoadArgs& args, Operation operation, const LoadResult& result,
                      const char* error) {
  nlohmann::ordered_json summary = {{"jobId", result.jobId},
                                    {"object", args.object},
                                    {"operation", std::string(toString(operation))},
                                    {"recordsRead", result.recordsRead},
                                    {"succeeded", result.succeeded},
                                    {"failed", result.failed},
                                    {"notProcessed", result.notProcessed},
                                    {"batches", nlohmann::ordered_json::array()}};
  for (const auto& batch : result.batches) {
    summary["batches"].push_back({{"id", batch.id},
                                  {"state", std::string(toString(batch.state))},
                                  {"stateMessage", batch.stateMessage}});
  }
  if (!args.successFile.empty()) summary["successFile"] = args.successFile;
  if (!args.errorFile.empty()) summary["errorFile"] = args.errorFile;
  if (error != nullptr) {
    summary["incomplete"] = true;
    summary["error"] = error;
  }
  std::cout << summary.dump(2) << std::endl;
}

int runLoad(const LoadArgs& args) {
  const Operation operation = parseOperation(args.operation);
  if (operation == Operation::Upsert && args.externalId.empty()) {
    throw UsageError("upsert needs --external-id FIELD (the external id field to match on)");
  }
  if (operation != Operation::Upsert && !args.externalId.empty()) {
    throw UsageError("--external-id is only for --operation upsert");
  }
  if (!args.successFile.empty() && args.successFile == args.errorFile) {
    throw UsageError("--success and --errors must name different files");
  }
  const std::string kind = inputKind(args);
  const bool fromStdin = args.file == "-";
  if (fromStdin && kind != "csv") throw UsageError("--file - (stdin) takes CSV only");
  if (!fromStdin) checkReadable(args.file);
  if (!args.successFile.empty()) checkWritable(args.successFile);
  if (!args.errorFile.empty()) checkWritable(args.errorFile);

  LoadOptions options;
  options.contentType = parseContentType(args.format == "csv"    ? "CSV"
                                         : args.format == "json" ? "JSON"
                                                                 : "XML");
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
  // Results stream to the files and the callback; holding every row would make memory
  // grow with the input.
  options.keepResults = false;
  options.cancel = std::make_shared<CancellationToken>();

  auto client = makeClient(args.common);
  RecordSource source = fromStdin         ? RecordSource::csvStream(std::cin)
                        : kind == "json"  ? jsonArraySource(args.file)
                        : kind == "jsonl" ? jsonLinesSource(args.file)
                                          : RecordSource::csvFile(args.file);

  constexpr std::size_t kShownFailures = 5;
  std::vector<std::string> failures;
  std::uint64_t failureCount = 0;
  options.onResult = [&](const RowResult& row) {
    if (row.success) return;
    ++failureCount;
    if (failures.size() < kShownFailures) {
      failures.push_back("row " + std::to_string(row.row) + ": " +
                         (row.notProcessed ? "not processed: " : "") + describeErrors(row.errors));
    }
  };

  LoadResult result;
  const auto started = std::chrono::steady_clock::now();
  {
    Progress progress(std::string(toString(operation)) + " " + args.object,
                      detectProgressOptions(args.common.quiet, args.common.progressInterval));
    ConsoleAttachment attached(progress);
    std::unique_ptr<RowCounter> counter;
    if (!args.common.quiet && !fromStdin) {
      counter = std::make_unique<RowCounter>(args.file, kind, progress);
    }
    options.onProgress = [&progress](const LoadProgress& p) { progress.update(p); };
    InterruptScope interrupts(options.cancel);
    try {
      result = client->load(operation, args.object, std::move(source), options);
    } catch (const LoadIncompleteError& e) {
      progress.finish();
      if (args.json) printJsonSummary(args, operation, e.result(), e.what());
      throw;
    }
    progress.finish();
  }
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);

  if (args.json) {
    printJsonSummary(args, operation, result, nullptr);
  } else if (!args.common.quiet) {
    if (result.jobId.empty()) {
      std::cout << "No rows in " << args.file << ": nothing to load." << std::endl;
    } else {
      std::cout << "Job " << result.jobId << ": " << withThousands(result.recordsRead) << " rows, "
                << withThousands(result.succeeded) << " succeeded, " << withThousands(result.failed)
                << " failed, " << withThousands(result.notProcessed) << " not processed ("
                << result.batches.size() << (result.batches.size() == 1 ? " batch, " : " batches, ")
                << formatDuration(elapsed) << ")" << std::endl;
    }
  }
  if (!args.common.quiet) {
    for (const auto& line : failures) console().line("  " + line);
    if (failureCount > failures.size()) {
      console().line("  … and " + withThousands(failureCount - failures.size()) + " more");
    }
    if (failureCount > 0) {
      console().line(args.errorFile.empty()
                         ? "  rerun with --errors FILE to get every failed row with its error"
                         : "  failed rows and their errors: " + args.errorFile);
    }
  }
  if (InterruptScope::interrupted()) {
    throw Interrupted("interrupted: job " + result.jobId +
                      " was aborted; rows not yet processed are listed as not processed");
  }
  bool duplicated = false;
  for (const auto& duplicate : result.duplicates) {
    if (duplicate.deleted) continue;
    duplicated = true;
    console().line("  batch " + duplicate.batchId + " repeats input rows " +
                   std::to_string(duplicate.firstRow) + "-" +
                   std::to_string(duplicate.firstRow + duplicate.rowCount - 1) + " of batch " +
                   duplicate.duplicateOf + ": " + std::to_string(duplicate.recordIds.size()) +
                   " records are in the org twice; their ids:");
    for (const auto& id : duplicate.recordIds) console().line("    " + id);
  }
  if (duplicated) return kExitDuplicates;
  return result.allSucceeded() ? kExitOk : kExitPartialFailure;
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
      "--success/--errors write Data Loader style CSV files: the input columns plus\n"
      "sf__Id,sf__Created or sf__Error.\n\n"
      "Example:\n"
      "  sfbulk load --object Contact --operation insert --file contacts.csv --errors "
      "failed.csv\n\n" +
      std::string(kExitCodeHelp));
  cmd->add_option("--object", args->object, "sObject name, e.g. Contact")->required();
  cmd->add_option("--operation", args->operation, "DML operation")
      ->required()
      ->transform(
          CLI::IsMember({"insert", "update", "upsert", "delete", "hardDelete"}, CLI::ignore_case));
  cmd->add_option("-f,--file", args->file, "Input file (`-` for CSV on stdin)")->required();
  cmd->add_option("--input-format", args->inputFormat,
                  "Input file format when the extension does not tell")
      ->transform(CLI::IsMember({"csv", "json", "jsonl"}, CLI::ignore_case));
  cmd->add_option("--format", args->format, "Job content type")
      ->transform(CLI::IsMember({"csv", "json", "xml"}, CLI::ignore_case))
      ->capture_default_str();
  cmd->add_option("--external-id", args->externalId, "External id field (upsert only)");
  cmd->add_flag("--serial", args->serial, "Run the job's batches one at a time (avoids locks)");
  cmd->add_option("--batch-size", args->batchSize, "Records per batch")
      ->check(CLI::Range(std::size_t{1}, kMaxRecordsPerBatch))
      ->capture_default_str();
  cmd->add_option("--concurrency", args->concurrency, "Batches uploaded at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_flag("--gzip", args->gzip, "Gzip batch bodies");
  cmd->add_option("--assignment-rule-id", args->assignmentRuleId,
                  "Assignment rule for Case and Lead");
  cmd->add_option("--success", args->successFile, "Write succeeded rows to this CSV file");
  cmd->add_option("--errors", args->errorFile, "Write failed rows and their errors to this CSV");
  cmd->add_option("--spool-dir", args->spoolDir,
                  "Directory for the load's private temporary files (default: the system's)")
      ->type_name("DIR");
  cmd->add_flag("--delete-duplicates", args->deleteDuplicates,
                "If a batch turns out to have been created twice, delete the records of the "
                "second copy (insert)");
  cmd->add_flag("--json", args->json, "Print the summary as JSON on stdout");
  addConnectionOptions(*cmd, args->common, true);
  cmd->callback([&run, args] { run = [args] { return runLoad(*args); }; });
}

}  // namespace sfbulk
