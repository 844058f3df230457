#pragma once

// Obtains and caches the session token for X-SFDC-Session: OAuth2 refresh-token,
// username-password, JWT bearer and client-credentials grants against the token endpoint,
// or a static token.

#include <functional>
#include <memory>
#include <optional>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <string>

#include "redactor.hpp"

namespace sfdc::bulk::detail {

struct AccessToken {
  std::string token;
  std::string instanceUrl;  ///< empty when the grant did not return one
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// The cached token, fetched on first use. Thread-safe.
  virtual AccessToken current() = 0;
  /// `rejected` was refused by the API: fetch a new token unless another thread already
  /// replaced it. Returns nullopt when this kind of credential cannot be refreshed.
  virtual std::optional<AccessToken> refresh(const std::string& rejected) = 0;
};

using LogFn = std::function<void(LogLevel, const std::string&)>;

/// The authenticator for `config`; secrets are registered with `redactor`. Token
/// requests go through `transport`, retried per `retry` on 5xx/connection failures.
std::unique_ptr<Authenticator> makeAuthenticator(const ClientConfig& config,
                                                 std::shared_ptr<HttpTransport> transport,
                                                 const RetryPolicy& retry,
                                                 std::shared_ptr<Redactor> redactor, LogFn log);

/// application/x-www-form-urlencoded encoding of one value.
std::string formEncode(std::string_view value);

}  // namespace sfdc::bulk::detail
