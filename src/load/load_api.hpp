#pragma once

// The Bulk API operations the loader needs, behind an interface: Client::load plugs in
// the real client, unit tests plug in an in-memory fake server. Keeping the loader off
// the HTTP layer lets tests script batch states, lost responses and duplicates without
// replaying exact request sequences from several upload threads.

#include <memory>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/logging.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sfdc::bulk::detail::load {

class LoadApi {
 public:
  virtual ~LoadApi() = default;
  virtual Job createJob(Operation operation, std::string_view object, ContentType contentType,
                        const JobOptions& options) = 0;
  /// POST a batch body streamed from `body`; errors as Client::addBatch throws them.
  virtual BatchInfo addBatch(const Job& job, std::shared_ptr<BodySource> body) = 0;
  virtual std::vector<BatchInfo> getAllBatches(const Job& job) = 0;
  virtual std::string getBatchRequest(const Job& job, const std::string& batchId) = 0;
  virtual std::vector<RecordResult> getBatchResult(const Job& job, const std::string& batchId) = 0;
  virtual void closeJob(const Job& job) = 0;
  virtual void abortJob(const Job& job) = 0;
  virtual void log(LogLevel level, const std::string& message) = 0;
};

}  // namespace sfdc::bulk::detail::load
