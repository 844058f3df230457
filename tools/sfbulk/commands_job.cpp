// sfbulk job info|close|abort|delete|batches|results: the Bulk API's job and batch calls
// on an existing job id, Bulk API 1.0 or 2.0, as readable tables or as JSON for scripts.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/csv.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "commands_collect.hpp"
#include "job_bulk2.hpp"
#include "query_wait.hpp"

namespace sfbulk {

namespace {

using nlohmann::json;
// Field order as on the wire (jobInfo/batchInfo XSD order) rather than alphabetical.
using ordered = nlohmann::ordered_json;
using namespace sfdc::bulk;

struct JobArgs {
  CommonOptions common;
  std::string jobId;
  std::string batchId;
  std::string output;
  std::string kind;
  std::string format;
  bool json = false;
  int api = 0;       ///< 0: find out from the id
  int parallel = 0;  ///< job wait of a query: downloads at once; 0: not given
};

bool isBulk2(const JobLocation& job) { return job.kind != JobLocation::Kind::V1; }

int runBulk2Info(Client& client, const JobLocation& job, const JobArgs& args,
                 const std::string& verb) {
  Bulk2Client bulk2 = client.bulk2();
  const bool ingest = job.kind == JobLocation::Kind::Ingest;
  Bulk2JobInfo info = job.info;
  if (verb == "close") {
    if (!ingest) {
      throw UsageError("job " + args.jobId +
                       " is a Bulk API 2.0 query: it runs as soon as it is "
                       "created and has nothing to close");
    }
    info = bulk2.closeJob(IngestJob::from(job.info));
  } else if (verb == "abort") {
    info = ingest ? bulk2.abortJob(IngestJob::from(job.info))
                  : bulk2.abortJob(QueryJob::from(job.info));
  }
  if (verb == "info") {
    printBulk2Info(info, args.json);
  } else if (args.json) {
    printBulk2Info(info, true);
  } else {
    printBulk2State(info);
  }
  return kExitOk;
}

ordered toJson(const JobInfo& info) {
  return {{"id", info.id},
          {"operation", std::string(toString(info.operation))},
          {"object", info.object},
          {"createdById", info.createdById},
          {"createdDate", info.createdDate},
          {"systemModstamp", info.systemModstamp},
          {"state", std::string(toString(info.state))},
          {"externalIdFieldName", info.externalIdFieldName},
          {"concurrencyMode", std::string(toString(info.concurrencyMode))},
          {"contentType", std::string(toString(info.contentType))},
          {"numberBatchesQueued", info.numberBatchesQueued},
          {"numberBatchesInProgress", info.numberBatchesInProgress},
          {"numberBatchesCompleted", info.numberBatchesCompleted},
          {"numberBatchesFailed", info.numberBatchesFailed},
          {"numberBatchesTotal", info.numberBatchesTotal},
          {"numberRecordsProcessed", info.numberRecordsProcessed},
          {"numberRetries", info.numberRetries},
          {"apiVersion", info.apiVersion},
          {"assignmentRuleId", info.assignmentRuleId},
          {"numberRecordsFailed", info.numberRecordsFailed},
          {"totalProcessingTime", info.totalProcessingTime},
          {"apiActiveProcessingTime", info.apiActiveProcessingTime},
          {"apexProcessingTime", info.apexProcessingTime}};
}

ordered toJson(const BatchInfo& info) {
  return {{"id", info.id},
          {"jobId", info.jobId},
          {"state", std::string(toString(info.state))},
          {"stateMessage", info.stateMessage},
          {"createdDate", info.createdDate},
          {"systemModstamp", info.systemModstamp},
          {"numberRecordsProcessed", info.numberRecordsProcessed},
          {"numberRecordsFailed", info.numberRecordsFailed},
          {"totalProcessingTime", info.totalProcessingTime},
          {"apiActiveProcessingTime", info.apiActiveProcessingTime},
          {"apexProcessingTime", info.apexProcessingTime}};
}

std::string scalarText(const ordered& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// `name  value` lines with the wire names, easy to read and to grep.
void printFields(const ordered& object) {
  std::size_t width = 0;
  for (const auto& item : object.items()) width = std::max(width, item.key().size());
  for (const auto& item : object.items()) {
    std::cout << item.key() << std::string(width + 2 - item.key().size(), ' ')
              << scalarText(item.value()) << '\n';
  }
  std::cout << std::flush;
}

/// A plain table with a header row; columns padded to their widest cell.
void printTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] + 2 - row[i].size(), ' ');
    }
    std::cout << line << '\n';
  }
  std::cout << std::flush;
}

int runInfo(const JobArgs& args, const char* action) {
  auto client = makeClient(args.common);
  const std::string verb = action;
  const JobLocation location = locateJob(*client, args.jobId, args.api);
  if (isBulk2(location)) return runBulk2Info(*client, location, args, verb);
  const Job job = client->attachJob(args.jobId);
  const JobInfo info = verb == "close"   ? client->closeJob(job)
                       : verb == "abort" ? client->abortJob(job)
                                         : client->getJobInfo(job);
  if (args.json) {
    std::cout << toJson(info).dump(2) << std::endl;
  } else if (verb == "info") {
    printFields(toJson(info));
  } else {
    std::cout << "Job " << info.id << " is now " << toString(info.state) << " ("
              << info.numberBatchesCompleted << "/" << info.numberBatchesTotal
              << " batches completed, " << info.numberRecordsProcessed << " records processed, "
              << info.numberRecordsFailed << " failed)" << std::endl;
  }
  return kExitOk;
}

int runDelete(const JobArgs& args) {
  auto client = makeClient(args.common);
  const JobLocation location = locateJob(*client, args.jobId, args.api == 0 ? 2 : args.api);
  if (!isBulk2(location)) {
    throw UsageError(
        "Bulk API 1.0 jobs cannot be deleted; Salesforce removes them 7 days after "
        "they were closed");
  }
  Bulk2Client bulk2 = client->bulk2();
  if (location.kind == JobLocation::Kind::Ingest) {
    bulk2.deleteJob(IngestJob::from(location.info));
  } else {
    bulk2.deleteJob(QueryJob::from(location.info));
  }
  if (args.json) {
    std::cout << ordered{{"id", args.jobId}, {"deleted", true}}.dump(2) << std::endl;
  } else {
    std::cout << "Job " << args.jobId << " deleted" << std::endl;
  }
  return kExitOk;
}

int runBatches(const JobArgs& args) {
  auto client = makeClient(args.common);
  if (isBulk2(locateJob(*client, args.jobId, args.api))) {
    throw UsageError("job " + args.jobId +
                     " is a Bulk API 2.0 job: it has no batches (`sfbulk job "
                     "info` shows its counters)");
  }
  const Job job = client->attachJob(args.jobId);
  const std::vector<BatchInfo> batches = client->getAllBatches(job);
  if (args.json) {
    ordered list = ordered::array();
    for (const auto& batch : batches) list.push_back(toJson(batch));
    std::cout << list.dump(2) << std::endl;
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {
      {"BATCH", "STATE", "PROCESSED", "FAILED", "CREATED", "MESSAGE"}};
  for (const auto& batch : batches) {
    rows.push_back(
        {batch.id, std::string(toString(batch.state)), std::to_string(batch.numberRecordsProcessed),
         std::to_string(batch.numberRecordsFailed), batch.createdDate, batch.stateMessage});
  }
  printTable(rows);
  if (batches.empty()) std::cout << "(no batches)" << std::endl;
  return kExitOk;
}

std::string errorText(const std::vector<RecordError>& errors) {
  // The layout of the Bulk API's own CSV results: STATUS_CODE:message:fields
  std::string text;
  for (const auto& error : errors) {
    if (!text.empty()) text += "\n";
    text += error.statusCode + ":" + error.message + ":";
    for (std::size_t i = 0; i < error.fields.size(); ++i) text += (i ? "," : "") + error.fields[i];
  }
  return text;
}

void writeDmlResults(const std::vector<RecordResult>& records, bool asJson, OutputFile& out) {
  std::string buffer;
  if (asJson) {
    buffer += "[";
    for (std::size_t i = 0; i < records.size(); ++i) {
      const auto& record = records[i];
      ordered errors = ordered::array();
      for (const auto& error : record.errors) {
        errors.push_back({{"statusCode", error.statusCode},
                          {"message", error.message},
                          {"fields", error.fields}});
      }
      // The result file's column order: Id, Success, Created, Error.
      ordered item = {{"id", record.id},
                      {"success", record.success},
                      {"created", record.created},
                      {"errors", errors}};
      buffer += (i == 0 ? "\n" : ",\n") + item.dump();
    }
    buffer += records.empty() ? "]\n" : "\n]\n";
  } else {
    appendCsvRow(buffer, {"Id", "Success", "Created", "Error"});
    for (const auto& record : records) {
      appendCsvRow(buffer, {record.id, record.success ? "true" : "false",
                            record.created ? "true" : "false", errorText(record.errors)});
    }
  }
  out.write(buffer);
}

/// A query batch: every result file streamed in turn, the CSV header written once.
std::uint64_t writeQueryResults(Client& client, const Job& job, const std::string& batchId,
                                const std::vector<std::string>& resultIds, bool asJson,
                                OutputFile& out) {
  std::uint64_t rows = 0;
  std::string buffer;
  bool headerWritten = false;
  auto spill = [&] {
    if (buffer.size() > (1 << 16)) {
      out.write(buffer);
      buffer.clear();
    }
  };
  if (asJson) buffer += "[";
  for (const auto& resultId : resultIds) {
    QueryResultReader reader = client.getQueryResult(job, batchId, resultId);
    if (asJson) {
      ordered record;  // the result file's column order
      while (reader.nextRecord(record)) {
        buffer += (rows++ == 0 ? "\n" : ",\n") +
                  record.dump(-1, ' ', false, json::error_handler_t::replace);
        spill();
      }
    } else {
      if (!headerWritten && !reader.header().empty()) {
        appendCsvRow(buffer, reader.header());
        headerWritten = true;
      }
      std::vector<std::string> row;
      while (reader.nextRow(row)) {
        appendCsvRow(buffer, row);
        ++rows;
        spill();
      }
    }
  }
  if (asJson) buffer += rows == 0 ? "]\n" : "\n]\n";
  out.write(buffer);
  return rows;
}

int runResults(const JobArgs& args) {
  if (!args.output.empty() && args.output != "-") checkWritable(args.output);
  auto client = makeClient(args.common);
  const JobLocation location = locateJob(*client, args.jobId, args.api);
  if (isBulk2(location)) {
    if (!args.batchId.empty()) {
      throw UsageError("job " + args.jobId + " is a Bulk API 2.0 job: it has no batches; drop " +
                       args.batchId);
    }
    Bulk2Client bulk2 = client->bulk2();
    OutputFile out(args.output);
    writeBulk2Results(bulk2, location, args.kind, args.json, out);
    out.commit();
    return kExitOk;
  }
  if (args.batchId.empty()) {
    throw UsageError("BATCH_ID is required for a Bulk API 1.0 job (" + args.jobId +
                     " is not a Bulk API 2.0 job; `sfbulk job batches " + args.jobId +
                     "` lists its batches)");
  }
  if (!args.kind.empty()) throw UsageError("--kind is for Bulk API 2.0 ingest jobs");
  const Job job = client->attachJob(args.jobId);
  const BatchResult result = client->getBatchResult(job, args.batchId);
  OutputFile out(args.output);
  if (isQuery(job.operation)) {
    // Only CSV result files have a header to make columns from; JSON and XML records
    // may nest, so they are printed as JSON.
    const bool asJson = args.json || job.contentType != ContentType::CSV;
    writeQueryResults(*client, job, args.batchId, result.resultIds, asJson, out);
  } else {
    writeDmlResults(result.records, args.json, out);
  }
  out.commit();
  return kExitOk;
}

/// `job wait`: a query job's records (as `sfbulk query` writes them), or a load job's
/// result files from its input.
int runWait(const JobArgs& args, const CollectArgs& collect) {
  const bool loadFlags = !collect.input.empty() || !collect.successFile.empty() ||
                         !collect.errorFile.empty() || collect.deleteDuplicates;
  const bool queryFlags = !args.output.empty() || !args.format.empty() || args.parallel > 0;
  auto client = makeClient(args.common);
  const JobLocation location = locateJob(*client, args.jobId, args.api);
  bool query = location.kind == JobLocation::Kind::Query;
  if (location.kind == JobLocation::Kind::Ingest) {
    throw UsageError("job " + args.jobId +
                     " is a Bulk API 2.0 ingest job: `job wait` follows query jobs and Bulk API "
                     "1.0 load jobs (see `sfbulk job info " +
                     args.jobId + " --api 2`)");
  }
  if (location.kind == JobLocation::Kind::V1) {
    query = isQuery(client->attachJob(args.jobId).operation);
  }
  if (query) {
    if (loadFlags) {
      throw UsageError("job " + args.jobId +
                       " is a query job: its records go to -o FILE (or stdout) as --format; "
                       "--input, --success, --errors and --delete-duplicates are for load jobs");
    }
    return runQueryWait(args.common, *client, args.jobId,
                        location.kind == JobLocation::Kind::Query ? 2 : 1, args.format, args.output,
                        args.json, std::max(args.parallel, 1));
  }
  if (queryFlags) {
    throw UsageError("job " + args.jobId +
                     " is a load job: -o, --format and --parallel are for query jobs (its result "
                     "files are --success and --errors)");
  }
  return runCollect(args.common, args.jobId, collect, args.json, true);
}

CLI::App* addJobSubcommand(CLI::App& job, const char* name, const char* description,
                           const std::shared_ptr<JobArgs>& args) {
  CLI::App* cmd = job.add_subcommand(name, description);
  cmd->add_option("JOB_ID", args->jobId, "Job id, e.g. 750R0000000zlh9IAA")->required();
  cmd->add_option("--api", args->api,
                  "Bulk API of the job: 1 or 2 (default: found out from the id, at the cost of "
                  "up to two requests)")
      ->check(CLI::IsMember({1, 2}));
  return cmd;
}

}  // namespace

void addJobCommand(CLI::App& app, Runner& run) {
  auto args = std::make_shared<JobArgs>();
  CLI::App* job = app.add_subcommand("job", "Inspect and control existing Bulk API jobs");
  job->require_subcommand(1);
  job->footer(std::string(kExitCodeHelp));

  struct Action {
    const char* name;
    const char* description;
  };
  const Action infoActions[] = {
      {"info", "Show every field of a job's jobInfo"},
      {"close", "Close a job: no more batches; queued ones still run"},
      {"abort", "Abort a job: queued batches (2.0: unprocessed rows) are not processed"},
  };
  for (const auto& action : infoActions) {
    CLI::App* cmd = addJobSubcommand(*job, action.name, action.description, args);
    cmd->add_flag("--json", args->json, "Print the jobInfo as JSON");
    addConnectionOptions(*cmd, args->common, false);
    const char* name = action.name;
    cmd->callback([&run, args, name] { run = [args, name] { return runInfo(*args, name); }; });
  }

  CLI::App* remove = addJobSubcommand(
      *job, "delete", "Delete a Bulk API 2.0 job and its data (not while it is Open)", args);
  remove->add_flag("--json", args->json, "Print the outcome as JSON");
  addConnectionOptions(*remove, args->common, false);
  remove->callback([&run, args] { run = [args] { return runDelete(*args); }; });

  CLI::App* batches = addJobSubcommand(*job, "batches", "List a job's batches", args);
  batches->add_flag("--json", args->json, "Print the batchInfo list as JSON");
  addConnectionOptions(*batches, args->common, false);
  batches->callback([&run, args] { run = [args] { return runBatches(*args); }; });

  auto collect = std::make_shared<CollectArgs>();
  CLI::App* wait = addJobSubcommand(
      *job, "wait",
      "Wait for a job started with --no-wait: write a query's records, or a Bulk API 1.0 "
      "load's result files from the input it read",
      args);
  addCollectOptions(*wait, *collect);
  wait->add_option("-o,--output", args->output, "Query jobs: write the records to FILE")
      ->type_name("FILE");
  wait->add_option("--format", args->format,
                   "Query jobs: csv, json or jsonl (default: the job's own, csv or json)")
      ->check(CLI::IsMember({"csv", "json", "jsonl"}));
  wait->add_option("--parallel", args->parallel,
                   "Query jobs: result files or pages downloaded at once, as `sfbulk query "
                   "--parallel` (default 1)")
      ->check(CLI::Range(1, 16))
      ->type_name("N");
  wait->add_flag("--json", args->json, "Print the summary (and errors) as JSON on stdout");
  wait->footer(
      "Load jobs: waits until every batch has finished, with the load's progress display,\n"
      "then pairs the job's rows with --input's rows by their cells and writes the same\n"
      "result files, summary and exit code as `sfbulk load` (rows of the input in no batch\n"
      "are NOT_SENT). Ctrl-C stops waiting; the job keeps running.\n"
      "Query jobs (`sfbulk query --no-wait`): waits for the results and writes the records\n"
      "as `sfbulk query` does, to stdout or -o FILE. Ctrl-C aborts the query job.\n\n"
      "Example:\n"
      "  sfbulk load --object Contact --operation insert --file contacts.csv --no-wait\n"
      "  sfbulk job wait 750R0000000zlh9IAA --input contacts.csv\n"
      "  sfbulk query \"SELECT Id FROM Contact\" --no-wait\n"
      "  sfbulk job wait 750R0000000zlhAIAQ -o contacts.csv\n\n" +
      std::string(kExitCodeHelp));
  addConnectionOptions(*wait, args->common, true);
  wait->callback(
      [&run, args, collect] { run = [args, collect] { return runWait(*args, *collect); }; });

  CLI::App* results = addJobSubcommand(
      *job, "results",
      "Print a batch's results: per-row outcomes, or a query batch's records; with --input, "
      "rebuild a finished load job's result files",
      args);
  addCollectOptions(*results, *collect);
  results->add_option("BATCH_ID", args->batchId, "Batch id (Bulk API 1.0 jobs)");
  results
      ->add_option("--kind", args->kind,
                   "Bulk API 2.0 ingest jobs: which result file (successful, failed, "
                   "unprocessed)")
      ->check(CLI::IsMember({"successful", "failed", "unprocessed"}));
  results->add_option("-o,--output", args->output, "Write to FILE instead of stdout")
      ->type_name("FILE");
  results->add_flag("--json", args->json, "Print JSON instead of CSV");
  results->footer(
      "DML batches: CSV Id,Success,Created,Error (Error as STATUS_CODE:message:fields), one\n"
      "row per input row in input order. Query batches: the records of every result file\n"
      "(CSV with one header row; JSON/XML jobs always print a JSON array).\n"
      "Bulk API 2.0 jobs have no batches: ingest jobs print the --kind result file as the\n"
      "service sends it (sf__Id,sf__Created or sf__Error, then the input columns; not in\n"
      "input order), query jobs every page of their results (header once).\n"
      "With --input FILE (the CSV a Bulk API 1.0 load read), the job's rows are paired with\n"
      "the file's and its Data Loader style result files are written again, as the load\n"
      "wrote them (see `sfbulk job wait`, which also waits for a running job).");
  addConnectionOptions(*results, args->common, false);
  results->callback([&run, args, collect] {
    run = [args, collect] {
      if (!collect->input.empty()) {
        if (!args->batchId.empty() || !args->kind.empty() || !args->output.empty()) {
          throw UsageError(
              "--input rebuilds the job's result files (--success, --errors): drop "
              "BATCH_ID, --kind and --output");
        }
        return runCollect(args->common, args->jobId, *collect, args->json, false);
      }
      return runResults(*args);
    };
  });
}

}  // namespace sfbulk
