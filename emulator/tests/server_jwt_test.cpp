// The token endpoint's server-to-server grants: JWT bearer assertions verified against the
// connected app's certificate (with Salesforce's refusals) and client credentials.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "server_test_support.hpp"
#include "sfdc/emulator/jwt_test_key.hpp"

namespace sfdc::emulator::testing {
namespace {

using Clock = std::chrono::system_clock;

std::string base64Url(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto b = [&](std::size_t k) {
      return k < bytes.size() ? static_cast<unsigned>(static_cast<unsigned char>(bytes[k])) : 0u;
    };
    const unsigned n = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    if (i + 1 < bytes.size()) out += kAlphabet[(n >> 6) & 63];
    if (i + 2 < bytes.size()) out += kAlphabet[n & 63];
  }
  return out;
}

using PKey = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;

PKey readPrivateKey(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  PKey key(PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr), EVP_PKEY_free);
  BIO_free(bio);
  return key;
}

std::string pemOf(EVP_PKEY* key, bool isPublic) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (isPublic) {
    PEM_write_bio_PUBKEY(bio, key);
  } else {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

// An independent RS256 signer, so that the emulator is checked against OpenSSL, not
// against the SDK's own builder.
std::string sign(const nlohmann::json& header, const nlohmann::json& claims, EVP_PKEY* key) {
  const std::string input = base64Url(header.dump()) + "." + base64Url(claims.dump());
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  std::size_t length = 0;
  EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key);
  EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()),
                 input.size());
  std::string signature(length, '\0');
  EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  EVP_MD_CTX_free(context);
  signature.resize(length);
  return input + "." + base64Url(signature);
}

nlohmann::json claims(const std::string& aud = "https://login.salesforce.com") {
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                       (Clock::now() + std::chrono::minutes(3)).time_since_epoch())
                       .count();
  return {{"iss", DefaultCredentials::kClientId},
          {"sub", DefaultCredentials::kUsername},
          {"aud", aud},
          {"exp", exp}};
}

class ServerJwtTest : public ServerTest {
 protected:
  explicit ServerJwtTest(EmulatorOptions options = defaultOptions()) : ServerTest(options) {}

  httplib::Result post(const std::string& form, const httplib::Headers& headers = {}) {
    auto c = client();
    return c.Post("/services/oauth2/token", headers, form, "application/x-www-form-urlencoded");
  }
  httplib::Result exchange(const std::string& assertion) {
    return post("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                assertion);
  }
  // The refusal body, or a description of why there is none.
  static std::string refusal(const httplib::Result& r) {
    if (!r) return "no answer";
    if (r->status != 400) return "HTTP " + std::to_string(r->status) + " " + r->body;
    return r->body;
  }
  static std::string expected(const std::string& error, const std::string& description) {
    return nlohmann::ordered_json{{"error", error}, {"error_description", description}}.dump();
  }

  PKey testKey = readPrivateKey(kJwtTestPrivateKeyPem);
  const nlohmann::json rs256 = {{"alg", "RS256"}};
};

TEST_F(ServerJwtTest, ASignedAssertionForEachAcceptedAudienceGetsAWorkingToken) {
  ASSERT_TRUE(testKey);
  for (const std::string& aud : {std::string("https://login.salesforce.com"),
                                 std::string("https://test.salesforce.com"), emulator_.url()}) {
    auto r = exchange(sign(rs256, claims(aud), testKey.get()));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << aud << ": " << r->body;
    const auto j = nlohmann::json::parse(r->body);
    EXPECT_EQ(j["instance_url"], emulator_.url());
    EXPECT_FALSE(j.contains("refresh_token")) << "the JWT bearer flow issues none";
    token_ = j["access_token"];
    auto c = client();
    auto job = c.Post((base() + "/job").c_str(), session(), jobXml("insert", "Account", "CSV"),
                      "application/xml");
    ASSERT_TRUE(job);
    EXPECT_EQ(job->status, 201) << job->body;
  }
}

TEST_F(ServerJwtTest, EachRefusalIsSalesforcesAnswer) {
  PKey otherKey(EVP_RSA_gen(2048), EVP_PKEY_free);
  ASSERT_TRUE(otherKey);
  auto expired = claims();
  expired["exp"] = std::chrono::duration_cast<std::chrono::seconds>(
                       (Clock::now() - std::chrono::seconds(5)).time_since_epoch())
                       .count();
  auto stranger = claims();
  stranger["sub"] = "nobody@example.com";
  auto unknownApp = claims();
  unknownApp["iss"] = "some-other-app";
  auto noExp = claims();
  noExp.erase("exp");

  struct Case {
    const char* name;
    std::string assertion;
    std::string answer;
  };
  const std::string valid = sign(rs256, claims(), testKey.get());
  const std::vector<Case> cases = {
      {"signed with another key", sign(rs256, claims(), otherKey.get()),
       expected("invalid_grant", "invalid assertion")},
      {"signature of other claims",
       valid.substr(0, valid.find('.')) + "." + base64Url(stranger.dump()) +
           valid.substr(valid.rfind('.')),
       expected("invalid_grant", "invalid assertion")},
      {"expired", sign(rs256, expired, testKey.get()),
       expected("invalid_grant", "expired authorization code")},
      {"no exp", sign(rs256, noExp, testKey.get()), expected("invalid_grant", "invalid assertion")},
      {"wrong audience", sign(rs256, claims("https://example.my.salesforce.com"), testKey.get()),
       expected("invalid_grant", "audience is invalid")},
      {"unknown user", sign(rs256, stranger, testKey.get()),
       expected("invalid_grant", "user hasn't approved this consumer")},
      {"unknown issuer", sign(rs256, unknownApp, testKey.get()),
       expected("invalid_client_id", "client identifier invalid")},
      {"alg none", base64Url(R"({"alg":"none"})") + "." + base64Url(claims().dump()) + ".",
       expected("invalid_grant", "invalid assertion")},
      {"not a JWT", "not-a-jwt", expected("invalid_grant", "invalid assertion")},
      {"no assertion", "", expected("invalid_grant", "invalid assertion")},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(refusal(exchange(c.assertion)), c.answer) << c.name;
  }
}

TEST_F(ServerJwtTest, ClientCredentialsInTheBodyOrAsHttpBasic) {
  const std::string body =
      "grant_type=client_credentials&client_id=emulator-client-id"
      "&client_secret=emulator-client-secret";
  auto r = post(body);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // base64("emulator-client-id:emulator-client-secret")
  r = post("grant_type=client_credentials",
           {{"Authorization", "Basic ZW11bGF0b3ItY2xpZW50LWlkOmVtdWxhdG9yLWNsaWVudC1zZWNyZXQ="}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;

  EXPECT_EQ(refusal(post("grant_type=client_credentials&client_id=emulator-client-id"
                         "&client_secret=wrong")),
            expected("invalid_client", "invalid client credentials"));
  EXPECT_EQ(refusal(post("grant_type=client_credentials&client_id=emulator-client-id")),
            expected("invalid_client", "invalid client credentials"));
  EXPECT_EQ(refusal(post("grant_type=client_credentials&client_id=nope&client_secret=x")),
            expected("invalid_client_id", "client identifier invalid"));
}

class ServerNoRunAsUserTest : public ServerJwtTest {
 protected:
  ServerNoRunAsUserTest() : ServerJwtTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o;
    o.clientCredentialsUser = false;
    return o;
  }
};

TEST_F(ServerNoRunAsUserTest, ClientCredentialsWithoutARunAsUserAreRefused) {
  EXPECT_EQ(refusal(post("grant_type=client_credentials&client_id=emulator-client-id"
                         "&client_secret=emulator-client-secret")),
            expected("invalid_grant", "no client credentials user enabled"));
}

class ServerFastClockTest : public ServerJwtTest {
 protected:
  ServerFastClockTest() : ServerJwtTest(options()) {}
  static EmulatorOptions options() {
    EmulatorOptions o;
    o.jwtClockOffset = std::chrono::minutes(4);
    return o;
  }
};

TEST_F(ServerFastClockTest, AFreshAssertionLooksExpiredToAClockRunningAhead) {
  EXPECT_EQ(refusal(exchange(sign(rs256, claims(), testKey.get()))),
            expected("invalid_grant", "expired authorization code"));
}

// A connected app with its own certificate: assertions signed with the test key no
// longer pass, those signed with the app's key do; a bare public key works as well.
class ServerOwnCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key = PKey(EVP_RSA_gen(2048), EVP_PKEY_free);
    ASSERT_TRUE(key);
    path = std::filesystem::temp_directory_path() /
           ("emulator-jwt-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(path) << pemOf(key.get(), true);
  }
  void TearDown() override { std::filesystem::remove(path); }

  PKey key{nullptr, EVP_PKEY_free};
  std::filesystem::path path;
};

TEST_F(ServerOwnCertificateTest, TheGivenPublicKeyReplacesTheTestCertificate) {
  EmulatorOptions options;
  options.jwtCertificateFile = path.string();
  Emulator emulator(options);
  emulator.start();
  httplib::Client c(emulator.url());
  const nlohmann::json header = {{"alg", "RS256"}};
  auto send = [&](EVP_PKEY* signer) {
    return c.Post("/services/oauth2/token",
                  "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                      sign(header, claims(), signer),
                  "application/x-www-form-urlencoded");
  };
  auto own = send(key.get());
  ASSERT_TRUE(own);
  EXPECT_EQ(own->status, 200) << own->body;
  auto test = send(readPrivateKey(kJwtTestPrivateKeyPem).get());
  ASSERT_TRUE(test);
  EXPECT_EQ(test->status, 400) << test->body;
  emulator.stop();
}

TEST_F(ServerOwnCertificateTest, AFileWithoutACertificateStopsTheEmulatorAtConstruction) {
  std::ofstream(path) << "not a certificate\n";
  EmulatorOptions options;
  options.jwtCertificateFile = path.string();
  try {
    Emulator emulator(options);
    FAIL() << "expected an exception";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  options.jwtCertificateFile = path.string() + ".missing";
  EXPECT_THROW(Emulator{options}, std::runtime_error);
}

TEST(JwtTestKeyFiles, MatchTheCompiledInTexts) {
  auto read = [](const std::string& name) {
    std::ifstream in(std::string(SFDC_BULK_EMULATOR_TESTDATA_DIR) + "/" + name);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  EXPECT_EQ(read("jwt-test-only-private-key.pem"), kJwtTestPrivateKeyPem);
  EXPECT_EQ(read("jwt-test-only-certificate.pem"), kJwtTestCertificatePem);
}

}  // namespace
}  // namespace sfdc::emulator::testing
