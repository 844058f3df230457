#include "jwt_assertion.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "base64.hpp"
#include "sfdc/emulator/jwt_test_key.hpp"

namespace sfdc::emulator::server {

struct JwtVerificationKey::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

JwtVerificationKey::JwtVerificationKey(const std::string& pem, const std::string& source)
    : key_(std::make_unique<Key>()) {
  // A certificate (what a connected app is given) or a bare public key.
  auto read = [&pem](auto reader) -> EVP_PKEY* {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = bio != nullptr ? reader(bio) : nullptr;
    BIO_free(bio);
    return key;
  };
  key_->pkey = read([](BIO* bio) -> EVP_PKEY* {
    X509* certificate = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (certificate == nullptr) return nullptr;
    EVP_PKEY* key = X509_get_pubkey(certificate);
    X509_free(certificate);
    return key;
  });
  if (key_->pkey == nullptr) {
    key_->pkey = read([](BIO* bio) { return PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr); });
  }
  ERR_clear_error();
  if (key_->pkey == nullptr || EVP_PKEY_base_id(key_->pkey) != EVP_PKEY_RSA) {
    throw std::runtime_error(source + " holds no PEM RSA certificate or public key");
  }
}

JwtVerificationKey::~JwtVerificationKey() = default;

bool JwtVerificationKey::verifyRs256(const std::string& data, const std::string& signature) const {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const bool ok =
      context &&
      EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key_->pkey) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size()) == 1;
  ERR_clear_error();
  return ok;
}

std::shared_ptr<const JwtVerificationKey> loadJwtVerificationKey(
    const std::string& certificateFile) {
  if (certificateFile.empty()) {
    return std::make_shared<JwtVerificationKey>(kJwtTestCertificatePem,
                                                "the built-in test certificate");
  }
  std::ifstream in(certificateFile, std::ios::binary);
  if (!in) {
    throw std::runtime_error("sfdc-bulk-emulator: cannot read the JWT certificate " +
                             certificateFile);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return std::make_shared<JwtVerificationKey>(text.str(), "sfdc-bulk-emulator: " + certificateFile);
}

namespace {

std::optional<nlohmann::json> decodeJsonPart(const std::string& part) {
  const auto bytes = base64Decode(part, Base64Alphabet::UrlSafe);
  if (!bytes) return std::nullopt;
  nlohmann::json value = nlohmann::json::parse(*bytes, nullptr, false);
  if (!value.is_object()) return std::nullopt;
  return value;
}

std::string stringClaim(const nlohmann::json& claims, const char* name) {
  const auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

std::optional<OAuthRefusal> checkJwtAssertion(const std::string& assertion,
                                              const JwtVerificationKey& key,
                                              const JwtExpectations& expected,
                                              JwtSubject& subject) {
  // Reported answers, each from a public issue or Q&A thread where a real org gave it:
  // a signature that does not verify: "invalid assertion" (frankkessler/salesforce-
  // laravel-oauth2-rest #68; forcedotcom/sfdx-travisci #135, with the wrong key); an `iss`
  // that names no connected app: invalid_client_id "client identifier invalid"
  // (arthurimirzian/salesforce-jwt-bearer-token-flow #4); a wrong `aud`: "audience is
  // invalid" (salesforce.stackexchange.com question 184363; Talend/components #1423); an
  // `exp` in the past: "expired authorization code" (simple-salesforce #491).
  // Guesses: the order of the checks, "invalid assertion" for a malformed token or a
  // non-RS256 header, and "user hasn't approved this consumer" for an unknown `sub` (the
  // answer reported for a user not pre-authorised for the app).
  const OAuthRefusal invalidAssertion{"invalid_grant", "invalid assertion"};
  const auto firstDot = assertion.find('.');
  const auto secondDot =
      firstDot == std::string::npos ? std::string::npos : assertion.find('.', firstDot + 1);
  if (secondDot == std::string::npos || assertion.find('.', secondDot + 1) != std::string::npos) {
    return invalidAssertion;
  }
  const auto header = decodeJsonPart(assertion.substr(0, firstDot));
  const auto claims = decodeJsonPart(assertion.substr(firstDot + 1, secondDot - firstDot - 1));
  const auto signature = base64Decode(assertion.substr(secondDot + 1), Base64Alphabet::UrlSafe);
  if (!header || !claims || !signature || stringClaim(*header, "alg") != "RS256") {
    return invalidAssertion;
  }
  // The issuer picks the connected app, and with it the certificate to verify against.
  subject.clientId = stringClaim(*claims, "iss");
  if (subject.clientId != expected.clientId) {
    return OAuthRefusal{"invalid_client_id", "client identifier invalid"};
  }
  if (!key.verifyRs256(assertion.substr(0, secondDot), *signature)) return invalidAssertion;
  if (!contains(expected.audiences, stringClaim(*claims, "aud"))) {
    return OAuthRefusal{"invalid_grant", "audience is invalid"};
  }
  const auto exp = claims->find("exp");
  if (exp == claims->end() || !exp->is_number()) return invalidAssertion;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(expected.now.time_since_epoch()).count();
  if (exp->get<double>() <= static_cast<double>(now)) {
    return OAuthRefusal{"invalid_grant", "expired authorization code"};
  }
  subject.username = stringClaim(*claims, "sub");
  if (!contains(expected.usernames, subject.username)) {
    return OAuthRefusal{"invalid_grant", "user hasn't approved this consumer"};
  }
  return std::nullopt;
}

}  // namespace sfdc::emulator::server
