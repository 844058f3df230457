#pragma once

// Checks the assertion of a JWT bearer token request the way Salesforce's token endpoint
// does: signature against the connected app's certificate, then issuer, audience, expiry
// and user, each refusal with Salesforce's own `error` / `error_description`.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sfdc::emulator::server {

/// The public key of the connected app's certificate.
class JwtVerificationKey {
 public:
  /// From a PEM certificate or public key; throws std::runtime_error naming `source`.
  JwtVerificationKey(const std::string& pem, const std::string& source);
  ~JwtVerificationKey();
  JwtVerificationKey(const JwtVerificationKey&) = delete;
  JwtVerificationKey& operator=(const JwtVerificationKey&) = delete;

  /// True when `signature` is a valid RS256 signature of `data`.
  bool verifyRs256(const std::string& data, const std::string& signature) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
};

/// The key from `certificateFile`, or the test-only certificate when it is empty.
std::shared_ptr<const JwtVerificationKey> loadJwtVerificationKey(
    const std::string& certificateFile);

/// An OAuth error answer: `error` and `error_description`.
struct OAuthRefusal {
  std::string error;
  std::string description;
};

/// What a valid assertion says.
struct JwtSubject {
  std::string clientId;
  std::string username;
};

/// What the token endpoint accepts.
struct JwtExpectations {
  std::string clientId;
  std::vector<std::string> audiences;
  std::vector<std::string> usernames;
  std::chrono::system_clock::time_point now;
};

/// Checks `assertion`; returns the refusal, or nullopt and fills `subject`.
std::optional<OAuthRefusal> checkJwtAssertion(const std::string& assertion,
                                              const JwtVerificationKey& key,
                                              const JwtExpectations& expected, JwtSubject& subject);

}  // namespace sfdc::emulator::server
