#pragma once

#include <chrono>
#include <sfdc/bulk/logging.hpp>
#include <string>
#include <variant>

namespace sfdc::bulk {

/// OAuth2 refresh-token grant.
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

/// Salesforce's production login host, the default JWT audience and token endpoint host.
inline constexpr const char* kProductionLoginUrl = "https://login.salesforce.com";
/// Salesforce's sandbox login host: the JWT audience and token endpoint host for sandboxes.
inline constexpr const char* kSandboxLoginUrl = "https://test.salesforce.com";

/**
 * OAuth 2.0 JWT bearer flow, for unattended sign-in with a connected app that holds a
 * certificate: the client signs a short-lived assertion (RS256, claims `iss`, `sub`, `aud`,
 * `exp`) with the certificate's private key and exchanges it for an access token. The user
 * must be pre-authorised for the connected app. A new assertion is signed whenever the
 * session expires; no refresh token is involved.
 */
struct JwtBearerConfig {
  /// The connected app's consumer key (the assertion's `iss`).
  std::string clientId;
  /// Salesforce username to sign in as (the assertion's `sub`).
  std::string username;
  /// The RSA private key as PEM text (`-----BEGIN PRIVATE KEY-----` or `-----BEGIN RSA
  /// PRIVATE KEY-----`, unencrypted). Give this or privateKeyFile, not both.
  std::string privateKeyPem;
  /// Path of a PEM file holding the private key, read when the Client is constructed.
  std::string privateKeyFile;
  /// Token endpoint: `https://login.salesforce.com/services/oauth2/token` for production,
  /// `https://test.salesforce.com/services/oauth2/token` for a sandbox, or the org's My
  /// Domain login URL followed by `/services/oauth2/token`.
  std::string tokenUrl = std::string(kProductionLoginUrl) + "/services/oauth2/token";
  /// The assertion's `aud`; empty means the scheme and host of tokenUrl (for example
  /// `https://login.salesforce.com`, kSandboxLoginUrl for a sandbox token URL).
  std::string audience;
  /// How far ahead of now the assertion's `exp` lies; Salesforce wants at most 3 minutes.
  std::chrono::seconds assertionLifetime{180};
};

/**
 * OAuth 2.0 client credentials flow: the connected app's consumer key and secret alone,
 * running as the integration user set as the app's "Run As" user. Salesforce accepts this
 * grant only at the org's My Domain, so tokenUrl has no default.
 */
struct ClientCredentialsConfig {
  /// The connected app's consumer key.
  std::string clientId;
  /// The connected app's consumer secret.
  std::string clientSecret;
  /// The org's token endpoint, e.g. `https://MyDomain.my.salesforce.com/services/oauth2/token`.
  std::string tokenUrl;
};

/// One of the ways to authenticate.
using ClientConfig = std::variant<RefreshTokenConfig, PasswordConfig, AccessTokenConfig,
                                  JwtBearerConfig, ClientCredentialsConfig>;

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

/// Everything a Client needs.
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
  /// How to authenticate: refresh token, username-password, JWT bearer, client
  /// credentials or a fixed access token.
  ClientConfig clientConfig;
  /// Retries of requests that are safe to repeat.
  RetryPolicy retry;
  /// Gzip request bodies of batches (`Content-Encoding: gzip`).
  bool gzipRequests = false;
  /// Optional log sink; secrets are redacted before it is called.
  LogHandler logHandler;
};

}  // namespace sfdc::bulk
