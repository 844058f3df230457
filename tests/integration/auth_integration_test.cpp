// The server-to-server grants end to end: JWT bearer and client credentials through the
// real CurlTransport against the emulator's token endpoint, a load that outlives its
// sessions, and each refusal reaching the caller as AuthError with the server's words.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <atomic>
#include <sfdc/emulator/jwt_test_key.hpp>
#include <thread>

#include "support/emulator_fixture.hpp"

namespace sfdc::bulk::testing {
namespace {

using namespace std::chrono_literals;
using Defaults = emulator::DefaultCredentials;

JwtBearerConfig jwtConfig(const emulator::Emulator& server) {
  JwtBearerConfig jwt;
  jwt.clientId = Defaults::kClientId;
  jwt.username = Defaults::kUsername;
  jwt.privateKeyPem = emulator::kJwtTestPrivateKeyPem;
  jwt.tokenUrl = server.tokenUrl();
  return jwt;
}

ClientCredentialsConfig clientCredentialsConfig(const emulator::Emulator& server) {
  return {Defaults::kClientId, Defaults::kClientSecret, server.tokenUrl()};
}

Config configFor(const emulator::Emulator& server, ClientConfig auth) {
  Config config = emulatorConfig(server);
  config.clientConfig = std::move(auth);
  return config;
}

class ServerToServerTest : public ::testing::TestWithParam<bool> {
 protected:
  // Batches take a while, so that the load is still running when the sessions expire.
  void SetUp() override {
    emulator::EmulatorOptions options;
    options.batchLatency = 80ms;
    start(options);
  }
  void TearDown() override { server->stop(); }

  void start(emulator::EmulatorOptions options) {
    if (server) server->stop();
    server = std::make_unique<emulator::Emulator>(options);
    server->start();
  }
  ClientConfig grant() const {
    return GetParam() ? ClientConfig(jwtConfig(*server))
                      : ClientConfig(clientCredentialsConfig(*server));
  }
  long long tokenRequests() const {
    return server->stats()["endpoints"].value("POST /oauth2/token", 0LL);
  }

  std::unique_ptr<emulator::Emulator> server;
};

TEST_P(ServerToServerTest, ALoadOutlivesItsSessionsByMintingNewTokens) {
  Client client(configFor(*server, grant()), std::make_shared<CurlTransport>());
  std::vector<nlohmann::json> records;
  for (int i = 0; i < 120; ++i) {
    records.push_back(
        {{"FirstName", "F" + std::to_string(i)}, {"LastName", "L" + std::to_string(i)}});
  }
  LoadOptions options;
  options.batchSize = 5;
  options.concurrency = 1;
  options.pollMinInterval = 5ms;
  options.pollMaxInterval = 20ms;
  options.timeout = 120s;
  // Sessions expire repeatedly while batches are still being sent and polled.
  std::atomic<bool> done{false};
  std::thread expirer([&] {
    for (int i = 0; i < 4 && !done; ++i) {
      std::this_thread::sleep_for(60ms);
      server->expireSessions();
    }
  });
  const LoadResult result =
      client.load(Operation::Insert, "Contact", RecordSource::records(std::move(records)), options);
  done = true;
  expirer.join();
  EXPECT_TRUE(result.allSucceeded());
  EXPECT_EQ(result.rows.size(), 120u);
  const auto stats = server->stats();
  EXPECT_GE(tokenRequests(), 2) << stats.dump();
  EXPECT_GE(stats["statusCodes"].value("400", 0), 1) << "a session was refused: " << stats.dump();
}

TEST_P(ServerToServerTest, OneTokenServesManyCalls) {
  Client client(configFor(*server, grant()), std::make_shared<CurlTransport>());
  const Job job = client.createJob(Operation::Insert, "Account", ContentType::CSV);
  client.addBatch(job, "Name\nAcme\n");
  client.closeJob(job);
  EXPECT_EQ(tokenRequests(), 1);
}

INSTANTIATE_TEST_SUITE_P(Grants, ServerToServerTest, ::testing::Values(true, false),
                         [](const auto& info) {
                           return info.param ? "JwtBearer" : "ClientCredentials";
                         });

std::string otherPrivateKey() {
  const std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return pem;
}

struct Refusal {
  std::string name;
  std::function<emulator::EmulatorOptions()> options;
  std::function<ClientConfig(const emulator::Emulator&)> grant;
  std::string error;
  std::string description;
};

class RefusalTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(RefusalTest, IsAnAuthErrorWithTheServersDescription) {
  const Refusal& refusal = GetParam();
  emulator::Emulator server(refusal.options());
  server.start();
  {
    // Gone before the server stops, with its pooled connections.
    Client client(configFor(server, refusal.grant(server)), std::make_shared<CurlTransport>());
    try {
      client.createJob(Operation::Insert, "Account", ContentType::CSV);
      ADD_FAILURE() << "expected AuthError";
    } catch (const AuthError& e) {
      EXPECT_EQ(e.oauthError(), refusal.error);
      EXPECT_EQ(e.httpStatus(), 400);
      EXPECT_NE(std::string(e.what()).find(refusal.description), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(server.stats()["endpoints"].value("POST /job", 0), 0) << "no API call without a token";
  server.stop();
}

emulator::EmulatorOptions defaults() { return {}; }

INSTANTIATE_TEST_SUITE_P(
    ServerToServer, RefusalTest,
    ::testing::Values(Refusal{"JwtSignedWithAnotherKey", defaults,
                              [](const emulator::Emulator& s) {
                                JwtBearerConfig jwt = jwtConfig(s);
                                jwt.privateKeyPem = otherPrivateKey();
                                return ClientConfig(jwt);
                              },
                              "invalid_grant", "invalid assertion"},
                      Refusal{
                          "JwtExpired",
                          [] {
                            emulator::EmulatorOptions o;
                            o.jwtClockOffset = std::chrono::minutes(5);
                            return o;
                          },
                          [](const emulator::Emulator& s) { return ClientConfig(jwtConfig(s)); },
                          "invalid_grant", "expired authorization code"},
                      Refusal{"JwtWrongAudience", defaults,
                              [](const emulator::Emulator& s) {
                                JwtBearerConfig jwt = jwtConfig(s);
                                jwt.audience = "https://acme.my.salesforce.com";
                                return ClientConfig(jwt);
                              },
                              "invalid_grant", "audience is invalid"},
                      Refusal{"JwtUnknownUser", defaults,
                              [](const emulator::Emulator& s) {
                                JwtBearerConfig jwt = jwtConfig(s);
                                jwt.username = "nobody@example.com";
                                return ClientConfig(jwt);
                              },
                              "invalid_grant", "user hasn't approved this consumer"},
                      Refusal{"JwtUnknownClient", defaults,
                              [](const emulator::Emulator& s) {
                                JwtBearerConfig jwt = jwtConfig(s);
                                jwt.clientId = "another-app";
                                return ClientConfig(jwt);
                              },
                              "invalid_client_id", "client identifier invalid"},
                      Refusal{"ClientCredentialsWrongSecret", defaults,
                              [](const emulator::Emulator& s) {
                                auto c = clientCredentialsConfig(s);
                                c.clientSecret = "not-the-secret";
                                return ClientConfig(c);
                              },
                              "invalid_client", "invalid client credentials"},
                      Refusal{"ClientCredentialsWithoutRunAsUser",
                              [] {
                                emulator::EmulatorOptions o;
                                o.clientCredentialsUser = false;
                                return o;
                              },
                              [](const emulator::Emulator& s) {
                                return ClientConfig(clientCredentialsConfig(s));
                              },
                              "invalid_grant", "no client credentials user enabled"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace sfdc::bulk::testing
