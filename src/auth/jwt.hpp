#pragma once

// The JWT bearer assertion Salesforce's OAuth 2.0 JWT bearer flow exchanges for an access
// token: header {"alg":"RS256"}, claims iss/sub/aud/exp, RS256-signed with the connected
// app certificate's private key through OpenSSL's EVP API. The clock is a parameter so
// that `exp` can be tested.

#include <chrono>
#include <memory>
#include <sfdc/bulk/config.hpp>
#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// An RSA private key loaded from PEM. Never reveals the key: messages name the source.
class RsaPrivateKey {
 public:
  /// Parses `pem` (PKCS#8 or PKCS#1, unencrypted). `source` names it in messages, e.g.
  /// "the JWT private key file /etc/key.pem". Throws InvalidArgument.
  RsaPrivateKey(std::string_view pem, const std::string& source);
  ~RsaPrivateKey();
  RsaPrivateKey(RsaPrivateKey&&) noexcept;
  RsaPrivateKey& operator=(RsaPrivateKey&&) noexcept;

  /// RSASSA-PKCS1-v1_5 SHA-256 signature of `data` (raw bytes).
  std::string signSha256(std::string_view data) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
};

/// The PEM text of the config's key and where it came from (for messages).
struct PemSource {
  std::string pem;
  std::string source;
};

/// The config's key text, from privateKeyPem or read from privateKeyFile; throws
/// InvalidArgument when neither or both are given, FileError when the file is unreadable.
PemSource readJwtPrivateKeyPem(const JwtBearerConfig& config);

/// The config's key, parsed from readJwtPrivateKeyPem(config).
RsaPrivateKey loadJwtPrivateKey(const JwtBearerConfig& config);

/// The `aud` claim: config.audience, or the scheme and host (and port) of config.tokenUrl.
std::string jwtAudience(const JwtBearerConfig& config);

/// A signed assertion `header.claims.signature` (base64url, no padding) whose `exp` is
/// `now` + config.assertionLifetime, in whole seconds since the epoch.
std::string buildJwtAssertion(const JwtBearerConfig& config, const RsaPrivateKey& key,
                              std::chrono::system_clock::time_point now);

/// Base64url without padding (RFC 7515, section 2).
std::string base64UrlEncode(std::string_view bytes);

}  // namespace sfdc::bulk::detail
