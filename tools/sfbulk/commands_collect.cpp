#include "commands_collect.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>

#include "distinct_files.hpp"
#include "duplicates_file.hpp"
#include "exit_codes.hpp"
#include "job_bulk2.hpp"
#include "load_inputs.hpp"
#include "load_report.hpp"
#include "progress.hpp"
#include "result_files.hpp"

namespace sfbulk {

using namespace sfdc::bulk;

void addCollectOptions(CLI::App& command, CollectArgs& args) {
  command
      .add_option("--input,--file", args.input,
                  "The CSV file the job's load read; its rows are paired with the job's")
      ->type_name("FILE");
  command.add_option("--success", args.successFile,
                     "Write succeeded rows to this CSV file (default: in --results-dir)");
  command.add_option("--errors", args.errorFile,
                     "Write failed rows and their errors to this CSV (default: in --results-dir)");
  command
      .add_option("--results-dir", args.resultsDir,
                  "Folder for the result files not named by --success/--errors, named "
                  "OBJECT-OPERATION-yyyyMMdd-HHmmss-success.csv and -error.csv")
      ->type_name("DIR")
      ->capture_default_str();
  command.add_flag("--no-results", args.noResults,
                   "Write no result files but those named by --success/--errors");
  command.add_flag("--delete-duplicates", args.deleteDuplicates,
                   "insert jobs: delete the extra records of a batch created twice");
  command
      .add_option("--spool-dir", args.spoolDir,
                  "Directory for private temporary files (default: the system's)")
      ->type_name("DIR");
}

namespace {

/// `job results --input` reads a finished job; waiting is `job wait`'s.
void requireFinished(Client& client, const Job& job, const std::string& input) {
  std::size_t running = 0;
  const std::vector<BatchInfo> batches = client.getAllBatches(job);
  for (const auto& batch : batches) running += batch.isTerminal() ? 0 : 1;
  if (running > 0) {
    throw TimeoutError("job " + job.id + " has " + std::to_string(running) + " of " +
                           std::to_string(batches.size()) +
                           " batches still queued or running: `sfbulk job wait " + job.id +
                           " --input " + input + "` waits for them and writes the results",
                       job.id);
  }
}

}  // namespace

int runCollect(const CommonOptions& common, const std::string& jobId, const CollectArgs& given,
               bool json, bool wait) {
  CollectArgs args = given;
  if (args.input.empty()) {
    throw UsageError(
        "--input FILE is required: the CSV file the job's load read (its rows are "
        "paired with the job's to write the result files)");
  }
  if (args.input == "-") {
    throw UsageError("--input - (stdin) cannot be paired; give the CSV file the load read");
  }
  if (inputKind(args.input, "") != "csv") {
    throw UsageError("--input must be the CSV file the load read: " + args.input);
  }
  checkReadable(args.input);
  auto client = makeClient(common);
  const JobLocation location = locateJob(*client, jobId, 1);
  if (location.kind != JobLocation::Kind::V1) {
    throw UsageError("job " + jobId +
                     " is a Bulk API 2.0 job; --input works with Bulk API 1.0 "
                     "load jobs (for 2.0, `sfbulk job results " +
                     jobId + " --kind successful|failed|unprocessed` prints each result file)");
  }
  const Job job = client->attachJob(jobId);
  if (isQuery(job.operation)) {
    throw UsageError("job " + jobId + " is a query job; --input is for load jobs");
  }
  // Before the results folder is made: a refusal leaves nothing behind.
  if (!wait) requireFinished(*client, job, args.input);
  const std::string operation(toString(job.operation));
  if (!args.noResults) {
    defaultResultFiles(job.object, operation, args.resultsDir, args.successFile, args.errorFile);
  }
  requireDistinctFiles({{"--input", args.input}},
                       {{"--success", args.successFile}, {"--errors", args.errorFile}});
  if (!args.successFile.empty()) checkWritable(args.successFile);
  if (!args.errorFile.empty()) checkWritable(args.errorFile);

  LoadOptions options;
  options.successFile = args.successFile;
  options.errorFile = args.errorFile;
  options.deleteDuplicates = args.deleteDuplicates;
  options.spoolDirectory = args.spoolDir;
  options.timeout = timeoutOf(common);
  options.keepResults = false;
  options.cancel = std::make_shared<CancellationToken>();

  LoadReport report;
  report.object = job.object;
  report.operation = operation;
  report.successFile = args.successFile;
  report.errorFile = args.errorFile;
  report.inputFile = args.input;
  report.json = json;
  report.quiet = common.quiet;
  const bool haveErrorFile = !args.errorFile.empty();
  options.onResult = [&report, haveErrorFile](const RowResult& row) {
    if (!row.success) report.tally.add(row, haveErrorFile);
  };
  const auto started = std::chrono::steady_clock::now();
  {
    Progress progress("wait " + jobId,
                      detectProgressOptions(common.quiet, common.progressInterval));
    ConsoleAttachment attached(progress);
    options.onProgress = [&progress](const LoadProgress& p) { progress.update(p); };
    InterruptScope interrupts(options.cancel);
    report.result = client->collectLoad(jobId, RecordSource::csvFile(args.input), options);
    progress.finish();
  }
  report.elapsed =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
  return finishLoadReport(report, duplicatesDirectory(args.errorFile, args.successFile), nullptr,
                          "interrupted: stopped waiting; job " + jobId + " keeps running");
}

}  // namespace sfbulk
