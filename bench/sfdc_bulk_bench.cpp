// sfdc_bulk_bench: the sfdc-bulk client of the end-to-end benchmark. One process runs one
// phase, so that its CPU time and peak RSS (VmHWM) belong to that phase alone; the
// harness also measures each process from outside with wait4().
//
//   sfdc_bulk_bench --url URL --phase insert --input contacts.csv [--format csv|json]
//   sfdc_bulk_bench --url URL --phase query  --output queried.csv [--format csv|json]
//   sfdc_bulk_bench --url URL --phase delete --input queried.csv  [--format csv|json]
//
// `--api 2` runs the phase over Bulk API 2.0 (CSV only). Query phase: `--pk-chunking SIZE`
// (Bulk API 1.0; 0, the default, is off) splits the query into batches of SIZE ids;
// `--parallel N` downloads N result files (1.0) or pages (2.0) at once (default: 4 over
// 2.0, 1 over 1.0).
//
// Prints one JSON object on stdout: rows, succeeded, failed, requests, wallSeconds,
// cpuUserSeconds, cpuSysSeconds, peakRssKb.

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>
#include <string>

namespace {

using namespace sfdc::bulk;

constexpr const char* kSoql =
    "SELECT Id, FirstName, LastName, Email, Phone, Title, Department, MailingStreet, "
    "MailingCity, MailingPostalCode, MailingCountry, Birthdate, HasOptedOutOfEmail, "
    "Legacy_Number__c, External_Id__c, Description FROM Contact";

// Delete input: the Id column of a queried CSV file, streamed. Ids never need quoting,
// so each row is written afresh instead of copying the query file's wide rows.
class IdColumnReader final : public RecordSource::Reader {
 public:
  explicit IdColumnReader(const std::string& path) : in_(path, std::ios::binary), csv_(in_) {
    if (!in_) throw std::runtime_error("cannot open " + path);
    std::vector<std::string> header;
    if (!csv_.next(header)) throw std::runtime_error(path + " is empty");
    for (column_ = 0; column_ < header.size() && header[column_] != "Id"; ++column_) {
    }
    if (column_ == header.size()) throw std::runtime_error(path + " has no Id column");
  }

  const std::vector<std::string>& csvHeader() override { return header_; }
  bool isCsv() const override { return true; }

  bool nextCsvRow(std::string& raw, std::vector<std::string>& fields) override {
    if (!csv_.next(row_)) return false;
    fields.assign(1, row_.at(column_));
    raw.assign(fields[0]).push_back('\n');
    return true;
  }

  bool nextRecord(nlohmann::json& record) override {
    if (!csv_.next(row_)) return false;
    record = nlohmann::json::object({{"Id", row_.at(column_)}});
    return true;
  }

 private:
  std::ifstream in_;
  CsvReader csv_;
  std::size_t column_ = 0;
  std::vector<std::string> header_{"Id"};
  std::vector<std::string> row_;
};

long peakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; }

[[noreturn]] void usage(const std::string& message) {
  std::cerr << "sfdc_bulk_bench: " << message
            << "\nusage: sfdc_bulk_bench --url URL --phase insert|query|delete "
               "[--input FILE] [--output FILE] [--format csv|json] [--api 1|2] "
               "[--pk-chunking SIZE] [--parallel N]\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, phase, input, output, format = "csv", api = "1";
  int pkChunkSize = 0;
  int parallel = 0;  // 0: 4 over 2.0 (resultPages), 1 over 1.0
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) usage(arg + " needs a value");
    const std::string value = argv[++i];
    if (arg == "--url") {
      url = value;
    } else if (arg == "--phase") {
      phase = value;
    } else if (arg == "--input") {
      input = value;
    } else if (arg == "--output") {
      output = value;
    } else if (arg == "--format") {
      format = value;
    } else if (arg == "--api") {
      api = value;
    } else if (arg == "--pk-chunking") {
      pkChunkSize = std::stoi(value);
    } else if (arg == "--parallel") {
      parallel = std::stoi(value);
    } else {
      usage("unknown option " + arg);
    }
  }
  if (url.empty() || phase.empty()) usage("--url and --phase are required");
  if (format != "csv" && format != "json") usage("--format is csv or json");
  if (api != "1" && api != "2") usage("--api is 1 or 2");
  if (api == "2" && format != "csv") usage("--api 2 takes CSV only");
  if (pkChunkSize < 0 || pkChunkSize > 250'000) usage("--pk-chunking is 0..250000");
  if (api == "2" && pkChunkSize > 0) usage("--pk-chunking is for --api 1");
  if (parallel < 0) usage("--parallel is at least 1");
  // Over 1.0 the files downloaded ahead are parsed twice (into the spool file and out of
  // it), which on a 2-core machine costs more than it saves unless PK chunks complete in
  // rounds, their downloads overlapping the later chunks (README, Performance).
  if (parallel == 0) parallel = api == "2" ? 4 : 1;
  const BulkApi bulkApi = api == "2" ? BulkApi::V2 : BulkApi::V1;
  const ContentType type = format == "json" ? ContentType::JSON : ContentType::CSV;

  Config config;
  config.baseUrl = url;
  config.clientConfig =
      RefreshTokenConfig{"emulator-client-id", "emulator-client-secret", "emulator-refresh-token",
                         url + "/services/oauth2/token"};
  nlohmann::json report = {{"client", api == "2" ? "sfdc-bulk-bulk2" : "sfdc-bulk-" + format},
                           {"phase", phase}};
  const auto started = std::chrono::steady_clock::now();
  try {
    Client client(config);
    if (phase == "insert" || phase == "delete") {
      if (input.empty()) usage("--input is required for " + phase);
      LoadOptions options;
      options.api = bulkApi;
      options.contentType = type;
      options.keepResults = false;  // results are counted, not kept: memory stays flat
      RecordSource source = phase == "insert"
                                ? RecordSource::csvFile(input)
                                : RecordSource(std::make_shared<IdColumnReader>(input));
      const LoadResult result = client.load(
          phase == "insert" ? Operation::Insert : Operation::Delete, "Contact", source, options);
      report["rows"] = result.recordsRead;
      report["succeeded"] = result.succeeded;
      report["failed"] = result.failed + result.notProcessed;
      report["batches"] = result.batches.size();
      report["jobs"] = result.jobIds.size();
    } else if (phase == "query") {
      if (output.empty()) usage("--output is required for query");
      QueryOptions options;
      options.api = bulkApi;
      options.contentType = type;
      // Result files (1.0) or pages (2.0, resultPages) are fetched a few at a time; rows
      // keep their order.
      options.parallelDownloads = parallel;
      if (pkChunkSize > 0) options.pkChunking = PkChunking{pkChunkSize, "", ""};
      const std::uint64_t rows = client.queryToCsvFile(kSoql, output, options);
      report["rows"] = rows;
      report["succeeded"] = rows;
      report["failed"] = 0;
    } else {
      usage("unknown phase " + phase);
    }
    report["requests"] = client.requestCount();
  } catch (const std::exception& e) {
    std::cerr << "sfdc_bulk_bench: " << phase << " failed: " << e.what() << "\n";
    return 1;
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  report["wallSeconds"] = wall;
  report["cpuUserSeconds"] = seconds(usage.ru_utime);
  report["cpuSysSeconds"] = seconds(usage.ru_stime);
  report["peakRssKb"] = peakRssKb();
  std::cout << report.dump() << std::endl;
  return 0;
}
