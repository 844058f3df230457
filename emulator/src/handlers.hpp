#pragma once

// The HTTP surface: the OAuth token endpoint, the Bulk API under /services/async and
// the /_emulator control endpoints.

#include <httplib.h>

#include <string>

#include "http_reply.hpp"
#include "server_context.hpp"

namespace sfdc::emulator::server {

/// A parsed `/services/async/{version}/…` path (trailing slash already removed).
struct AsyncRoute {
  enum class Kind {
    Job,           ///< /job
    JobId,         ///< /job/{id}
    Batches,       ///< /job/{id}/batch
    BatchId,       ///< /job/{id}/batch/{batchId}
    BatchRequest,  ///< /job/{id}/batch/{batchId}/request
    BatchResult,   ///< /job/{id}/batch/{batchId}/result
    ResultFile,    ///< /job/{id}/batch/{batchId}/result/{resultId}
    Spec,          ///< /job/{id}/spec
    Invalid
  };
  Kind kind = Kind::Invalid;
  std::string version;
  std::string jobId;
  std::string batchId;
  std::string resultId;

  /// "GET", "POST" or both allowed for this kind.
  bool allows(const std::string& method) const;
  /// Endpoint name for the request counters, e.g. "GET /job/{id}/batch".
  std::string endpoint(const std::string& method) const;
};

AsyncRoute parseAsyncPath(const std::string& path);

/// Runs an authenticated, routed Bulk API request; throws ApiException.
Reply handleAsync(ServerContext& context, const httplib::Request& request, const AsyncRoute& route);

Reply handleTokenRequest(ServerContext& context, const httplib::Request& request);

/// The request kind a Faults::onlyFor filter names for this request ("createJob",
/// "addBatch", …; "other" for requests no filter but "any" selects).
std::string faultTarget(const AsyncRoute& route, const std::string& method);

nlohmann::json faultsToJson(const Faults& faults);
/// Fields present in `json` override those of `base`.
Faults faultsFromJson(const nlohmann::json& json, Faults base);

class BatchProcessor;

/// Registers every route on `server`.
void installRoutes(httplib::Server& server, ServerContext& context, BatchProcessor& processor);

}  // namespace sfdc::emulator::server
