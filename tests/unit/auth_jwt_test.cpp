// The server-to-server grants on the client side: the JWT bearer assertion (header, claims,
// RS256 signature checked with OpenSSL against the public key, `exp` from an injected
// clock), the token request bodies of the JWT bearer and client credentials grants, the
// key's loading errors, and how the token endpoint's refusals are reported.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sfdc/bulk.hpp>

#include "auth/jwt.hpp"
#include "support/fake_transport.hpp"

namespace sfdc::bulk {
namespace {

using testing::FakeTransport;
using PKey = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;

constexpr const char* kJobId = "750D00000004SkLIAU";

enum class PemKind { Pkcs8, Pkcs1, Public, Encrypted };

std::string pemOf(EVP_PKEY* key, PemKind kind) {
  BIO* bio = BIO_new(BIO_s_mem());
  char passphrase[] = "passphrase";
  switch (kind) {
    case PemKind::Pkcs8:
      PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
      break;
    case PemKind::Pkcs1:
      PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
      break;
    case PemKind::Public:
      PEM_write_bio_PUBKEY(bio, key);
      break;
    case PemKind::Encrypted:
      PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), passphrase,
                                    static_cast<int>(sizeof passphrase - 1), nullptr, nullptr);
      break;
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

// One RSA key for the whole file: generating one takes a noticeable moment.
EVP_PKEY* rsaKey() {
  static PKey key(EVP_RSA_gen(2048), EVP_PKEY_free);
  return key.get();
}

std::optional<std::string> base64UrlDecode(const std::string& text) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const auto value = kAlphabet.find(c);
    if (value == std::string::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

struct DecodedJwt {
  std::string headerText;
  nlohmann::json claims;
  std::string signingInput;
  std::string signature;
};

DecodedJwt decode(const std::string& jwt) {
  const auto first = jwt.find('.');
  const auto second = jwt.find('.', first + 1);
  EXPECT_NE(second, std::string::npos) << jwt;
  EXPECT_EQ(jwt.find('='), std::string::npos) << "base64url without padding: " << jwt;
  DecodedJwt out;
  out.headerText = base64UrlDecode(jwt.substr(0, first)).value_or("?");
  out.claims = nlohmann::json::parse(
      base64UrlDecode(jwt.substr(first + 1, second - first - 1)).value_or(""), nullptr, false);
  out.signingInput = jwt.substr(0, second);
  out.signature = base64UrlDecode(jwt.substr(second + 1)).value_or("");
  return out;
}

bool verifies(const DecodedJwt& jwt, EVP_PKEY* publicKey) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const bool ok =
      EVP_DigestVerifyInit(context, nullptr, EVP_sha256(), nullptr, publicKey) == 1 &&
      EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(jwt.signature.data()),
                       jwt.signature.size(),
                       reinterpret_cast<const unsigned char*>(jwt.signingInput.data()),
                       jwt.signingInput.size()) == 1;
  EVP_MD_CTX_free(context);
  return ok;
}

// The public half only, as a connected app's certificate would hold it.
PKey publicKeyOf(EVP_PKEY* key) {
  const std::string pem = pemOf(key, PemKind::Public);
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PKey out(PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr), EVP_PKEY_free);
  BIO_free(bio);
  return out;
}

JwtBearerConfig jwtConfig() {
  JwtBearerConfig config;
  config.clientId = "3MVG9-consumer-key";
  config.username = "integration@example.com";
  config.privateKeyPem = pemOf(rsaKey(), PemKind::Pkcs8);
  config.tokenUrl = "https://login.example.com/services/oauth2/token";
  return config;
}

std::chrono::system_clock::time_point at(long long epochSeconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(epochSeconds));
}

TEST(JwtAssertion, HeaderClaimsAndSignatureAreWhatSalesforceAsksFor) {
  const JwtBearerConfig config = jwtConfig();
  const auto key = detail::loadJwtPrivateKey(config);
  const DecodedJwt jwt = decode(detail::buildJwtAssertion(config, key, at(1700000000)));
  EXPECT_EQ(jwt.headerText, R"({"alg":"RS256"})");
  ASSERT_TRUE(jwt.claims.is_object());
  EXPECT_EQ(jwt.claims, (nlohmann::json{{"iss", "3MVG9-consumer-key"},
                                        {"sub", "integration@example.com"},
                                        {"aud", "https://login.example.com"},
                                        {"exp", 1700000180}}));
  EXPECT_TRUE(jwt.claims["exp"].is_number_integer()) << "NumericDate, not a string";
  const PKey publicKey = publicKeyOf(rsaKey());
  EXPECT_TRUE(verifies(jwt, publicKey.get()));

  DecodedJwt tampered = jwt;
  tampered.signingInput[tampered.signingInput.size() - 2] ^= 1;
  EXPECT_FALSE(verifies(tampered, publicKey.get())) << "the check itself can fail";
  const PKey otherKey(EVP_RSA_gen(2048), EVP_PKEY_free);
  EXPECT_FALSE(verifies(jwt, publicKeyOf(otherKey.get()).get()));
}

TEST(JwtAssertion, ExpFollowsTheInjectedClockAndTheLifetime) {
  JwtBearerConfig config = jwtConfig();
  const auto key = detail::loadJwtPrivateKey(config);
  auto exp = [&](std::chrono::system_clock::time_point now) {
    return decode(detail::buildJwtAssertion(config, key, now)).claims["exp"].get<long long>();
  };
  EXPECT_EQ(exp(at(1000)), 1180);
  EXPECT_EQ(exp(at(2000) + std::chrono::milliseconds(999)), 2180) << "whole seconds";
  config.assertionLifetime = std::chrono::seconds(60);
  EXPECT_EQ(exp(at(1000)), 1060);
}

TEST(JwtAssertion, PkcsOneKeysSignToo) {
  JwtBearerConfig config = jwtConfig();
  config.privateKeyPem = pemOf(rsaKey(), PemKind::Pkcs1);
  ASSERT_NE(config.privateKeyPem.find("BEGIN RSA PRIVATE KEY"), std::string::npos);
  const auto key = detail::loadJwtPrivateKey(config);
  EXPECT_TRUE(
      verifies(decode(detail::buildJwtAssertion(config, key, at(1))), publicKeyOf(rsaKey()).get()));
}

TEST(JwtAssertion, AudienceDefaultsToTheTokenEndpointsOrigin) {
  JwtBearerConfig config = jwtConfig();
  const std::pair<const char*, const char*> cases[] = {
      {"https://login.salesforce.com/services/oauth2/token", "https://login.salesforce.com"},
      {"https://test.salesforce.com/services/oauth2/token", "https://test.salesforce.com"},
      {"https://acme.my.salesforce.com/services/oauth2/token", "https://acme.my.salesforce.com"},
      {"http://127.0.0.1:8123/services/oauth2/token", "http://127.0.0.1:8123"},
  };
  for (const auto& [tokenUrl, audience] : cases) {
    config.tokenUrl = tokenUrl;
    EXPECT_EQ(detail::jwtAudience(config), audience) << tokenUrl;
  }
  config.audience = kSandboxLoginUrl;
  EXPECT_EQ(detail::jwtAudience(config), "https://test.salesforce.com") << "explicit wins";
  EXPECT_EQ(JwtBearerConfig{}.tokenUrl, "https://login.salesforce.com/services/oauth2/token");
}

TEST(JwtAssertion, Base64UrlHasNoPaddingAndTheUrlAlphabet) {
  EXPECT_EQ(detail::base64UrlEncode(""), "");
  EXPECT_EQ(detail::base64UrlEncode("f"), "Zg");
  EXPECT_EQ(detail::base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(detail::base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(detail::base64UrlEncode("\xfb\xff\xbf"), "-_-_");
}

Config clientFor(ClientConfig auth) {
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig = std::move(auth);
  config.retry.maxAttempts = 1;
  return config;
}

const char* kTokenAnswer =
    R"({"access_token":"00Dx!token-1","instance_url":"https://na1.example.com"})";

std::string formValue(const std::string& form, const std::string& name) {
  const std::string key = name + "=";
  std::size_t start = form.rfind(key, 0) == 0 ? 0 : form.find("&" + key);
  if (start == std::string::npos) return "<absent>";
  if (start != 0) ++start;
  start += key.size();
  return form.substr(start, form.find('&', start) - start);
}

TEST(JwtBearerGrant, TheTokenRequestCarriesTheGrantTypeAndASignedAssertion) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(clientFor(jwtConfig()), fake);
  fake->pushJson(200, kTokenAnswer);
  fake->pushXml(200, "<jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><id>" +
                         std::string(kJobId) + "</id></jobInfo>");
  const auto before = std::chrono::system_clock::now();
  client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 2u);
  const auto& token = requests[0];
  EXPECT_EQ(token.method, "POST");
  EXPECT_EQ(token.url, "https://login.example.com/services/oauth2/token");
  EXPECT_EQ(token.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(token.body.substr(0, token.body.find("&assertion=")),
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
  EXPECT_EQ(formValue(token.body, "client_secret"), "<absent>");
  const DecodedJwt jwt = decode(formValue(token.body, "assertion"));
  EXPECT_TRUE(verifies(jwt, publicKeyOf(rsaKey()).get()));
  const auto exp = jwt.claims["exp"].get<long long>();
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(before.time_since_epoch()).count();
  EXPECT_GE(exp, now + 179);
  EXPECT_LE(exp, now + 182) << "at most three minutes ahead of the real clock";
  EXPECT_EQ(requests[1].header("X-SFDC-Session"), "00Dx!token-1");
}

TEST(JwtBearerGrant, AnExpiredSessionIsReplacedWithANewlySignedAssertion) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(clientFor(jwtConfig()), fake);
  const std::string job = "<jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><id>" +
                          std::string(kJobId) + "</id></jobInfo>";
  fake->pushJson(200, kTokenAnswer);
  fake->pushXml(400,
                "<error xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><exceptionCode>"
                "InvalidSessionId</exceptionCode><exceptionMessage>Invalid session id"
                "</exceptionMessage></error>");
  fake->pushJson(200, R"({"access_token":"00Dx!token-2"})");
  fake->pushXml(200, job);
  client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[2].url, "https://login.example.com/services/oauth2/token");
  EXPECT_TRUE(
      verifies(decode(formValue(requests[2].body, "assertion")), publicKeyOf(rsaKey()).get()));
  EXPECT_EQ(requests[3].header("X-SFDC-Session"), "00Dx!token-2");
}

TEST(ClientCredentialsGrant, TheTokenRequestCarriesTheClientIdAndSecret) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(
      clientFor(ClientCredentialsConfig{"3MVG9-consumer-key", "s3cret&=+",
                                        "https://acme.my.salesforce.com/services/oauth2/token"}),
      fake);
  fake->pushJson(200, kTokenAnswer);
  fake->pushXml(200, "<jobInfo xmlns=\"http://www.force.com/2009/06/asyncapi/dataload\"><id>" +
                         std::string(kJobId) + "</id></jobInfo>");
  client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].url, "https://acme.my.salesforce.com/services/oauth2/token");
  EXPECT_EQ(requests[0].body,
            "grant_type=client_credentials&client_id=3MVG9-consumer-key"
            "&client_secret=s3cret%26%3D%2B");
}

// The refusals Salesforce gives for these grants reach the caller as AuthError with the
// endpoint's `error` and `error_description`.
TEST(ServerToServerGrants, RefusalsAreAuthErrorsWithTheServersDescription) {
  const std::pair<const char*, const char*> refusals[] = {
      {"invalid_grant", "audience is invalid"},
      {"invalid_grant", "invalid assertion"},
      {"invalid_grant", "expired authorization code"},
      {"invalid_grant", "user hasn't approved this consumer"},
      {"invalid_grant", "no client credentials user enabled"},
      {"invalid_client", "invalid client credentials"},
  };
  const ClientConfig grants[] = {
      jwtConfig(),
      ClientCredentialsConfig{"id", "secret-value", "https://acme.my.salesforce.com/t"}};
  for (const auto& grant : grants) {
    for (const auto& [error, description] : refusals) {
      auto fake = std::make_shared<FakeTransport>();
      Client client(clientFor(grant), fake);
      fake->pushJson(400,
                     nlohmann::json{{"error", error}, {"error_description", description}}.dump());
      try {
        client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
        ADD_FAILURE() << "expected AuthError for " << description;
      } catch (const AuthError& e) {
        EXPECT_EQ(e.oauthError(), error);
        EXPECT_EQ(e.httpStatus(), 400);
        EXPECT_NE(std::string(e.what()).find(description), std::string::npos) << e.what();
      }
    }
  }
}

class TempFile {
 public:
  explicit TempFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("sfdc-jwt-key-" + std::to_string(counter()++) + ".pem")) {
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

TEST(JwtKeyLoading, AKeyFileIsReadWhenTheClientIsBuilt) {
  TempFile file(pemOf(rsaKey(), PemKind::Pkcs8));
  JwtBearerConfig config = jwtConfig();
  config.privateKeyPem.clear();
  config.privateKeyFile = file.path();
  const auto key = detail::loadJwtPrivateKey(config);
  EXPECT_TRUE(
      verifies(decode(detail::buildJwtAssertion(config, key, at(5))), publicKeyOf(rsaKey()).get()));
}

// Each bad key is refused before any request, naming what is wrong and never quoting it.
TEST(JwtKeyLoading, BadKeysAreClearErrorsBeforeAnyRequestWithoutTheKeyInThem) {
  const std::string privatePem = pemOf(rsaKey(), PemKind::Pkcs8);
  const PKey ecKey(EVP_EC_gen("P-256"), EVP_PKEY_free);
  struct Case {
    const char* name;
    std::function<void(JwtBearerConfig&)> change;
    std::string expected;
  };
  const std::string missing =
      (std::filesystem::temp_directory_path() / "sfdc-no-such-key.pem").string();
  const std::vector<Case> cases = {
      {"no key", [](JwtBearerConfig& c) { c.privateKeyPem.clear(); },
       "needs the private key: privateKeyPem or privateKeyFile"},
      {"both", [](JwtBearerConfig& c) { c.privateKeyFile = "/k.pem"; }, "not both"},
      {"missing file",
       [&](JwtBearerConfig& c) {
         c.privateKeyPem.clear();
         c.privateKeyFile = missing;
       },
       "cannot read the JWT private key file " + missing},
      {"not PEM", [](JwtBearerConfig& c) { c.privateKeyPem = "MIIEvQIBADANBgkq-not-pem"; },
       "is not PEM"},
      {"a public key",
       [](JwtBearerConfig& c) { c.privateKeyPem = pemOf(rsaKey(), PemKind::Public); },
       "holds no readable private key"},
      {"corrupt",
       [&](JwtBearerConfig& c) {
         c.privateKeyPem = privatePem;
         c.privateKeyPem[100] = c.privateKeyPem[100] == 'A' ? 'B' : 'A';
         c.privateKeyPem.erase(200, 300);
       },
       "holds no readable private key"},
      {"encrypted",
       [](JwtBearerConfig& c) { c.privateKeyPem = pemOf(rsaKey(), PemKind::Encrypted); },
       "encrypted with a passphrase"},
      {"EC key", [&](JwtBearerConfig& c) { c.privateKeyPem = pemOf(ecKey.get(), PemKind::Pkcs8); },
       "is not an RSA key"},
      {"no username", [](JwtBearerConfig& c) { c.username.clear(); },
       "needs clientId and username"},
      {"no lifetime", [](JwtBearerConfig& c) { c.assertionLifetime = std::chrono::seconds(0); },
       "positive assertionLifetime"},
  };
  for (const auto& c : cases) {
    JwtBearerConfig config = jwtConfig();
    c.change(config);
    auto fake = std::make_shared<FakeTransport>();
    try {
      Client client(clientFor(config), fake);
      ADD_FAILURE() << c.name << ": accepted";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(c.expected), std::string::npos) << c.name << ": " << what;
      EXPECT_EQ(what.find("MII"), std::string::npos) << c.name << ": " << what;
      if (config.privateKeyPem.size() > 50) {
        EXPECT_EQ(what.find(config.privateKeyPem.substr(30, 20)), std::string::npos) << what;
      }
    }
    EXPECT_TRUE(fake->requests().empty()) << c.name;
  }
}

TEST(ClientCredentialsGrant, MissingPartsAreNamed) {
  auto fake = std::make_shared<FakeTransport>();
  EXPECT_THROW(
      Client(clientFor(ClientCredentialsConfig{"id", "", "https://a.example.com/t"}), fake),
      InvalidArgument);
  try {
    Client(clientFor(ClientCredentialsConfig{"id", "secret", ""}), fake);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("My Domain"), std::string::npos) << e.what();
  }
  EXPECT_THROW(
      Client(clientFor(ClientCredentialsConfig{"id", "secret", "http://a.example.com/t"}), fake),
      InvalidArgument)
      << "the secret never goes over plain HTTP";
}

}  // namespace
}  // namespace sfdc::bulk
