#pragma once

#include <chrono>
#include <sfdc/bulk/logging.hpp>
#include <string>
#include <variant>

namespace sfdc::bulk {

/// OAuth2 refresh-token grant (the seed's `OAuth2RefreshTokenGrantConfig`).
struct RefreshTokenConfig {
  /// The connected app's consumer key.
  std::string clientId;
  std::string clientSecret;  ///< may be empty when the connected app does not require it
  /// Refresh token the connected app was given for the user.
  std::string refreshToken;
  /// Token endpoint, e.g. `https://login.salesforce.com/services/oauth2/token`.
  std::string refreshUrl;
};

/// OAuth2 username-password grant. The security token is appended to the password.
struct PasswordConfig {
  /// The connected app's consumer key.
  std::string clientId;
  /// The connected app's consumer secret.
  std::string clientSecret;
  /// Salesforce username, e.g. `user@example.com`.
  std::string username;
  /// The user's password, without the security token.
  std::string password;
  /// The user's security token; empty when the org trusts the
  /// caller's IP range.
  std::string securityToken;
  /// Token endpoint, e.g. `https://login.salesforce.com/services/oauth2/token`.
  std::string tokenUrl;
};

/// A session id or access token obtained elsewhere. It cannot be refreshed.
struct AccessTokenConfig {
  /// Sent to the Bulk API as it is (`X-SFDC-Session`).
  std::string accessToken;
};

/// One of the three ways to authenticate.
using ClientConfig = std::variant<RefreshTokenConfig, PasswordConfig, AccessTokenConfig>;

/**
 * Retry policy for requests that are safe to repeat (GETs, close, abort) on HTTP
 * 408/429/5xx and connection failures: exponential backoff with full jitter, honouring
 * `Retry-After`, bounded by attempts and by total time.
 */
struct RetryPolicy {
  int maxAttempts = 5;  ///< total attempts including the first; 1 disables retries
  /// Bound of the first backoff; later bounds grow by `multiplier`.
  std::chrono::milliseconds initialBackoff{500};
  /// Cap on the bound of any one backoff.
  std::chrono::milliseconds maxBackoff{std::chrono::seconds(30)};
  /// Growth of the backoff bound from one attempt to the next.
  double multiplier = 2.0;
  /// Stop retrying once this much time has passed since the first attempt.
  std::chrono::milliseconds maxElapsed{std::chrono::minutes(5)};
};

/// Everything a Client needs (mirrors the seed's `SalesforceConfiguration`).
struct Config {
  /// Instance URL, e.g. `https://MyDomain.my.salesforce.com`. The `instance_url` the
  /// token endpoint returns wins over it when present. This URL, the token URL and the
  /// returned `instance_url` must be `https://`; plain `http://` is accepted only for
  /// loopback hosts (localhost, 127.0.0.0/8, ::1), such as a local emulator. The Client
  /// constructor throws InvalidArgument for another one; an `instance_url` is refused
  /// with AuthError.
  std::string baseUrl;
  /// Bulk API version, without a `v`.
  std::string apiVersion = "59.0";
  /// How to authenticate: refresh token, username-password or a fixed access token.
  ClientConfig clientConfig;
  /// Retries of requests that are safe to repeat.
  RetryPolicy retry;
  /// Gzip request bodies of batches (`Content-Encoding: gzip`).
  bool gzipRequests = false;
  /// Optional log sink; secrets are redacted before it is called.
  LogHandler logHandler;
};

}  // namespace sfdc::bulk
