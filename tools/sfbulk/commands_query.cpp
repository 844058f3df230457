// sfbulk query: Client::query streamed to stdout or a file as CSV, a JSON array or
// JSON Lines, in constant memory whatever the result size.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>

#include "cli_common.hpp"
#include "commands.hpp"
#include "distinct_files.hpp"
#include "error_report.hpp"
#include "query_wait.hpp"

namespace sfbulk {

namespace {

using nlohmann::json;
using namespace sfdc::bulk;

struct QueryArgs {
  CommonOptions common;
  std::string soql;
  std::string queryFile;
  bool all = false;
  int pkChunkSize = 0;
  std::string pkParent;
  std::string pkStartRow;
  CLI::Option* pkChunking = nullptr;
  std::string format = "csv";
  std::string output;
  int api = 1;
  std::int64_t pageSize = 0;
  int parallel = 1;
  bool noWait = false;
  bool json = false;
};

/// Output is flushed to the file or pipe in chunks of this size.
constexpr std::size_t kFlushBytes = 1 << 16;

/// The SOQL of --query-file: the file's text without a UTF-8 byte order mark and without
/// the white space around it (a long query keeps its line breaks, which SOQL allows).
std::string readQueryFile(const std::string& path) {
  checkReadable(path);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw LocalIoError("cannot read " + path);
  std::string soql = std::move(text).str();
  if (soql.rfind("\xEF\xBB\xBF", 0) == 0) soql.erase(0, 3);
  const auto first = soql.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw UsageError("--query-file " + path + " holds no query");
  soql = soql.substr(first, soql.find_last_not_of(" \t\r\n") - first + 1);
  return soql;
}

/// Streams the query `open` returns to `output` (stdout when empty or "-") as `format`,
/// with progress on stderr and the row count at the end.
int writeQuery(const CommonOptions& common, const std::string& output, const std::string& format,
               bool json, const std::string& label, const std::function<QueryStream()>& open,
               QueryOptions& options) {
  const bool toFile = !output.empty() && output != "-";
  OutputFile out(output);
  std::uint64_t rows = 0;
  std::string jobId;
  {
    ProgressOptions progressOptions = detectProgressOptions(common.quiet, common.progressInterval);
    // Records on the terminal and a bar redrawn over them would garble each other.
    if (!toFile && ::isatty(STDOUT_FILENO) == 1) progressOptions.quiet = true;
    Progress progress(label, progressOptions);
    ConsoleAttachment attached(progress);
    InterruptScope interrupts(options.cancel);
    // The server's side while it works: the job, its batches' states, records processed.
    options.onProgress = [&progress](const QueryProgress& p) {
      progress.updateQuery(p);
      // An error before the stream is handed over (a timeout, Ctrl-C) still names the job.
      errorOutput().jobId = p.jobId;
    };

    QueryStream stream = open();
    jobId = stream.jobId();
    std::string buffer;
    buffer.reserve(kFlushBytes * 2);
    auto flush = [&](bool always) {
      if (always || buffer.size() >= kFlushBytes) {
        out.write(buffer);
        buffer.clear();
        progress.updateRows(rows, jobId);
      }
      if (InterruptScope::interrupted()) throw Interrupted("interrupted: query job " + jobId);
    };
    if (format == "csv") {
      const auto& header = stream.header();
      if (!header.empty()) appendCsvRow(buffer, header);
      std::vector<std::string> row;
      while (stream.nextRow(row)) {
        appendCsvRow(buffer, row);
        ++rows;
        flush(false);
      }
    } else {
      const bool lines = format == "jsonl";
      // Ordered: the fields as the SELECT lists them, not sorted by name.
      nlohmann::ordered_json record;
      if (!lines) buffer += "[";
      while (stream.nextRecord(record)) {
        // One record per line even inside the array, so that line tools still work.
        if (!lines) buffer += rows == 0 ? "\n" : ",\n";
        buffer += record.dump(-1, ' ', false, json::error_handler_t::replace);
        if (lines) buffer += "\n";
        ++rows;
        flush(false);
      }
      if (!lines) buffer += rows == 0 ? "]\n" : "\n]\n";
    }
    flush(true);
    out.commit();
    progress.finish();
  }
  if (json && toFile) {
    const nlohmann::ordered_json summary = {{"jobId", jobId}, {"rows", rows}, {"output", output}};
    std::cout << summary.dump(2) << std::endl;
  } else if (!common.quiet) {
    console().line("sfbulk: " + withThousands(rows) + (rows == 1 ? " row" : " rows") +
                   (toFile ? " written to " + output : std::string()) + " (job " + jobId + ")");
  }
  return kExitOk;
}

int runQuery(QueryArgs args) {
  if (args.soql.empty() == args.queryFile.empty()) {
    throw UsageError("give the query either as an argument or with --query-file FILE");
  }
  const bool toFile = !args.output.empty() && args.output != "-";
  std::vector<NamedFile> inputs;
  if (!args.queryFile.empty()) inputs.push_back({"--query-file", args.queryFile});
  const auto [configOption, configPath] =
      configFileInUse(args.common.credentials.configFile, processEnv);
  if (!configPath.empty()) inputs.push_back({configOption, configPath});
  requireDistinctFiles(inputs, {{"-o", args.output}});
  if (toFile) checkWritable(args.output);
  if (!args.queryFile.empty()) args.soql = readQueryFile(args.queryFile);
  QueryOptions options;
  options.all = args.all;
  options.api = args.api == 2 ? BulkApi::V2 : BulkApi::V1;
  // JSON output comes from a JSON job so that numbers, booleans and nulls keep their
  // types; a CSV job would turn every value into a string. Bulk API 2.0 has CSV only.
  options.contentType =
      args.format == "csv" || args.api == 2 ? ContentType::CSV : ContentType::JSON;
  if (args.api == 2) {
    if (args.pkChunking->count() > 0) {
      throw UsageError("--pk-chunking is for --api 1; Bulk API 2.0 chunks large queries itself");
    }
    if (args.pageSize > 0) options.maxRecordsPerPage = args.pageSize;
  } else if (args.pageSize > 0) {
    throw UsageError(
        "--page-size is for --api 2; Bulk API 1.0 result files have the server's size");
  }
  options.parallelDownloads = args.parallel;
  if (args.pkChunking->count() > 0) {
    PkChunking chunking;
    if (args.pkChunkSize > 0) chunking.chunkSize = args.pkChunkSize;
    chunking.parent = args.pkParent;
    chunking.startRow = args.pkStartRow;
    options.pkChunking = chunking;
  } else if (!args.pkParent.empty() || !args.pkStartRow.empty()) {
    throw UsageError("--pk-parent and --pk-start-row need --pk-chunking");
  }
  options.timeout = timeoutOf(args.common);
  options.cancel = std::make_shared<CancellationToken>();

  auto client = makeClient(args.common);
  if (args.noWait) {
    const std::string jobId = client->submitQuery(args.soql, options);
    if (args.json) {
      std::cout << nlohmann::ordered_json{{"jobId", jobId}, {"state", "submitted"}}.dump(2)
                << std::endl;
    } else {
      std::cout << jobId << std::endl;
    }
    if (!args.common.quiet) {
      console().line("sfbulk: query job " + jobId + " started; its records: sfbulk job wait " +
                     jobId + (args.api == 2 ? " --api 2" : "") +
                     (args.format != "csv" ? " --format " + args.format : std::string()) +
                     (toFile ? " -o " + args.output : std::string()));
    }
    return kExitOk;
  }
  return writeQuery(
      args.common, args.output, args.format, args.json, args.all ? "queryAll" : "query",
      [&] { return client->query(args.soql, options); }, options);
}

}  // namespace

int runQueryWait(const CommonOptions& common, Client& client, const std::string& jobId, int api,
                 std::string format, const std::string& output, bool json, int parallel) {
  const bool toFile = !output.empty() && output != "-";
  QueryOptions options;
  options.api = api == 2 ? BulkApi::V2 : BulkApi::V1;
  options.parallelDownloads = parallel;
  if (api != 2) {
    // A v1 job's records come in its own content type: JSON jobs keep values typed.
    const JobInfo info = client.getJobInfo(client.attachJob(jobId));
    const bool csvJob = info.contentType == ContentType::CSV;
    if (format.empty()) format = csvJob ? "csv" : "json";
    if (format == "csv" && !csvJob) {
      throw UsageError("query job " + jobId + " returns " +
                       std::string(toString(info.contentType)) +
                       " records: use --format json or jsonl");
    }
  } else if (format.empty()) {
    format = "csv";
  }
  std::vector<NamedFile> inputs;
  if (!common.credentials.configFile.empty()) {
    inputs.push_back({"--config", common.credentials.configFile});
  }
  requireDistinctFiles(inputs, {{"-o", output}});
  if (toFile) checkWritable(output);
  options.timeout = timeoutOf(common);
  options.cancel = std::make_shared<CancellationToken>();
  return writeQuery(
      common, output, format, json, "wait " + jobId,
      [&] { return client.attachQuery(jobId, options); }, options);
}

namespace {}  // namespace

void addQueryCommand(CLI::App& app, Runner& run) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App* cmd = app.add_subcommand("query", "Run a bulk SOQL query and stream the records");
  cmd->footer(
      "Output goes to stdout unless -o names a file; a file is written under a temporary\n"
      "name and renamed when complete, so a failed query never leaves a partial file.\n"
      "Formats: csv (header row once, RFC 4180; no rows and no header when nothing\n"
      "matches), json (one array, one record per line, values typed), jsonl (one record\n"
      "object per line). Progress and the row count go to stderr.\n\n"
      "Examples:\n"
      "  sfbulk query \"SELECT Id, Name FROM Account\" -o accounts.csv\n"
      "  sfbulk query --query-file report.soql -o report.csv\n"
      "  sfbulk query \"SELECT Id FROM Contact\" --pk-chunking 100000 --parallel 4 -o ids.csv\n"
      "  sfbulk query \"SELECT Id FROM Contact\" --pk-chunking 100000 --format jsonl | jq .Id\n"
      "  sfbulk query \"SELECT Id, Email FROM Contact\" --api 2 --parallel 4 -o contacts.csv\n"
      "With --api 2 (Bulk API 2.0) every value is text, also in json/jsonl output.\n\n" +
      std::string(kExitCodeHelp));
  cmd->add_option("soql", args->soql, "The SOQL query (or --query-file)");
  cmd->add_option("--query-file", args->queryFile,
                  "Read the SOQL query from FILE (for long queries; UTF-8)")
      ->type_name("FILE");
  cmd->add_flag("--all", args->all, "queryAll: include deleted and archived records");
  args->pkChunking = cmd->add_option("--pk-chunking", args->pkChunkSize,
                                     "Split the query by record id ranges; SIZE records per chunk "
                                     "(1..250000, default: the server's 100000)")
                         ->expected(0, 1)
                         ->type_name("[SIZE]")
                         ->check(CLI::Range(1, 250000));
  cmd->add_option("--pk-parent", args->pkParent, "PK chunking parent object (sharing/history)");
  cmd->add_option("--pk-start-row", args->pkStartRow, "PK chunking: first record id");
  cmd->add_option("--format", args->format, "Output format")
      ->transform(CLI::IsMember({"csv", "json", "jsonl"}, CLI::ignore_case))
      ->capture_default_str();
  cmd->add_option("-o,--output", args->output, "Write to FILE instead of stdout")
      ->type_name("FILE");
  cmd->add_option("--api", args->api, "Bulk API version: 1 or 2")
      ->check(CLI::IsMember({1, 2}))
      ->capture_default_str();
  cmd->add_option("--page-size", args->pageSize,
                  "--api 2: rows per result page (default: the server's)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}))
      ->type_name("ROWS");
  cmd->add_option("--parallel", args->parallel,
                  "Result files (--api 1, across PK chunks) or pages (--api 2, API 58.0 and "
                  "later) downloaded at once, each held in a temporary file until written; "
                  "rows keep their order (default 1)")
      ->check(CLI::Range(1, 16))
      ->type_name("N");
  cmd->add_flag("--no-wait", args->noWait,
                "Start the query job and print its id (stdout); `sfbulk job wait JOB_ID` "
                "writes its records later");
  cmd->add_flag("--json", args->json,
                "Errors as one JSON document on stdout; with -o FILE the summary too (jobId, "
                "rows, output)");
  addConnectionOptions(*cmd, args->common, true);
  cmd->callback([&run, args] { run = [args] { return runQuery(*args); }; });
}

}  // namespace sfbulk
