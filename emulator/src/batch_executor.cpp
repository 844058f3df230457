// Running one batch: limits, decoding, DML or query against the org, and the SOQL
// rewriting PK chunking needs.

#include <algorithm>
#include <cctype>

#include "attachment_batch.hpp"
#include "batch_decode.hpp"
#include "batch_processor.hpp"
#include "batch_retries.hpp"
#include "field_value.hpp"
#include "gzip.hpp"
#include "network_model.hpp"
#include "query_output.hpp"

namespace sfdc::emulator::server {

namespace {

// Bulk API 1.0 limits (§8). The size limit is checked on upload (async_handlers.cpp).
constexpr std::size_t kMaxRecords = 10000;

/// The service's message for a batch over 10,000 records [OBS simple-salesforce #325:
/// "Exceeded number of records : 10002. Number of records should be less than or equal to
/// 10001" for 10,001 records]: it seems to count a CSV's header line as a record; the
/// same count is assumed for JSON and XML [INF].
std::string tooManyRecords(std::size_t records) {
  return "InvalidBatch : Exceeded number of records : " + std::to_string(records + 1) +
         ". Number of records should be less than or equal to " + std::to_string(kMaxRecords + 1);
}

/// The service's stateMessage for a query it cannot run [OBS ForceCLI #531,
/// simple-salesforce #382]: "InvalidBatch : Failed to process query: INVALID_FIELD: SELECT
/// Id, Nope FROM Account ^ ERROR at Row:1:Column:12 No such column ...". The service quotes
/// the query's line with a caret under the position; the line breaks of that layout are
/// spaces here, as the reports show them [INF].
std::string failedQueryMessage(const SoqlError& e, const std::string& soql) {
  std::string message = "InvalidBatch : Failed to process query: " + e.code() + ": ";
  if (e.column() == 0 || e.column() > soql.size() + 1) return message + e.detail();
  const std::size_t offset = e.column() - 1;
  const std::size_t lineStart = soql.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t begin = lineStart == std::string::npos || offset == 0 ? 0 : lineStart + 1;
  const std::size_t end = soql.find('\n', begin);
  const auto row = 1 + std::count(soql.begin(), soql.begin() + static_cast<long>(begin), '\n');
  std::string line = soql.substr(begin, end == std::string::npos ? end : end - begin);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return message + line + " ^ ERROR at Row:" + std::to_string(row) +
         ":Column:" + std::to_string(offset - begin + 1) + " " + e.detail();
}

bool isWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// Positions of top-level (outside quotes and parentheses) occurrences of `word`.
std::vector<std::size_t> topLevelKeyword(const std::string& soql, const std::string& word) {
  std::vector<std::size_t> hits;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < soql.size(); ++i) {
    const char c = soql[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '\'') {
        quoted = false;
      }
      continue;
    }
    if (c == '\'') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && (i == 0 || !isWordChar(soql[i - 1])) &&
               i + word.size() <= soql.size() &&
               (i + word.size() == soql.size() || !isWordChar(soql[i + word.size()]))) {
      bool match = true;
      for (std::size_t k = 0; k < word.size() && match; ++k) {
        match = std::toupper(static_cast<unsigned char>(soql[i + k])) == word[k];
      }
      if (match) hits.push_back(i);
    }
  }
  return hits;
}

std::size_t firstAfter(const std::string& soql, const std::string& word, std::size_t from) {
  for (std::size_t pos : topLevelKeyword(soql, word)) {
    if (pos >= from) return pos;
  }
  return std::string::npos;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

std::string soqlFromObject(const std::string& soql) {
  const std::size_t from = firstAfter(soql, "FROM", 0);
  if (from == std::string::npos) return {};
  std::size_t i = from + 4;
  while (i < soql.size() && std::isspace(static_cast<unsigned char>(soql[i]))) ++i;
  std::size_t end = i;
  while (end < soql.size() && isWordChar(soql[end])) ++end;
  return soql.substr(i, end - i);
}

void checkQueryObject(const Job& job, const std::string& soql) {
  const std::string object = soqlFromObject(soql);
  if (object.empty() || detail::iequals(object, job.object)) return;
  // [OBS simple-salesforce #502]
  throw BatchFailure(
      "InvalidBatch : Failed to process query: INVALID_TYPE_FOR_OPERATION: The root entity of "
      "the requested query (" +
      object + ") does not match the entity of the requested Bulk API Job (" + job.object + ").");
}

void checkChunkable(const std::string& object) {
  const auto endsWith = [&](const char* suffix) {
    const std::size_t n = std::char_traits<char>::length(suffix);
    return object.size() > n && detail::iequals(object.substr(object.size() - n), suffix);
  };
  // Sharing and history objects are chunked by their parent's ids only [DOC PK chunking
  // header page: "parent" is required for them; LoginHistory is on the list of objects
  // chunked by their own ids]. The service fails the original batch; its text is not
  // documented [INF].
  if ((endsWith("Share") || endsWith("History")) && !detail::iequals(object, "LoginHistory")) {
    throw BatchFailure("InvalidBatch : PK chunking of " + object +
                       " needs the parent option (Sforce-Enable-PKChunking: parent=...)");
  }
  // Of the emulator's standard objects only Attachment is off the service's list of
  // chunkable objects [DOC PK chunking header page; the text is ours, INF].
  if (detail::iequals(object, "Attachment")) {
    throw BatchFailure("InvalidBatch : PK chunking is not supported for the entity " + object);
  }
}

std::string addIdRange(const std::string& soql, const std::string& field, const std::string& lo,
                       const std::string& hi) {
  std::string range = field + " >= '" + lo + "'";
  if (!hi.empty()) range += " AND " + field + " < '" + hi + "'";
  const std::size_t from = firstAfter(soql, "FROM", 0);
  const std::size_t searchFrom = from == std::string::npos ? 0 : from;
  // The clauses that may follow WHERE; the range goes before the first of them.
  std::size_t tail = soql.size();
  for (const char* word : {"WITH", "GROUP", "ORDER", "LIMIT", "OFFSET", "FOR"}) {
    tail = std::min(tail, firstAfter(soql, word, searchFrom));
  }
  const std::string head = trimmed(soql.substr(0, tail));
  const std::string rest = tail < soql.size() ? " " + trimmed(soql.substr(tail)) : std::string();
  const std::size_t where = firstAfter(soql, "WHERE", searchFrom);
  if (where == std::string::npos || where > tail) return head + " WHERE " + range + rest;
  const std::string before = trimmed(soql.substr(0, where));
  std::string condition = trimmed(soql.substr(where + 5, tail - where - 5));
  // Parenthesise only when needed, so simple conditions stay in the plainest SOQL.
  if (!topLevelKeyword(condition, "OR").empty()) condition = "(" + condition + ")";
  return before + " WHERE " + condition + " AND " + range + rest;
}

long long BatchProcessor::execute(const Job& job, const Batch& batch, int queryRetries,
                                  bool chunk) {
  const auto started = std::chrono::steady_clock::now();
  const auto& o = context_.options;
  const std::string body = batch.request ? *batch.request : std::string();
  const Faults faults = context_.faults.get();
  BatchOutcome outcome;
  std::size_t modelRecords = 0;
  try {
    if (!faults.failBatchMessage.empty()) throw BatchFailure(faults.failBatchMessage);
    if (job.isQuery()) {
      if (context_.faults.takeTransientBatchFailure()) {
        if (job.disableBatchRetry) throw BatchFailure(failedWithoutRetry(kTransientFailure));
        if (queryRetries >= kQueryRetries) throw BatchFailure(retriedMoreThan(kQueryRetries));
        requeue(
            {job.id, batch.id, job.serial(), chunk, nullptr, nullptr, nullptr, queryRetries + 1});
        return 0;
      }
      checkQueryObject(job, body);
      const QueryOutput result = [&] {
        try {
          return context_.org.query(body, job.operation == "queryAll");
        } catch (const SoqlError& e) {
          throw BatchFailure(failedQueryMessage(e, body));
        }
      }();
      const auto queryTime =
          o.batchLatency +
          queryCostPerRecord(o) * static_cast<std::chrono::microseconds::rep>(result.rows.size());
      if (queryTime > o.queryTimeLimit) {
        // The query runs until the limit, then the batch fails; the service does not
        // retry it [DOC query processing page; the text after the code is the REST API's
        // QUERY_TIMEOUT message, INF].
        sleepUntil(started + o.queryTimeLimit);
        throw BatchFailure(
            "InvalidBatch : Failed to process query: QUERY_TIMEOUT: Your query request was "
            "running for too long.");
      }
      modelRecords = result.rows.size();
      for (auto& file : formatQueryResults(result, context_.org, job.contentType, job.apiVersion,
                                           context_.options.resultFileMaxBytes)) {
        outcome.resultBodies.push_back(std::make_shared<const std::string>(std::move(file)));
        // Over a modelled network a result's bytes leave as soon as it is asked for, as
        // from a server that streams them: compressing tens of megabytes first would add
        // a delay no real org has. Done here, the work hides in the batch's modelled time.
        if (NetworkModel::of(o).active()) {
          outcome.gzippedResultBodies.push_back(
              std::make_shared<const std::string>(gzipCompress(*outcome.resultBodies.back())));
        }
      }
      outcome.recordsProcessed = static_cast<long long>(result.rows.size());
    } else {
      const std::string zipInner = zipInnerContentType(job.contentType);
      std::optional<AttachmentBatch> zip;
      if (!zipInner.empty()) zip = openAttachmentBatch(body);
      std::vector<InputRecord> records =
          zip ? decodeBatch(zip->request, zipInner) : decodeBatch(body, job.contentType);
      if (records.size() > kMaxRecords) {
        throw BatchFailure(tooManyRecords(records.size()));
      }
      if (const ObjectDef* object = context_.org.object(job.object)) {
        resolveBinaryFields(*object, records, zip ? &*zip : nullptr);
      }
      // Problems of the batch as a whole (an unknown column in any record) fail it before
      // any chunk is written.
      context_.org.checkDml(job.operation, job.object, records, job.externalIdFieldName);
      auto progress = std::make_shared<DmlProgress>();
      progress->records = std::move(records);
      progress->started = started;
      progress->attemptStarted = started;
      progress->busyUntil = started + o.batchLatency;
      return runDml(job, batch, std::move(progress));
    }
  } catch (const BatchFailure& e) {
    outcome = BatchOutcome{};
    outcome.state = BatchState::Failed;
    outcome.stateMessage = e.what();
  } catch (const std::exception& e) {
    outcome = BatchOutcome{};
    outcome.state = BatchState::Failed;
    outcome.stateMessage = std::string("InternalServerError : ") + e.what();
  }
  // Only a query that ran counts records here (a DML batch finishes in runDml).
  finish(batch.id, std::move(outcome), started,
         started + o.batchLatency +
             queryCostPerRecord(o) * static_cast<std::chrono::microseconds::rep>(modelRecords));
  return static_cast<long long>(modelRecords);
}

void BatchProcessor::finish(const std::string& batchId, BatchOutcome outcome,
                            std::chrono::steady_clock::time_point started,
                            std::chrono::steady_clock::time_point busyUntil) {
  // The throughput model: the batch stays InProgress for its simulated duration.
  sleepUntil(busyUntil);
  outcome.processingMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - started)
                             .count();
  context_.jobs.finishBatch(batchId, std::move(outcome));
}

}  // namespace sfdc::emulator::server
