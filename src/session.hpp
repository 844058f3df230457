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

/// One Bulk API call, relative to `/services/async/{version}/`.
struct ApiCall {
  std::string method = "GET";
  std::string path;  ///< e.g. "job/750…/batch"
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
  HttpResponse call(const ApiCall& call);
  /// Perform a GET with a streamed body; the stream has a 2xx status. Fails as `call`.
  std::unique_ptr<HttpResponseStream> open(const ApiCall& call);

  std::string instanceUrl();
  std::uint64_t requestCount() const noexcept { return requests_.load(); }
  const Config& config() const noexcept { return config_; }
  void log(LogLevel level, const std::string& message) const;

 private:
  Reply perform(const ApiCall& call, Delivery delivery);
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
