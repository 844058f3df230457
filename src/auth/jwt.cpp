#include "auth/jwt.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sfdc/bulk/error.hpp>
#include <sstream>

namespace sfdc::bulk::detail {

struct RsaPrivateKey::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

// A passphrase prompt would block an unattended process: refuse encrypted keys instead.
int noPassphrase(char*, int, int, void*) { return 0; }

bool looksEncrypted(std::string_view pem) {
  return pem.find("ENCRYPTED") != std::string_view::npos;
}

}  // namespace

RsaPrivateKey::RsaPrivateKey(std::string_view pem, const std::string& source)
    : key_(std::make_unique<Key>()) {
  if (pem.find("-----BEGIN") == std::string_view::npos) {
    throw InvalidArgument(source + " is not PEM: expected a '-----BEGIN PRIVATE KEY-----' block");
  }
  if (looksEncrypted(pem)) {
    throw InvalidArgument(source +
                          " is encrypted with a passphrase, which cannot be typed in unattended: "
                          "store it decrypted (openssl pkey -in KEY -out PLAIN) with tight file "
                          "permissions");
  }
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) throw InvalidArgument("out of memory reading " + source);
  key_->pkey = PEM_read_bio_PrivateKey(bio, nullptr, &noPassphrase, nullptr);
  BIO_free(bio);
  // OpenSSL's queue may describe the parse failure; its texts never quote the key, but
  // they are of no use to a user either, so they are dropped.
  ERR_clear_error();
  if (key_->pkey == nullptr) {
    throw InvalidArgument(source +
                          " holds no readable private key (a certificate or public key is not "
                          "enough: the JWT bearer flow signs with the private key)");
  }
  if (EVP_PKEY_base_id(key_->pkey) != EVP_PKEY_RSA) {
    throw InvalidArgument(source +
                          " is not an RSA key: Salesforce's JWT bearer flow signs with RS256");
  }
}

RsaPrivateKey::~RsaPrivateKey() = default;
RsaPrivateKey::RsaPrivateKey(RsaPrivateKey&&) noexcept = default;
RsaPrivateKey& RsaPrivateKey::operator=(RsaPrivateKey&&) noexcept = default;

std::string RsaPrivateKey::signSha256(std::string_view data) const {
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  std::string signature;
  bool ok =
      context && EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_->pkey) == 1;
  // First call: the signature's size; second: the signature.
  ok = ok && EVP_DigestSign(context.get(), nullptr, &length, bytes, data.size()) == 1;
  if (ok) {
    signature.resize(length);
    ok = EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                        bytes, data.size()) == 1;
  }
  ERR_clear_error();
  if (!ok) throw Error("signing the JWT assertion with the private key failed");
  signature.resize(length);
  return signature;
}

PemSource readJwtPrivateKeyPem(const JwtBearerConfig& config) {
  if (!config.privateKeyPem.empty() && !config.privateKeyFile.empty()) {
    throw InvalidArgument(
        "JWT bearer auth takes the private key as privateKeyPem or privateKeyFile, not both");
  }
  if (!config.privateKeyPem.empty()) {
    return {config.privateKeyPem, "the JWT private key (privateKeyPem)"};
  }
  if (config.privateKeyFile.empty()) {
    throw InvalidArgument("JWT bearer auth needs the private key: privateKeyPem or privateKeyFile");
  }
  std::ifstream in(config.privateKeyFile, std::ios::binary);
  if (!in) {
    throw FileError("cannot read the JWT private key file " + config.privateKeyFile + ": " +
                        std::strerror(errno),
                    config.privateKeyFile);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return {text.str(), "the JWT private key file " + config.privateKeyFile};
}

RsaPrivateKey loadJwtPrivateKey(const JwtBearerConfig& config) {
  const PemSource key = readJwtPrivateKeyPem(config);
  return RsaPrivateKey(key.pem, key.source);
}

std::string jwtAudience(const JwtBearerConfig& config) {
  if (!config.audience.empty()) return config.audience;
  // scheme://host[:port] of the token URL: login.salesforce.com, test.salesforce.com and
  // a My Domain host are each the audience of their own token endpoint.
  const auto scheme = config.tokenUrl.find("://");
  if (scheme == std::string::npos) return config.tokenUrl;
  const auto path = config.tokenUrl.find_first_of("/?#", scheme + 3);
  return config.tokenUrl.substr(0, path);
}

std::string base64UrlEncode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t k) {
      return k < bytes.size() ? static_cast<unsigned>(static_cast<unsigned char>(bytes[k])) : 0u;
    };
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < bytes.size()) out += kAlphabet[(n >> 6) & 63];
    if (i + 2 < bytes.size()) out += kAlphabet[n & 63];
  }
  return out;
}

std::string buildJwtAssertion(const JwtBearerConfig& config, const RsaPrivateKey& key,
                              std::chrono::system_clock::time_point now) {
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                       (now + config.assertionLifetime).time_since_epoch())
                       .count();
  // Salesforce documents exactly this header; `typ` is optional in RFC 7519.
  const nlohmann::ordered_json header = {{"alg", "RS256"}};
  const nlohmann::ordered_json claims = {{"iss", config.clientId},
                                         {"sub", config.username},
                                         {"aud", jwtAudience(config)},
                                         {"exp", exp}};
  const std::string signingInput =
      base64UrlEncode(header.dump()) + "." + base64UrlEncode(claims.dump());
  return signingInput + "." + base64UrlEncode(key.signSha256(signingInput));
}

}  // namespace sfdc::bulk::detail
