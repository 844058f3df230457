// What load() accepts, checked before the first request.

#include <sfdc/bulk/error.hpp>
#include <sfdc/bulk/limits.hpp>
#include <sfdc/bulk/serializer.hpp>

#include "loader.hpp"

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
  if (!options.successFile.empty() && options.successFile == options.errorFile) {
    throw InvalidArgument("load: successFile and errorFile are the same file");
  }
}

}  // namespace sfdc::bulk::detail::load
