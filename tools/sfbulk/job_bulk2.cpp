#include "job_bulk2.hpp"

#include <iostream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/csv.hpp>
#include <sfdc/bulk/error.hpp>

namespace sfbulk {

namespace {

using namespace sfdc::bulk;
// Field order as on the wire rather than alphabetical.
using ordered = nlohmann::ordered_json;

bool notFound(const ApiError& e) { return e.httpStatus() == 404; }

ordered toJson(const Bulk2JobInfo& info) {
  ordered out = {{"id", info.id},
                 {"operation", std::string(toString(info.operation))},
                 {"object", info.object},
                 {"createdById", info.createdById},
                 {"createdDate", info.createdDate},
                 {"systemModstamp", info.systemModstamp},
                 {"state", std::string(toString(info.state))}};
  if (!info.externalIdFieldName.empty()) out["externalIdFieldName"] = info.externalIdFieldName;
  if (!info.assignmentRuleId.empty()) out["assignmentRuleId"] = info.assignmentRuleId;
  out["concurrencyMode"] = info.concurrencyMode;
  out["contentType"] = info.contentType;
  out["apiVersion"] = info.apiVersion;
  out["jobType"] = info.jobType;
  out["lineEnding"] = std::string(toString(info.lineEnding));
  out["columnDelimiter"] = std::string(toString(info.columnDelimiter));
  out["numberRecordsProcessed"] = info.numberRecordsProcessed;
  if (!info.isQuery()) out["numberRecordsFailed"] = info.numberRecordsFailed;
  out["retries"] = info.retries;
  out["totalProcessingTime"] = info.totalProcessingTime;
  if (!info.isQuery()) {
    out["apiActiveProcessingTime"] = info.apiActiveProcessingTime;
    out["apexProcessingTime"] = info.apexProcessingTime;
  }
  if (info.isPkChunkingSupported) out["isPkChunkingSupported"] = *info.isPkChunkingSupported;
  if (!info.errorMessage.empty()) out["errorMessage"] = info.errorMessage;
  return out;
}

IngestResultKind parseKind(const std::string& kind) {
  if (kind == "successful") return IngestResultKind::Successful;
  if (kind == "failed") return IngestResultKind::Failed;
  if (kind == "unprocessed") return IngestResultKind::Unprocessed;
  throw UsageError(
      "a Bulk API 2.0 ingest job has three result files: choose one with --kind "
      "successful, --kind failed or --kind unprocessed");
}

/// Copies the reader's rows to `out`; the header only when `withHeader`.
class ResultWriter {
 public:
  ResultWriter(bool json, OutputFile& out) : json_(json), out_(out) {
    if (json_) buffer_ += "[";
  }

  void copy(Bulk2CsvReader& reader, bool withHeader) {
    const std::vector<std::string>& header = reader.header();
    if (header_.empty()) header_ = header;
    if (!json_ && withHeader && !header.empty()) appendCsvRow(buffer_, header);
    std::vector<std::string> row;
    while (reader.nextRow(row)) {
      if (json_) {
        ordered record = ordered::object();  // the result file's column order
        for (std::size_t i = 0; i < row.size() && i < header_.size(); ++i) {
          record[header_[i]] = row[i];
        }
        buffer_ += (rows_ == 0 ? "\n" : ",\n") +
                   record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      } else {
        appendCsvRow(buffer_, row);
      }
      ++rows_;
      if (buffer_.size() > (1 << 16)) {
        out_.write(buffer_);
        buffer_.clear();
      }
    }
  }

  std::uint64_t finish() {
    if (json_) buffer_ += rows_ == 0 ? "]\n" : "\n]\n";
    out_.write(buffer_);
    buffer_.clear();
    return rows_;
  }

 private:
  bool json_;
  OutputFile& out_;
  std::string buffer_;
  std::vector<std::string> header_;
  std::uint64_t rows_ = 0;
};

}  // namespace

JobLocation locateJob(Client& client, const std::string& jobId, int api) {
  JobLocation location;
  if (api == 1) return location;
  Bulk2Client bulk2 = client.bulk2();
  IngestJob ingest;
  ingest.id = jobId;
  QueryJob query;
  query.id = jobId;
  try {
    location.info = bulk2.getJobInfo(ingest);
    // Listings show Bulk API 1.0 jobs under /jobs/ingest too, as jobType Classic.
    location.kind =
        location.info.jobType == "Classic" ? JobLocation::Kind::V1 : JobLocation::Kind::Ingest;
    if (location.kind == JobLocation::Kind::V1 && api == 2) {
      throw UsageError("job " + jobId + " is a Bulk API 1.0 job: drop --api 2");
    }
    return location;
  } catch (const ApiError& e) {
    if (!notFound(e)) throw;
  }
  try {
    location.info = bulk2.getJobInfo(query);
    location.kind = JobLocation::Kind::Query;
    return location;
  } catch (const ApiError& e) {
    if (!notFound(e)) throw;
  }
  if (api == 2) {
    throw UsageError("no Bulk API 2.0 ingest or query job has the id " + jobId +
                     " (check the id; Bulk API 1.0 jobs need --api 1)");
  }
  return JobLocation{};
}

void printBulk2Info(const Bulk2JobInfo& info, bool json) {
  const ordered fields = toJson(info);
  if (json) {
    std::cout << fields.dump(2) << std::endl;
    return;
  }
  std::size_t width = 0;
  for (const auto& item : fields.items()) width = std::max(width, item.key().size());
  for (const auto& item : fields.items()) {
    const auto& value = item.value();
    std::cout << item.key() << std::string(width + 2 - item.key().size(), ' ')
              << (value.is_string() ? value.get<std::string>() : value.dump()) << '\n';
  }
  std::cout << std::flush;
}

void printBulk2State(const Bulk2JobInfo& info) {
  std::cout << "Job " << info.id << " is now " << toString(info.state) << " ("
            << info.numberRecordsProcessed << " records processed";
  if (!info.isQuery()) std::cout << ", " << info.numberRecordsFailed << " failed";
  std::cout << ")" << std::endl;
}

std::uint64_t writeBulk2Results(Bulk2Client& client, const JobLocation& job,
                                const std::string& kind, bool json, OutputFile& out) {
  ResultWriter writer(json, out);
  if (job.kind == JobLocation::Kind::Ingest) {
    const IngestResultKind resultKind = parseKind(kind);
    Bulk2CsvReader reader = client.openResults(IngestJob::from(job.info), resultKind);
    writer.copy(reader, true);
    return writer.finish();
  }
  if (!kind.empty())
    throw UsageError("--kind is for ingest jobs; job " + job.info.id + " is a query");
  if (job.info.state != Bulk2JobState::JobComplete) {
    throw UsageError("query job " + job.info.id + " is " + std::string(toString(job.info.state)) +
                     ": its results can be read once it is JobComplete");
  }
  const QueryJob queryJob = QueryJob::from(job.info);
  QueryPageRequest page;
  bool first = true;
  for (;;) {
    Bulk2CsvReader reader = client.openResults(queryJob, page);
    writer.copy(reader, first);
    first = false;
    const auto next = reader.nextLocator();
    if (!next) break;
    page.locator = *next;
  }
  return writer.finish();
}

}  // namespace sfbulk
