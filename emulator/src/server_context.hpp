#pragma once

// The state shared by the HTTP handlers and the batch workers of one emulator.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "batch_allocation.hpp"
#include "bulk2_jobs.hpp"
#include "job_store.hpp"
#include "jwt_assertion.hpp"
#include "org.hpp"
#include "sfdc/emulator/emulator.hpp"

namespace sfdc::emulator::server {

class BatchProcessor;

/// Access tokens issued by the token endpoint (or directly), with their expiry.
class TokenStore {
 public:
  explicit TokenStore(std::chrono::seconds lifetime) : lifetime_(lifetime) {}
  std::string issue();
  bool valid(const std::string& token) const;
  void expireAll();

 private:
  mutable std::mutex mutex_;
  std::chrono::seconds lifetime_;
  std::uint64_t counter_ = 0;
  std::map<std::string, std::chrono::steady_clock::time_point> tokens_;
};

/// What the fault injector decided for one API request.
struct FaultDecision {
  int status = 0;  ///< 503 or 500 to answer with, 0 for none
  int retryAfterSeconds = 0;
  bool dropBeforeResponse = false;
  bool dropMidResponse = false;
  std::chrono::milliseconds delay{0};
};

class FaultInjector {
 public:
  /// Throws std::invalid_argument when `faults.onlyFor` names no request kind.
  void set(const Faults& faults);
  Faults get() const;
  /// Consumes one pending fault for an API request of kind `target` (see faultTarget);
  /// at most one applies per request, in the order 503, 500, drop before response, drop
  /// mid-response, and only once `skipRequests` matching requests have passed.
  FaultDecision next(const std::string& target);
  /// Consumes one of Faults::transientBatchFailures; true when the batch attempt about to
  /// run is to meet it.
  bool takeTransientBatchFailure();

 private:
  mutable std::mutex mutex_;
  Faults faults_;
};

/// Request counters per endpoint and per job (every HTTP request counts against a real
/// org's API limit, so clients are judged by these numbers).
class RequestStats {
 public:
  void count(const std::string& endpoint, const std::string& jobId);
  void countStatus(int status);
  void countFault(const std::string& kind);
  /// A query result (file or page) of `bytes` as sent, over the connection `connection`.
  void countQueryResultDownload(std::size_t bytes, const std::string& connection);
  nlohmann::json toJson() const;
  void reset();

 private:
  mutable std::mutex mutex_;
  long long total_ = 0;
  std::map<std::string, long long> endpoints_;
  std::map<std::string, std::map<std::string, long long>> jobs_;
  std::map<std::string, long long> statuses_;
  std::map<std::string, long long> faults_;
  long long queryResultBytes_ = 0;
  long long queryResultResponses_ = 0;
  std::set<std::string> queryResultConnections_;
};

/// The modelled time per row a query returns (EmulatorOptions::queryCostPerRecord).
inline std::chrono::microseconds queryCostPerRecord(const EmulatorOptions& options) {
  return options.queryCostPerRecord.value_or(options.costPerRecord);
}

struct ServerContext {
  explicit ServerContext(EmulatorOptions opts)
      : options(std::move(opts)),
        tokens(options.tokenLifetime),
        allocation(options.batchAllocation, options.batchAllocationWindow),
        jwtKey(loadJwtVerificationKey(options.jwtCertificateFile)) {}

  EmulatorOptions options;
  Org org;
  JobStore jobs;
  /// Bulk API 2.0 jobs (same org, same id sequence as the 1.0 jobs).
  Bulk2Store bulk2;
  TokenStore tokens;
  BatchAllocation allocation;
  /// Verifies the assertions of the JWT bearer grant.
  std::shared_ptr<const JwtVerificationKey> jwtKey;
  FaultInjector faults;
  RequestStats stats;
  std::string baseUrl;  ///< http://host:port, set when the server is bound
  BatchProcessor* processor = nullptr;
};

}  // namespace sfdc::emulator::server
