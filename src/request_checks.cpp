#include "request_checks.hpp"

#include <cctype>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <string>

namespace sfdc::bulk::detail {
namespace {

// UTF-8 characters in `text`: every byte that is not a continuation byte starts one.
std::size_t countCharacters(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

// Ids are pasted into request paths, so anything but a Salesforce id (15 or 18
// letters and digits) could point the request elsewhere ("x/../750…").
bool isSalesforceId(std::string_view id) {
  if (id.size() != 15 && id.size() != 18) return false;
  for (unsigned char c : id) {
    if (!std::isalnum(c)) return false;
  }
  return true;
}

void requireId(std::string_view operation, std::string_view what, std::string_view id) {
  if (id.empty())
    throw InvalidArgument(std::string(operation) + ": the " + std::string(what) + " is empty");
  if (isSalesforceId(id)) return;
  std::string shown;
  for (unsigned char c : id.substr(0, 64)) {
    shown += std::isprint(c) ? static_cast<char>(c) : '?';
  }
  if (id.size() > 64) shown += "...";
  throw InvalidArgument(std::string(operation) + ": the " + std::string(what) + " '" + shown +
                        "' is not a Salesforce id (15 or 18 letters and digits, e.g. "
                        "750R0000000zlh9IAA)");
}

void requireJobId(std::string_view operation, const Job& job) {
  if (job.id.empty()) throw InvalidArgument(std::string(operation) + ": the job handle has no id");
  requireId(operation, "job id", job.id);
}

void requireBatchId(std::string_view operation, std::string_view batchId) {
  requireId(operation, "batch id", batchId);
}

void validateJobOptions(Operation operation, std::string_view object, ContentType contentType,
                        const JobOptions& options) {
  if (object.empty()) throw InvalidArgument("createJob: the object name is empty");
  if (operation == Operation::Upsert && options.externalIdFieldName.empty()) {
    throw InvalidArgument("createJob: upsert needs JobOptions::externalIdFieldName");
  }
  if (operation != Operation::Upsert && !options.externalIdFieldName.empty()) {
    throw InvalidArgument("createJob: externalIdFieldName is only valid for upsert, not " +
                          std::string(toString(operation)));
  }
  if (options.pkChunking && !isQuery(operation)) {
    throw InvalidArgument("createJob: PK chunking is only valid for query and queryAll jobs");
  }
  if (options.pkChunking && options.pkChunking->chunkSize &&
      (*options.pkChunking->chunkSize < 1 || *options.pkChunking->chunkSize > 250'000)) {
    throw InvalidArgument("createJob: PK chunk size must be between 1 and 250,000, got " +
                          std::to_string(*options.pkChunking->chunkSize));
  }
  if (isQuery(operation) && isZip(contentType)) {
    throw InvalidArgument("createJob: query jobs cannot use a ZIP content type");
  }
}

void validateBody(const Job& job, std::string_view body) {
  if (body.empty()) throw InvalidArgument("addBatch: the batch body is empty");
  if (body.size() > kMaxBatchBytes) {
    throw InvalidArgument("addBatch: the batch body is " + std::to_string(body.size()) +
                          " bytes, over the limit of " + std::to_string(kMaxBatchBytes));
  }
  // A zip's bytes are not characters; its size is what counts.
  if (!isQuery(job.operation) && !isZip(job.contentType) &&
      countCharacters(body) > kMaxBatchCharacters) {
    throw InvalidArgument("addBatch: the batch body has more than " +
                          std::to_string(kMaxBatchCharacters) + " characters");
  }
}

void validateBodySize(long long size) {
  if (size == 0) throw InvalidArgument("addBatch: the batch body is empty");
  if (size > static_cast<long long>(kMaxBatchBytes)) {
    throw InvalidArgument("addBatch: the batch body is " + std::to_string(size) +
                          " bytes, over the limit of " + std::to_string(kMaxBatchBytes));
  }
}

void checkBatchRecordCount(std::size_t count) {
  if (count == 0) throw InvalidArgument("addBatch: the batch has no records");
  if (count > kMaxRecordsPerBatch) {
    throw InvalidArgument("addBatch: the batch has " + std::to_string(count) +
                          " records, over the limit of " + std::to_string(kMaxRecordsPerBatch));
  }
}

}  // namespace sfdc::bulk::detail
