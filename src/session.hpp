#pragma once

// Everything between the Client's operations and the transport: the session token,
// URL building, the refresh-and-replay on InvalidSessionId, retries, request counting,
// logging, and turning error responses into ApiError in one place.

#include <atomic>
#include <memory>
#include <optional>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/types.hpp>
#include <string>

#include "auth/authenticator.hpp"
#include "redactor.hpp"
#include "retry_loop.hpp"

namespace sfdc::bulk::detail {

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
  Session(Config config, std::shared_ptr<HttpTransport> transport);

  /// Perform the call; returns a 2xx response, throws ApiError/AuthError/TransportError.
  /// Every exception leaves with the session's secrets redacted from its message.
  HttpResponse call(const ApiCall& call);
  /// Perform a GET with a streamed body; the stream has a 2xx status.
  std::unique_ptr<HttpResponseStream> open(const ApiCall& call);

  std::string instanceUrl();
  std::uint64_t requestCount() const noexcept { return requests_.load(); }
  const Config& config() const noexcept { return config_; }
  void log(LogLevel level, const std::string& message) const;

 private:
  HttpResponse perform(const ApiCall& call);
  std::unique_ptr<HttpResponseStream> performOpen(const ApiCall& call);
  HttpRequest buildRequest(const ApiCall& call, const AccessToken& token) const;
  [[noreturn]] void throwApiError(int status, const std::string& body, const ApiCall& call) const;
  bool isInvalidSession(int status, const std::string& body) const;

  Config config_;
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<Redactor> redactor_;
  std::unique_ptr<Authenticator> auth_;
  std::atomic<std::uint64_t> requests_{0};
};

}  // namespace sfdc::bulk::detail
