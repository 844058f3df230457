// Bulk API 2.0 ingest jobs: create, one upload, close (processing in internal batches of
// 10,000 rows on the shared worker pool and throughput model), abort, info, delete, and
// the three result files.

#include <algorithm>

#include "attachment_batch.hpp"
#include "batch_processor.hpp"
#include "bulk2_handlers.hpp"
#include "wire_format.hpp"

namespace sfdc::emulator::server {

namespace {

const char* const kOperations[] = {"insert", "update", "upsert", "delete", "hardDelete"};

Reply create(ServerContext& context, const httplib::Request& request, const Bulk2Route& route) {
  const nlohmann::json body = bulk2Body(request);
  auto job = std::make_shared<Bulk2Job>();
  job->object = bulk2StringField(body, "object");
  job->operation = bulk2StringField(body, "operation");
  if (job->object.empty()) throw ApiException(400, "API_ERROR", "Field 'object' is required");
  const ObjectDef* object = context.org.object(job->object);
  if (object == nullptr) {
    throw ApiException(400, "INVALIDENTITY",
                       "Entity '" + job->object + "' is not supported by the Bulk API.");
  }
  job->object = object->name;
  if (std::find(std::begin(kOperations), std::end(kOperations), job->operation) ==
      std::end(kOperations)) {
    // Operations are case-sensitive on the wire (`hardDelete`).
    throw ApiException(400, "API_ERROR", "Invalid operation: '" + job->operation + "'");
  }
  job->externalIdFieldName = bulk2StringField(body, "externalIdFieldName");
  if (job->operation == "upsert" && job->externalIdFieldName.empty()) {
    throw ApiException(400, "INVALIDJOB", "InvalidJob : External ID was blank for upsert");
  }
  // Some clients always send "externalIdFieldName":"" (go-salesforce); it means none.
  if (job->operation != "upsert") job->externalIdFieldName.clear();
  bulk2CsvFormat(body, *job);
  job->assignmentRuleId = bulk2StringField(body, "assignmentRuleId");
  if (!job->assignmentRuleId.empty() && bulk2Version(route.version) < 49.0) {
    throw ApiException(400, "API_ERROR", "assignmentRuleId needs API version 49.0 or later");
  }
  job->apiVersion = route.version;
  job->id = context.jobs.newId("750");
  job->createdById = context.jobs.userId();
  job->createdDate = job->systemModstamp = Clock::now();
  context.bulk2.add(job);
  std::lock_guard<std::mutex> lock(job->mutex);
  return bulk2Json(bulk2JobInfo(*job, Bulk2InfoForm::Create));
}

Reply upload(ServerContext& context, const httplib::Request& request, Bulk2Job& job) {
  if (request.method != "PUT") throw bulk2MethodNotAllowed(request.method, "PUT");
  std::lock_guard<std::mutex> lock(job.mutex);
  if (job.state != "Open") {
    // Not confirmed what the service answers; a refusal naming the state is what a
    // client can act on.
    throw ApiException(
        400, "INVALIDJOBSTATE",
        "Job " + job.id + " is " + job.state + ": data can only be uploaded while Open");
  }
  if (request.body.size() > context.options.bulk2MaxUploadBytes) {
    throw ApiException(400, "CLIENTINPUTERROR",
                       "Failed to read request. Exceeded max size limit of " +
                           std::to_string(context.options.bulk2MaxUploadBytes));
  }
  // A second upload is accepted but poisons the job: closing it then fails.
  if (job.uploads++ == 0) job.data = std::make_shared<const std::string>(request.body);
  job.systemModstamp = Clock::now();
  Reply reply;
  reply.status = 201;
  return reply;
}

void finishChunk(Bulk2Job& job) {
  std::lock_guard<std::mutex> lock(job.mutex);
  ++job.chunksFinished;
  job.systemModstamp = Clock::now();
  job.totalProcessingMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(job.systemModstamp - job.createdDate)
          .count();
  if (job.chunksFinished < job.chunks.size() || job.state == "Aborted") return;
  const auto failed = std::find_if(job.chunks.begin(), job.chunks.end(), [](const Bulk2Chunk& c) {
    return c.state == Bulk2Chunk::State::Failed;
  });
  if (failed == job.chunks.end()) {
    job.state = "JobComplete";
  } else {
    job.state = "Failed";
    job.errorMessage = failed->failure;
  }
}

long long runChunk(ServerContext& context, Bulk2Job& job, std::size_t index) {
  std::size_t first = 0;
  std::size_t count = 0;
  {
    std::lock_guard<std::mutex> lock(job.mutex);
    Bulk2Chunk& chunk = job.chunks[index];
    if (job.state == "Aborted") {
      chunk.state = Bulk2Chunk::State::Skipped;
      return 0;
    }
    if (job.state == "UploadComplete") job.state = "InProgress";
    first = chunk.firstRow;
    count = chunk.rowCount;
  }
  // The data, rows and header do not change once the job is closed.
  const Faults faults = context.faults.get();
  try {
    if (!faults.failBatchMessage.empty()) throw BatchFailure(faults.failBatchMessage);
    const std::vector<std::string> columns = splitCells(job.header, job.delimiter);
    std::vector<InputRecord> records(count);
    for (std::size_t i = 0; i < count; ++i) {
      const auto [begin, end] = job.rows[first + i];
      const std::vector<std::string> cells =
          splitCells(std::string_view(*job.data).substr(begin, end - begin), job.delimiter);
      for (std::size_t c = 0; c < columns.size() && c < cells.size(); ++c) {
        // Empty = leave unchanged; #N/A = set to null.
        if (cells[c].empty()) continue;
        records[i].fields.emplace_back(columns[c], cells[c] == "#N/A" ? Value() : Value(cells[c]));
      }
    }
    // Bulk API 2.0 has no binary attachment jobs: a binary field fails the batch as it
    // does in a CSV job of Bulk API 1.0 [INF: the same text].
    if (const ObjectDef* object = context.org.object(job.object)) {
      resolveBinaryFields(*object, records, nullptr);
    }
    std::vector<DmlResult> results = context.org.applyDml(
        job.operation, job.object, records, job.externalIdFieldName, faults.lockFailureShare);
    std::lock_guard<std::mutex> lock(job.mutex);
    job.chunks[index].results = std::move(results);
    job.chunks[index].state = Bulk2Chunk::State::Done;
  } catch (const std::exception& e) {
    std::lock_guard<std::mutex> lock(job.mutex);
    job.chunks[index].state = Bulk2Chunk::State::Failed;
    job.chunks[index].failure = e.what();
  }
  return static_cast<long long>(count);
}

/// UploadComplete: check the data against the job's settings, then queue its batches.
void startProcessing(ServerContext& context, const std::shared_ptr<Bulk2Job>& job) {
  // Called with job->mutex held.
  const std::string empty;
  const std::string& data = job->data ? *job->data : empty;
  const CsvRecords records = splitRecords(data);
  const bool wrongEnding =
      job->lineEnding == "LF" ? records.crlfTerminators > 0 : records.lfTerminators > 0;
  if (wrongEnding) {
    job->state = "Failed";
    job->errorMessage =
        "ClientInputError : LineEnding is invalid on user data. Current "
        "LineEnding setting is " +
        job->lineEnding;
    return;
  }
  if (records.spans.size() <= 1) {
    // Nothing but a header (or nothing at all): complete, with empty result files.
    if (!records.spans.empty()) {
      job->header =
          data.substr(records.spans[0].first, records.spans[0].second - records.spans[0].first);
    }
    job->state = "JobComplete";
    return;
  }
  job->header =
      data.substr(records.spans[0].first, records.spans[0].second - records.spans[0].first);
  job->rows.assign(records.spans.begin() + 1, records.spans.end());
  for (std::size_t first = 0; first < job->rows.size(); first += kBulk2BatchRows) {
    Bulk2Chunk chunk;
    chunk.firstRow = first;
    chunk.rowCount = std::min(kBulk2BatchRows, job->rows.size() - first);
    job->chunks.push_back(std::move(chunk));
  }
  for (std::size_t i = 0; i < job->chunks.size(); ++i) {
    context.processor->enqueueWork([&context, job, i] { return runChunk(context, *job, i); },
                                   [job] { finishChunk(*job); }, context.options.costPerRecord);
  }
}

Reply changeState(ServerContext& context, const httplib::Request& request,
                  const std::shared_ptr<Bulk2Job>& job) {
  const nlohmann::json body = bulk2Body(request);
  const std::string state = bulk2StringField(body, "state");
  std::lock_guard<std::mutex> lock(job->mutex);
  if (state == "UploadComplete") {
    if (job->state != "Open") {
      throw ApiException(400, "INVALIDJOBSTATE",
                         "Closing an " + job->state + " Job is not allowed");
    }
    if (job->uploads > 1) {
      throw ApiException(400, "INVALIDJOB",
                         "Found multipe contents for job: <" + job->id +
                             ">, please 'Close' / 'Abort' / 'Delete' the current Job then create "
                             "a new Job and make sure you only do 'PUT' once on a given Job.");
    }
    job->state = "UploadComplete";
    job->systemModstamp = Clock::now();
    const Reply reply = bulk2Json(bulk2JobInfo(*job, Bulk2InfoForm::Short));
    startProcessing(context, job);
    return reply;
  }
  if (state == "Aborted") {
    if (job->terminal()) {
      throw ApiException(400, "INVALIDJOBSTATE",
                         "Aborting already " +
                             std::string(job->state == "Aborted" ? "Aborted" : "Completed") +
                             " Job not allowed");
    }
    job->state = "Aborted";
    job->systemModstamp = Clock::now();
    return bulk2Json(bulk2JobInfo(*job, Bulk2InfoForm::Short));
  }
  throw ApiException(400, "INVALIDJOBSTATE", "Invalid state: '" + state + "'");
}

/// One result file; rows come in an order that does not follow the input (the service
/// gives no order), unless the emulator was asked to keep it.
Reply results(ServerContext& context, const httplib::Request& request, Bulk2Job& job,
              const std::string& kind) {
  if (!bulk2AcceptsCsv(request)) {
    Reply refused;
    refused.status = 406;
    return refused;
  }
  std::lock_guard<std::mutex> lock(job.mutex);
  if (!job.terminal()) {
    // Not confirmed what the service answers before the end; results are documented as
    // available once the job is JobComplete, Failed or Aborted.
    throw ApiException(400, "INVALIDJOBSTATE",
                       "Results are available once the job is complete; it is " + job.state);
  }
  const std::string d(1, job.delimiter);
  std::string body;
  if (kind == "successfulresults") {
    body = "\"sf__Id\"" + d + "\"sf__Created\"" + d + job.header + "\n";
  } else if (kind == "failedresults") {
    body = "\"sf__Id\"" + d + "\"sf__Error\"" + d + job.header + "\n";
  } else {
    body = job.header + (job.header.empty() ? "" : "\n");
  }
  const auto appendRow = [&](std::size_t row) {
    const auto [begin, end] = job.rows[row];
    const auto cells =
        splitCells(std::string_view(*job.data).substr(begin, end - begin), job.delimiter);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) body += job.delimiter;
      appendQuoted(body, cells[c]);
    }
    body += '\n';
  };
  std::vector<std::size_t> order(job.chunks.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!context.options.bulk2KeepResultOrder) std::reverse(order.begin(), order.end());
  for (const std::size_t index : order) {
    const Bulk2Chunk& chunk = job.chunks[index];
    const bool done = chunk.state == Bulk2Chunk::State::Done;
    if (kind == "unprocessedrecords") {
      if (done) continue;
      for (std::size_t i = 0; i < chunk.rowCount; ++i) appendRow(chunk.firstRow + i);
      continue;
    }
    if (!done) continue;
    const std::size_t n = chunk.results.size();
    const std::size_t rotation = context.options.bulk2KeepResultOrder ? 0 : (index * 7919 + 3) % n;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (k + rotation) % n;
      const DmlResult& result = chunk.results[i];
      if (result.success != (kind == "successfulresults")) continue;
      appendQuoted(body, result.id);
      body += job.delimiter;
      if (result.success) {
        appendQuoted(body, result.created ? "true" : "false");
      } else {
        std::string error;
        for (const auto& e : result.errors) {
          if (!error.empty()) error += '\n';
          error += e.statusCode + ":" + e.message + ":";
          for (std::size_t f = 0; f < e.fields.size(); ++f) error += (f ? "," : "") + e.fields[f];
          error += " --";
        }
        appendQuoted(body, error);
      }
      body += job.delimiter;
      appendRow(chunk.firstRow + i);
    }
  }
  Reply reply;
  reply.contentType = kCsvType;
  reply.body = std::move(body);
  return reply;
}

}  // namespace

Reply createIngestJob(ServerContext& context, const httplib::Request& request,
                      const Bulk2Route& route) {
  return create(context, request, route);
}

Reply changeIngestState(ServerContext& context, const httplib::Request& request,
                        const std::shared_ptr<Bulk2Job>& job) {
  return changeState(context, request, job);
}

Reply ingestResource(ServerContext& context, const httplib::Request& request,
                     const Bulk2Route& route, Bulk2Job& job) {
  if (route.suffix == "batches") return upload(context, request, job);
  if (route.suffix == "successfulresults" || route.suffix == "failedresults" ||
      route.suffix == "unprocessedrecords") {
    if (request.method != "GET") throw bulk2MethodNotAllowed(request.method, "GET");
    return results(context, request, job, route.suffix);
  }
  throw ApiException(404, "NOT_FOUND", "The requested resource does not exist");
}

}  // namespace sfdc::emulator::server
