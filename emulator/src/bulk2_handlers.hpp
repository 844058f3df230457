#pragma once

// The Bulk API 2.0 surface under /services/data/vXX.X/jobs: routing, and the ingest and
// query handlers (bulk2_ingest.cpp, bulk2_query.cpp). Handlers throw ApiException; the
// router turns it into the REST framework's error array.

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "http_reply.hpp"
#include "server_context.hpp"

namespace sfdc::emulator::server {

class BatchProcessor;

/// A parsed `/services/data/v{NN.N}/jobs/{ingest|query}[/{id}[/{suffix}]]` path.
struct Bulk2Route {
  bool valid = false;
  std::string version;  ///< "59.0"
  bool query = false;
  std::string jobId;
  std::string suffix;  ///< lower-cased: batches, successfulresults, results, resultpages, …

  /// Endpoint name for the request counters, e.g. "PUT /jobs/ingest/{id}/batches".
  std::string endpoint(const std::string& method) const;
  /// The Faults::onlyFor kind this request counts as (createJob, getJob, closeJob,
  /// addBatch, batchResult, queryResult, or other).
  std::string faultTarget(const std::string& method) const;
};

Bulk2Route parseBulk2Path(const std::string& path);

/// An authenticated, routed 2.0 request; throws ApiException.
Reply handleBulk2(ServerContext& context, const httplib::Request& request, const Bulk2Route& route);

/// The REST framework's error body: `[{"errorCode":…,"message":…}]`.
std::string bulk2ErrorBody(const std::string& code, const std::string& message);

// Shared by the ingest and query handlers.
Reply bulk2Json(const nlohmann::ordered_json& body, int status = 200);
/// The request body as JSON; 400 when it is not an object.
nlohmann::json bulk2Body(const httplib::Request& request);
/// A string field of a request body ("" when absent or null); 400 for another type.
std::string bulk2StringField(const nlohmann::json& body, const char* name);
/// `contentType` (CSV only), `columnDelimiter` and `lineEnding` of a create request, into
/// `job`; 400 for a value the service does not know.
void bulk2CsvFormat(const nlohmann::json& body, Bulk2Job& job);
/// Major version as a number (59 for "59.0").
double bulk2Version(const std::string& version);
/// The job addressed by the route, of the route's kind; 404 NOT_FOUND otherwise.
std::shared_ptr<Bulk2Job> bulk2Job(ServerContext& context, const Bulk2Route& route);
/// The listing of jobs of the route's kind (and the 1.0 jobs), paged by `queryLocator`.
Reply bulk2List(ServerContext& context, const httplib::Request& request, const Bulk2Route& route);

/// 405 with the methods the resource allows.
ApiException bulk2MethodNotAllowed(const std::string& method, const std::string& allowed);
/// False when the request's Accept header leaves out CSV (results then answer 406).
bool bulk2AcceptsCsv(const httplib::Request& request);

// Per kind of job (bulk2_ingest.cpp, bulk2_query.cpp); handleBulk2 does the rest.
Reply createIngestJob(ServerContext& context, const httplib::Request& request,
                      const Bulk2Route& route);
Reply changeIngestState(ServerContext& context, const httplib::Request& request,
                        const std::shared_ptr<Bulk2Job>& job);
/// `…/batches` and the result files.
Reply ingestResource(ServerContext& context, const httplib::Request& request,
                     const Bulk2Route& route, Bulk2Job& job);
Reply createQueryJob(ServerContext& context, const httplib::Request& request,
                     const Bulk2Route& route);
Reply changeQueryState(const httplib::Request& request, Bulk2Job& job);
/// `…/results` and `…/resultPages`.
Reply queryResource(ServerContext& context, const httplib::Request& request,
                    const Bulk2Route& route, Bulk2Job& job);

}  // namespace sfdc::emulator::server
