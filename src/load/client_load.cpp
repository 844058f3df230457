// Client::load: the load engine over the client's connection, Bulk API 1.0 or 2.0.

#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/error.hpp>

#include "../load2/loader2.hpp"
#include "collect.hpp"
#include "loader.hpp"

namespace sfdc::bulk {

LoadResult Client::load(Operation operation, std::string_view object, RecordSource source,
                        const LoadOptions& options) {
  if (options.api == BulkApi::V2) {
    if (!options.journalFile.empty()) {
      throw InvalidArgument(
          "load: LoadOptions::journalFile applies to Bulk API v1 loads; a Bulk API 2.0 load "
          "cannot be journaled yet (use BulkApi::V1 for a resumable load)");
    }
    const std::shared_ptr<Bulk2Connection> bulk2 = connection_->bulk2();
    if (!bulk2) {
      throw InvalidArgument(
          "load: LoadOptions::api is BulkApi::V2 but this connection has no Bulk API 2.0 side "
          "(Connection::bulk2() returned null); use BulkApi::V1");
    }
    return detail::load2::runLoad2(*bulk2, operation, object, source, options);
  }
  return detail::load::runLoad(*connection_, operation, object, source, options);
}

LoadResult Client::collectLoad(std::string_view jobId, RecordSource input, LoadOptions options) {
  return detail::load::collectLoad(*connection_, jobId, input, options);
}

LoadResult Client::resumeLoad(const std::string& journalFile, LoadOptions options) {
  return detail::load::resumeLoad(*connection_, journalFile, std::move(options));
}

}  // namespace sfdc::bulk
