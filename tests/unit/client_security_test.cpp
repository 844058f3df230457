// What a hostile or careless endpoint cannot make the client do: print a secret (an
// echoing token endpoint, an exception quoting one), crash on a token answer of the
// wrong shape, follow a plain-HTTP instance URL with the session id, or send a request
// to a path built from an id that is not one.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sfdc/bulk.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "redactor.hpp"
#include "support/fake_transport.hpp"
#include "support/responses.hpp"
#include "url_policy.hpp"

namespace sfdc::bulk {
namespace {

using testing::FakeTransport;
using testing::RecordedRequest;

constexpr const char* kTokenUrl = "https://login.example.com/services/oauth2/token";
constexpr const char* kJobId = "750D00000004SkLIAU";
constexpr const char* kBatchId = "751D00000004YGZIA2";

// Every secret of the two grants below, raw and as they appear in the request body.
const std::vector<std::string> kSecrets = {
    "client-s3cret-value",  "refresh-t0ken-value",     "p&ss w0rd!", "p%26ss+w0rd%21", "SECTOKEN42",
    "p&ss w0rd!SECTOKEN42", "p%26ss+w0rd%21SECTOKEN42"};

Config refreshConfig() {
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig =
      RefreshTokenConfig{"client-id", "client-s3cret-value", "refresh-t0ken-value", kTokenUrl};
  config.retry.maxAttempts = 1;
  return config;
}

Config passwordConfig() {
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig = PasswordConfig{"client-id",  "client-s3cret-value", "user@example.com",
                                       "p&ss w0rd!", "SECTOKEN42",          kTokenUrl};
  config.retry.maxAttempts = 1;
  return config;
}

Config staticConfig(const std::string& baseUrl = "https://na1.example.com") {
  Config config;
  config.baseUrl = baseUrl;
  config.clientConfig = AccessTokenConfig{"00Dx0000000BV7z!AR8AQstatic-token"};
  config.retry.maxAttempts = 1;
  return config;
}

void expectNoSecret(const std::string& text) {
  for (const auto& secret : kSecrets) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "'" << secret << "' in: " << text;
  }
}

std::string formDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A token endpoint that repeats the request it got, the way some proxies and broken
// identity providers do, in its error_description: as sent, and decoded.
void pushEchoingRefusal(FakeTransport& fake) {
  fake.pushStep([](const RecordedRequest& request) {
    nlohmann::json body = {{"error", "invalid_grant"},
                           {"error_description", "cannot use " + request.body + " (decoded: " +
                                                     formDecode(request.body) + ")"}};
    return HttpResponse{400, {{"Content-Type", "application/json"}}, body.dump()};
  });
}

class EchoingTokenEndpoint : public ::testing::TestWithParam<Config (*)()> {};

TEST_P(EchoingTokenEndpoint, ErrorDescriptionReachesNoMessageOrLogWithASecret) {
  auto fake = std::make_shared<FakeTransport>();
  std::vector<std::string> logs;
  Config config = GetParam()();
  config.logHandler = [&logs](LogLevel, std::string_view line) { logs.emplace_back(line); };
  Client client(config, fake);
  pushEchoingRefusal(*fake);
  try {
    client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
    FAIL() << "expected AuthError";
  } catch (const AuthError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.oauthError(), "invalid_grant");
    EXPECT_EQ(e.httpStatus(), 400);
    EXPECT_NE(what.find("invalid_grant"), std::string::npos) << what;
    EXPECT_NE(what.find("cannot use grant_type="), std::string::npos)
        << "the endpoint's words are kept, only the secrets go: " << what;
    expectNoSecret(what);
  }
  for (const auto& line : logs) expectNoSecret(line);
}

Config clientCredentialsConfig() {
  Config config;
  config.baseUrl = "https://na1.example.com";
  config.clientConfig = ClientCredentialsConfig{"client-id", "client-s3cret-value", kTokenUrl};
  config.retry.maxAttempts = 1;
  return config;
}

INSTANTIATE_TEST_SUITE_P(Grants, EchoingTokenEndpoint,
                         ::testing::Values(&refreshConfig, &passwordConfig,
                                           &clientCredentialsConfig));

// A JWT bearer client's secrets are its private key and the assertions it signs: neither
// may reach a message or a log line, even from an endpoint that repeats its request.
TEST(JwtEchoingTokenEndpoint, TheJwtAssertionAndThePrivateKeyReachNoMessageOrLog) {
  const std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);

  // The key given as PEM text, then as a file.
  const auto keyFile = std::filesystem::temp_directory_path() /
                       ("sfdc-echo-key-" + std::to_string(::getpid()) + ".pem");
  std::ofstream(keyFile) << pem;
  for (const bool fromFile : {false, true}) {
    SCOPED_TRACE(fromFile ? "key file" : "key text");
    auto fake = std::make_shared<FakeTransport>();
    std::vector<std::string> logs;
    Config config;
    config.baseUrl = "https://na1.example.com";
    JwtBearerConfig jwt;
    jwt.clientId = "client-id";
    jwt.username = "user@example.com";
    if (fromFile) {
      jwt.privateKeyFile = keyFile.string();
    } else {
      jwt.privateKeyPem = pem;
    }
    jwt.tokenUrl = kTokenUrl;
    config.clientConfig = jwt;
    config.retry.maxAttempts = 1;
    config.logHandler = [&logs](LogLevel, std::string_view line) { logs.emplace_back(line); };
    Client client(config, fake);
    // The endpoint repeats the request body, and the key (whole, and one line of it) as if
    // it had leaked elsewhere.
    const std::string keyLine = pem.substr(pem.find('\n') + 1, 64);
    fake->pushStep([&pem, &keyLine](const RecordedRequest& request) {
      const std::string assertion = request.body.substr(request.body.find("assertion=") + 10);
      nlohmann::json body = {{"error", "invalid_grant"},
                             {"error_description", "bad " + request.body + " jwt " + assertion +
                                                       " key " + pem + " line " + keyLine}};
      return HttpResponse{400, {{"Content-Type", "application/json"}}, body.dump()};
    });
    std::string what;
    try {
      client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
      FAIL() << "expected AuthError";
    } catch (const AuthError& e) {
      what = e.what();
    }
    const std::string body = fake->requests().at(0).body;
    const std::string assertion = body.substr(body.find("assertion=") + 10);
    ASSERT_GT(assertion.size(), 100u);
    EXPECT_NE(what.find("invalid_grant"), std::string::npos) << what;
    std::vector<std::string> texts = logs;
    texts.push_back(what);
    for (const auto& text : texts) {
      EXPECT_EQ(text.find(assertion.substr(assertion.rfind('.') + 1, 40)), std::string::npos)
          << "signature in: " << text;
      EXPECT_EQ(text.find(assertion.substr(0, assertion.rfind('.'))), std::string::npos)
          << "assertion in: " << text;
      EXPECT_EQ(text.find(keyLine), std::string::npos) << "key in: " << text;
    }
  }
  std::filesystem::remove(keyFile);
}

class TokenShape : public ::testing::TestWithParam<std::string> {};

TEST_P(TokenShape, ANonStringAccessTokenIsAClearAuthError) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(
      200, R"({"access_token":)" + GetParam() + R"(,"instance_url":"https://my.example.com"})");
  try {
    client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
    FAIL() << "expected AuthError";
  } catch (const AuthError& e) {
    EXPECT_NE(std::string(e.what()).find("access_token"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fake->requests().size(), 1u) << "nothing is sent with a token of the wrong shape";
}

INSTANTIATE_TEST_SUITE_P(Shapes, TokenShape,
                         ::testing::Values("12345", "null", "true", R"({"token":"x"})", R"(["x"])",
                                           R"("")"));

TEST(TokenAnswer, ErrorFieldsOfTheWrongTypeStillGiveAnAuthError) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(401, R"({"error":42,"error_description":{"nested":"x"}})");
  EXPECT_THROW(client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""}),
               AuthError);
}

TEST(TokenAnswer, ANonStringInstanceUrlIsAnAuthError) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(200, R"({"access_token":"00Dtoken-aaaa","instance_url":7})");
  EXPECT_THROW(client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""}),
               AuthError);
}

TEST(InstanceUrl, PlainHttpFromTheTokenEndpointIsRefusedBeforeTheSessionIdIsSent) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(refreshConfig(), fake);
  fake->pushJson(200, testing::tokenJson("00Dsession-id-aaaa", "http://evil.example.com"));
  try {
    client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
    FAIL() << "expected AuthError";
  } catch (const AuthError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("http://evil.example.com"), std::string::npos) << what;
    EXPECT_NE(what.find("not HTTPS"), std::string::npos) << what;
    EXPECT_EQ(what.find("00Dsession-id-aaaa"), std::string::npos) << what;
  }
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 1u) << "no request went to the plain-HTTP instance";
  EXPECT_EQ(requests[0].url, kTokenUrl);
}

TEST(InstanceUrl, PlainHttpToALoopbackInstanceIsFollowed) {
  for (const std::string instance :
       {"http://127.0.0.1:8080", "http://127.9.8.7", "http://localhost:1234", "http://[::1]:80"}) {
    auto fake = std::make_shared<FakeTransport>();
    Client client(refreshConfig(), fake);
    fake->pushJson(200, testing::tokenJson("00Dsession-id-aaaa", instance));
    fake->pushXml(200, testing::jobInfoXml(kJobId, "insert", "Account", "Open", "CSV"));
    client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
    EXPECT_EQ(fake->last().url, instance + "/services/async/59.0/job/" + kJobId);
  }
}

TEST(UrlPolicy, OnlyHttpsOrLoopbackPasses) {
  using detail::insecureUrlReason;
  for (const char* fine :
       {"https://na1.salesforce.com", "HTTPS://x.example.com/path",
        "http://127.0.0.1:8080/services", "http://localhost", "http://LOCALHOST:80",
        "http://[::1]:9/x", "http://user:pw@127.0.0.1/"}) {
    EXPECT_EQ(insecureUrlReason(fine), "") << fine;
  }
  for (const char* refused :
       {"http://na1.salesforce.com", "http://10.0.0.1", "http://127.0.0.1.evil.com",
        "http://127.0.0.1@evil.com/", "http://[::2]/", "http://localhost.evil.com",
        "ftp://127.0.0.1", "na1.salesforce.com", "http://0x7f000001/"}) {
    EXPECT_NE(insecureUrlReason(refused), "") << refused;
  }
}

TEST(UrlPolicy, APlainHttpBaseUrlOrTokenUrlIsRefusedAtConstruction) {
  auto fake = std::make_shared<FakeTransport>();
  try {
    Client client(staticConfig("http://na1.example.com"), fake);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("Config::baseUrl 'http://na1.example.com'"), std::string::npos) << what;
    EXPECT_NE(what.find("not HTTPS"), std::string::npos) << what;
  }
  Config config = refreshConfig();
  std::get<RefreshTokenConfig>(config.clientConfig).refreshUrl =
      "http://login.example.com/services/oauth2/token?secret=1";
  try {
    Client client(config, fake);
    FAIL() << "expected InvalidArgument";
  } catch (const InvalidArgument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("token URL 'http://login.example.com/services/oauth2/token'"),
              std::string::npos)
        << what;
    EXPECT_EQ(what.find("secret=1"), std::string::npos) << what;
  }
  EXPECT_TRUE(fake->requests().empty());
  EXPECT_NO_THROW(Client(staticConfig("http://127.0.0.1:9999"), fake));
  EXPECT_NO_THROW(Client(staticConfig(""), fake)) << "an instance URL may come with the token";
}

TEST(Redaction, NamedSecretsAndPrivateKeysAreMaskedEvenIfNeverRegistered) {
  detail::Redactor redactor;
  EXPECT_EQ(redactor.apply("grant_type=password&client_id=abc&password=hunter22&x=1"),
            "grant_type=password&client_id=abc&password=***&x=1");
  EXPECT_EQ(redactor.apply(R"({"access_token": "00D!abc\"def", "scope":"api"})"),
            R"({"access_token": "***", "scope":"api"})");
  EXPECT_EQ(redactor.apply("CLIENT_SECRET=xyz refresh_token=r1 token=visible"),
            "CLIENT_SECRET=*** refresh_token=*** token=visible");
  const std::string pem =
      "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\nIBAAK\n-----END RSA PRIVATE KEY----- end";
  const std::string masked = redactor.apply(pem);
  EXPECT_EQ(masked.find("MIIEow"), std::string::npos) << masked;
  EXPECT_NE(masked.find("end"), std::string::npos) << masked;
  EXPECT_EQ(redactor.apply("no secrets here: password policy"), "no secrets here: password policy");
  // A signed JWT, as in a JWT bearer assertion, anywhere in a text.
  EXPECT_EQ(redactor.apply("got eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln-_x, then"),
            "got ***, then");
  EXPECT_EQ(redactor.apply("a.b.c keyJ.x.y eyJnot-a-jwt"), "a.b.c keyJ.x.y eyJnot-a-jwt");
}

TEST(Redaction, ALongerSecretIsMaskedWholeNotAroundAShorterOne) {
  detail::Redactor redactor;
  redactor.add("pass");
  redactor.add("pass+TOKEN9");
  EXPECT_EQ(redactor.apply("got pass+TOKEN9"), "got ***");
}

TEST(Redaction, ExceptionsFromTheTransportLoseTheSecretsButKeepTheirType) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(staticConfig(), fake);
  fake->pushStep([](const RecordedRequest&) -> HttpResponse {
    throw TransportError("proxy said: bad header X-SFDC-Session: 00Dx0000000BV7z!AR8AQstatic-token",
                         56, false, true);
  });
  try {
    client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("AR8AQstatic-token"), std::string::npos) << what;
    EXPECT_NE(what.find("proxy said"), std::string::npos) << what;
    EXPECT_EQ(e.curlCode(), 56);
    EXPECT_TRUE(e.requestSent());
  }
}

TEST(Redaction, ApiErrorsEchoingTheSessionIdAreMasked) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(staticConfig(), fake);
  fake->pushXml(
      400, testing::errorXml("InvalidJob", "unknown session 00Dx0000000BV7z!AR8AQstatic-token"));
  try {
    client.getJobInfo(Job{kJobId, Operation::Insert, "Account", ContentType::CSV, ""});
    FAIL() << "expected ApiError";
  } catch (const ApiError& e) {
    EXPECT_EQ(std::string(e.what()).find("static-token"), std::string::npos) << e.what();
    EXPECT_EQ(e.exceptionCode(), "InvalidJob");
  }
}

// Each public call that puts an id into a request path.
struct IdCall {
  const char* name;
  std::function<void(Client&, const Job&, const std::string& batchId)> call;
};

const std::vector<IdCall>& idCalls() {
  static const std::vector<IdCall> calls = {
      {"getJobInfo", [](Client& c, const Job& j, const std::string&) { c.getJobInfo(j); }},
      {"closeJob", [](Client& c, const Job& j, const std::string&) { c.closeJob(j); }},
      {"abortJob", [](Client& c, const Job& j, const std::string&) { c.abortJob(j); }},
      {"addBatch", [](Client& c, const Job& j, const std::string&) { c.addBatch(j, "Name\nA\n"); }},
      {"addBatchFromStream",
       [](Client& c, const Job& j, const std::string&) {
         std::istringstream body("Name\nA\n");
         c.addBatch(j, body);
       }},
      {"getAllBatches", [](Client& c, const Job& j, const std::string&) { c.getAllBatches(j); }},
      {"getBatchInfo", [](Client& c, const Job& j, const std::string& b) { c.getBatchInfo(j, b); }},
      {"getBatchRequest",
       [](Client& c, const Job& j, const std::string& b) { c.getBatchRequest(j, b); }},
      {"getBatchResult",
       [](Client& c, const Job& j, const std::string& b) { c.getBatchResult(j, b); }},
      {"getQueryResult", [](Client& c, const Job& j,
                            const std::string& b) { c.getQueryResult(j, b, "752x00000004CJE"); }},
  };
  return calls;
}

TEST(Ids, AJobIdThatIsNotASalesforceIdStopsEveryCallBeforeAnyRequest) {
  const std::string traversal = std::string("x/../") + kJobId;
  for (const std::string& bad :
       {traversal, std::string("750A"), std::string("750D00000004SkLIAUX"),
        std::string("750D00000004SkL?AU"), std::string("750D00000004SkLI%2F")}) {
    for (const auto& call : idCalls()) {
      auto fake = std::make_shared<FakeTransport>();
      Client client(staticConfig(), fake);
      const Job job{bad, Operation::Insert, "Account", ContentType::CSV, ""};
      try {
        call.call(client, job, kBatchId);
        ADD_FAILURE() << call.name << " accepted job id " << bad;
      } catch (const InvalidArgument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("'" + bad + "'"), std::string::npos) << call.name << ": " << what;
        EXPECT_NE(what.find("job id"), std::string::npos) << what;
      }
      EXPECT_TRUE(fake->requests().empty()) << call.name << " sent a request for " << bad;
    }
  }
}

TEST(Ids, ABatchIdThatIsNotASalesforceIdStopsEveryBatchCall) {
  for (const auto& call : idCalls()) {
    auto fake = std::make_shared<FakeTransport>();
    Client client(staticConfig(), fake);
    const Job job{kJobId, Operation::Query, "Account", ContentType::CSV, ""};
    const std::string bad = std::string("../../job/") + kJobId;
    const std::string name = call.name;
    if (name.rfind("getBatch", 0) != 0 && name != "getQueryResult") continue;
    EXPECT_THROW(call.call(client, job, bad), InvalidArgument) << call.name;
    EXPECT_TRUE(fake->requests().empty()) << call.name;
  }
}

TEST(Ids, AttachJobAndResultIdsAreCheckedToo) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(staticConfig(), fake);
  EXPECT_THROW(client.attachJob(std::string("x/../") + kJobId), InvalidArgument);
  EXPECT_THROW(client.attachJob(""), InvalidArgument);
  const Job job{kJobId, Operation::Query, "Account", ContentType::CSV, ""};
  EXPECT_THROW(client.getQueryResult(job, kBatchId, "752x/../x"), InvalidArgument);
  EXPECT_TRUE(fake->requests().empty());
}

TEST(Ids, FifteenAndEighteenCharacterIdsPass) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(staticConfig(), fake);
  for (const std::string id : {"750D00000004SkL", "750D00000004SkLIAU"}) {
    fake->pushXml(200, testing::jobInfoXml(id, "insert", "Account", "Open", "CSV"));
    EXPECT_EQ(client.attachJob(id).id, id);
  }
}

TEST(Ids, AJobIdFromTheServerThatIsNotAnIdIsRefused) {
  auto fake = std::make_shared<FakeTransport>();
  Client client(staticConfig(), fake);
  fake->pushXml(201, testing::jobInfoXml("../../x", "insert", "Account", "Open", "CSV"));
  EXPECT_THROW(client.createJob(Operation::Insert, "Account", ContentType::CSV), ParseError);
}

}  // namespace
}  // namespace sfdc::bulk
