#pragma once

// Everything between the connection's operations and the transport: the session token,
// URL building, the refresh-and-replay on InvalidSessionId, and turning error responses
// into ApiError/AuthError. Retries and request counting run in the request loop, which
// both kinds of call (whole and streamed responses) go through.

#include <atomic>
#include <memory>
#include <optional>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>

#include "auth/authenticator.hpp"
#include "pacing.hpp"
#include "redactor.hpp"
#include "request_loop.hpp"

namespace sfdc::bulk::detail {

/// Token renewals one call may make when the API answers InvalidSessionId; one more
/// rejection is an AuthError.
inline constexpr int kMaxSessionRenewals = 3;

/// Which Bulk API a call addresses; decides its base path and how it authenticates.
enum class BulkApiFamily {
  /// `/services/async/{version}/`, `X-SFDC-Session`.
  V1,
  /// `/services/data/v{version}/`, `Authorization: Bearer`.
  V2,
};

/// One Bulk API call, relative to the base path of its API.
struct ApiCall {
  BulkApiFamily api = BulkApiFamily::V1;
  std::string method = "GET";
  /// e.g. "job/750…/batch" (v1), "jobs/ingest/750…" (v2). A 2.0 path that starts with
  /// `/services/data/` is a link the server gave (nextRecordsUrl, resultUrl), taken
  /// relative to the instance.
  std::string path;
  std::string contentType;
  Headers extraHeaders;
  std::string body;
  std::shared_ptr<BodySource> bodySource;
  bool gzipBody = false;
  Idempotency idempotency = Idempotency::Idempotent;
  std::string jobId;    ///< for error reports
  std::string batchId;  ///< for error reports
};

class Session {
 public:
  /// Refuses a non-HTTPS Config::baseUrl or token URL (loopback hosts excepted) with
  /// InvalidArgument, and warns through the log handler when `transport` is a
  /// CurlTransport that does not verify certificates.
  Session(Config config, std::shared_ptr<HttpTransport> transport,
          Pacing pacing = Pacing::system());

  /// Perform the call; returns a 2xx response, throws ApiError/AuthError/TransportError.
  /// Every exception leaves with the session's secrets redacted from its message.
  /// `uncertainAttempts`, when given, receives how many attempts reached the server
  /// without a definite answer before the last one (see LoopHooks::uncertainAttempts).
  HttpResponse call(const ApiCall& call, int* uncertainAttempts = nullptr);
  /// Perform a GET with a streamed body; the stream has a 2xx status. Fails as `call`.
  std::unique_ptr<HttpResponseStream> open(const ApiCall& call);

  std::string instanceUrl();
  std::uint64_t requestCount() const noexcept { return requests_.load(); }
  const Config& config() const noexcept { return config_; }
  void log(LogLevel level, const std::string& message) const;

 private:
  Reply perform(const ApiCall& call, Delivery delivery, int* uncertainAttempts);
  HttpRequest buildRequest(const ApiCall& call, const AccessToken& token) const;
  [[noreturn]] void throwApiError(int status, const std::string& body, const ApiCall& call) const;

  Config config_;
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<Redactor> redactor_;
  std::unique_ptr<Authenticator> auth_;
  Pacing pacing_;
  std::atomic<std::uint64_t> requests_{0};
};

}  // namespace sfdc::bulk::detail
