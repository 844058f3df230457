// What load() accepts, checked before the first request.

#include <filesystem>
#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sfdc/bulk/serializer.hpp>

#include "loader.hpp"
#include "lock_retry.hpp"

namespace sfdc::bulk::detail::load {

void validateLoadOptions(Operation operation, std::string_view object, const LoadOptions& options) {
  if (isQuery(operation)) {
    throw InvalidArgument("load: " + std::string(toString(operation)) +
                          " is a query operation; use Client::query");
  }
  if (object.empty()) throw InvalidArgument("load: the object name is empty");
  if (options.contentType != ContentType::CSV && options.contentType != ContentType::JSON &&
      options.contentType != ContentType::XML) {
    throw InvalidArgument("load: content type " + std::string(toString(options.contentType)) +
                          " is not supported (CSV, JSON or XML)");
  }
  if (operation == Operation::Upsert && options.externalIdFieldName.empty()) {
    throw InvalidArgument("load: upsert needs LoadOptions::externalIdFieldName");
  }
  if (operation != Operation::Upsert && !options.externalIdFieldName.empty()) {
    throw InvalidArgument("load: externalIdFieldName is only valid for upsert");
  }
  if (options.concurrency < 1) throw InvalidArgument("load: concurrency must be at least 1");
  if (options.batchSize < 1 || options.batchSize > kMaxRecordsPerBatch) {
    throw InvalidArgument("load: batchSize must be between 1 and " +
                          std::to_string(kMaxRecordsPerBatch) + ", got " +
                          std::to_string(options.batchSize));
  }
  if (options.maxBatchBytes < 1 || options.maxBatchBytes > kMaxBatchBytes) {
    throw InvalidArgument("load: maxBatchBytes must be between 1 and " +
                          std::to_string(kMaxBatchBytes) + ", got " +
                          std::to_string(options.maxBatchBytes));
  }
  if (options.pollMinInterval.count() <= 0 || options.pollMaxInterval < options.pollMinInterval) {
    throw InvalidArgument("load: need 0 < pollMinInterval <= pollMaxInterval");
  }
  if (options.timeout.count() <= 0) throw InvalidArgument("load: timeout must be positive");
  if (options.serializer && options.serializer->contentType() != options.contentType) {
    throw InvalidArgument("load: the serializer writes " +
                          std::string(toString(options.serializer->contentType())) +
                          " but the job is " + std::string(toString(options.contentType)));
  }
  if (options.api == BulkApi::V2 && !options.groupBy.empty()) {
    throw InvalidArgument(
        "load: groupBy applies to Bulk API v1 loads (Bulk API 2.0 cuts its own batches)");
  }
  if (options.api == BulkApi::V2 && options.retryLockFailures) {
    throw InvalidArgument("load: retryLockFailures applies to Bulk API v1 loads");
  }
  if (options.retryLockFailures) {
    if (!supportsLockRetry(options.contentType)) {
      throw InvalidArgument("load: retryLockFailures supports CSV and JSON jobs, not XML");
    }
    if (options.lockRetryRounds < 1) {
      throw InvalidArgument("load: lockRetryRounds must be at least 1, got " +
                            std::to_string(options.lockRetryRounds));
    }
  }
  // A journal records batches as contiguous input byte ranges, re-cut on resume; grouped
  // batches and lock-retry batches are neither, so resume could not prove what they sent.
  if (!options.journalFile.empty() && !options.groupBy.empty()) {
    throw InvalidArgument(
        "load: journalFile cannot be combined with groupBy (a grouped load sends rows out of "
        "input order, which a journal cannot resume yet)");
  }
  if (!options.journalFile.empty() && options.retryLockFailures) {
    throw InvalidArgument(
        "load: journalFile cannot be combined with retryLockFailures (rows sent again for a "
        "lock are not journaled yet; a resumed load could not tell whether they were loaded)");
  }
  if (!options.waitForResults) {
    if (options.api == BulkApi::V2) {
      throw InvalidArgument(
          "load: waitForResults false applies to Bulk API v1 loads (a 2.0 load may be cut into "
          "several jobs, which collectLoad cannot gather yet)");
    }
    if (!options.successFile.empty() || !options.errorFile.empty() || options.onResult ||
        options.retryLockFailures || options.deleteDuplicates) {
      throw InvalidArgument(
          "load: with waitForResults false no row has an outcome yet: result files, onResult, "
          "retryLockFailures and deleteDuplicates belong to Client::collectLoad");
    }
  }
  if (!options.successFile.empty() && sameFile(options.successFile, options.errorFile)) {
    throw InvalidArgument("load: successFile and errorFile are the same file ('" +
                          options.successFile + "', '" + options.errorFile + "')");
  }
}

bool sameFile(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  namespace fs = std::filesystem;
  std::error_code ec;
  // An existing file is the same as another when both names reach one inode (links,
  // "./", symlinks); a file still to be created when both names normalise alike.
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool same = fs::equivalent(a, b, ec);
    if (!ec) return same;
  }
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path cb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return ca.lexically_normal() == cb.lexically_normal();
}

void validateOutputs(const std::string& inputPath, const LoadOptions& options) {
  for (const std::string* output : {&options.successFile, &options.errorFile}) {
    if (sameFile(inputPath, *output)) {
      throw InvalidArgument("load: the result file '" + *output + "' is the input file '" +
                            inputPath + "'; writing it would destroy the input");
    }
  }
}

}  // namespace sfdc::bulk::detail::load
