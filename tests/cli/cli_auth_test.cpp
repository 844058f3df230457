// sfbulk with the server-to-server grants: JWT bearer (key file, key text in a config
// file) and client credentials end to end against the emulator, which source wins, the
// refusals (exit 3 with the server's description), and never a key or secret in output.

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <sfdc/emulator/jwt_test_key.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using Defaults = sfdc::emulator::DefaultCredentials;
using nlohmann::json;

class CliAuth : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    keyFile = file("connected-app.key");
    writeFile(keyFile, sfdc::emulator::kJwtTestPrivateKeyPem);
    ::chmod(keyFile.c_str(), 0600);
    writeFile(file("c.csv"), "FirstName,LastName\nAda,Lovelace\nGrace,Hopper\n");
  }

  std::map<std::string, std::string> jwtEnv() const {
    return {{"SFDC_INSTANCE_URL", server->url()},
            {"SFDC_TOKEN_URL", server->tokenUrl()},
            {"SFDC_CLIENT_ID", Defaults::kClientId},
            {"SFDC_USERNAME", Defaults::kUsername},
            {"SFDC_JWT_KEY_FILE", keyFile.string()}};
  }
  std::map<std::string, std::string> clientCredentialsEnv() const {
    return {{"SFDC_INSTANCE_URL", server->url()},
            {"SFDC_CLIENT_ID", Defaults::kClientId},
            {"SFDC_CLIENT_SECRET", Defaults::kClientSecret}};
  }
  RunResult load() {
    return run({"load", "--object", "Contact", "--operation", "insert", "--file",
                file("c.csv").string(), "--json", "--verbose"});
  }
  RunResult query() { return run({"query", "SELECT LastName FROM Contact", "--verbose"}); }

  fs::path keyFile;
};

TEST_F(CliAuth, JwtBearerFromTheEnvironmentLoadsAndQueries) {
  env = jwtEnv();
  const auto loaded = load();
  ASSERT_EQ(loaded.exitCode, 0) << loaded.err;
  EXPECT_EQ(json::parse(loaded.out)["succeeded"], 2);
  EXPECT_TRUE(contains(loaded.err, "using the JWT bearer grant (from the environment)"))
      << loaded.err;
  const auto queried = query();
  ASSERT_EQ(queried.exitCode, 0) << queried.err;
  EXPECT_TRUE(contains(queried.out, "Lovelace")) << queried.out;
}

TEST_F(CliAuth, JwtKeyTextFromAConfigFileWithAnExplicitAudience) {
  // The key as one config-file value (a CI secret pasted whole), JSON-escaped.
  const json config = {{"SFDC_CLIENT_ID", Defaults::kClientId},
                       {"SFDC_USERNAME", Defaults::kUsername},
                       {"SFDC_JWT_KEY", sfdc::emulator::kJwtTestPrivateKeyPem},
                       {"SFDC_JWT_AUDIENCE", "https://test.salesforce.com"}};
  writeFile(file("sfbulk.json"), config.dump());
  ::chmod(file("sfbulk.json").c_str(), 0600);
  env = {{"SFDC_INSTANCE_URL", server->url()}, {"SFDC_TOKEN_URL", server->tokenUrl()}};
  const auto r = run(
      {"query", "SELECT Id FROM Contact", "--verbose", "--config", file("sfbulk.json").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "using the JWT bearer grant (from config file)")) << r.err;
}

TEST_F(CliAuth, ClientCredentialsUseTheInstanceUrlsTokenEndpoint) {
  env = clientCredentialsEnv();
  const auto loaded = load();
  ASSERT_EQ(loaded.exitCode, 0) << loaded.err;
  EXPECT_TRUE(contains(loaded.err, "using the client-credentials grant (from the environment)"))
      << loaded.err;
  EXPECT_TRUE(contains(loaded.err, "requesting an access token from " + server->tokenUrl()))
      << loaded.err;
  const auto queried = query();
  ASSERT_EQ(queried.exitCode, 0) << queried.err;
  EXPECT_TRUE(contains(queried.out, "Hopper")) << queried.out;
}

TEST_F(CliAuth, TheFirstSourceNamingAGrantWins) {
  // A JWT key flag beats a refresh token left in the environment (a bad one here).
  env = jwtEnv();
  env.erase("SFDC_JWT_KEY_FILE");
  env["SFDC_REFRESH_TOKEN"] = "stale-refresh-token";
  auto r =
      run({"query", "SELECT Id FROM Contact", "--verbose", "--jwt-key-file", keyFile.string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "JWT bearer grant (from flags)")) << r.err;

  // A JWT key anywhere turns SFDC_USERNAME into the JWT bearer grant's subject rather than
  // a username-password grant without a password.
  writeFile(file("jwt.env"), "SFDC_JWT_KEY_FILE=" + keyFile.string() + "\n");
  env = jwtEnv();
  env.erase("SFDC_JWT_KEY_FILE");
  r = run({"query", "SELECT Id FROM Contact", "--verbose", "--config", file("jwt.env").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "JWT bearer grant (from config file)")) << r.err;

  // A refresh token in the environment beats client credentials.
  env = clientCredentialsEnv();
  env["SFDC_TOKEN_URL"] = server->tokenUrl();
  env["SFDC_REFRESH_TOKEN"] = Defaults::kRefreshToken;
  r = run({"query", "SELECT Id FROM Contact", "--verbose"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "refresh-token grant")) << r.err;
}

TEST_F(CliAuth, RefusalsExitThreeWithTheServersDescription) {
  struct Case {
    std::map<std::string, std::string> env;
    std::string description;
  };
  auto unknownUser = jwtEnv();
  unknownUser["SFDC_USERNAME"] = "nobody@example.com";
  auto wrongAudience = jwtEnv();
  wrongAudience["SFDC_JWT_AUDIENCE"] = "https://acme.my.salesforce.com";
  auto wrongSecret = clientCredentialsEnv();
  wrongSecret["SFDC_CLIENT_SECRET"] = "not-the-secret";
  const std::vector<Case> cases = {
      {unknownUser, "invalid_grant - user hasn't approved this consumer"},
      {wrongAudience, "invalid_grant - audience is invalid"},
      {wrongSecret, "invalid_client - invalid client credentials"},
  };
  for (const auto& c : cases) {
    env = c.env;
    const auto r = run({"query", "SELECT Id FROM Contact"});
    EXPECT_EQ(r.exitCode, 3) << r.err;
    EXPECT_TRUE(contains(r.err, c.description)) << r.err;
    EXPECT_TRUE(contains(r.err, "authentication failed")) << r.err;
  }
}

TEST_F(CliAuth, MissingPartsAreNamedAndExitThree) {
  env = jwtEnv();
  env["SFDC_JWT_KEY_FILE"] = file("no-such.key").string();
  auto r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(
      contains(r.err, "cannot read the JWT private key file " + file("no-such.key").string()))
      << r.err;

  env = jwtEnv();
  env.erase("SFDC_USERNAME");
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "JWT bearer grant (from the environment) also needs: SFDC_USERNAME"))
      << r.err;

  env = clientCredentialsEnv();
  env.erase("SFDC_INSTANCE_URL");
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "SFDC_INSTANCE_URL (the My Domain URL) or SFDC_TOKEN_URL")) << r.err;

  writeFile(file("not-a-key.pem"),
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  env = jwtEnv();
  env["SFDC_JWT_KEY_FILE"] = file("not-a-key.pem").string();
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_NE(r.exitCode, 0);
  EXPECT_TRUE(contains(r.err, "holds no readable private key")) << r.err;
}

TEST_F(CliAuth, HelpListsTheNewSettings) {
  const auto r = run({"query", "--help"});
  for (const char* flag : {"--jwt-key-file", "--jwt-key", "--jwt-audience"}) {
    EXPECT_TRUE(contains(r.out, flag)) << flag;
  }
  const auto top = run({"--help"});
  EXPECT_TRUE(contains(top.out, "SFDC_JWT_KEY_FILE")) << top.out;
  EXPECT_TRUE(contains(top.out, "(client credentials)")) << top.out;
}

}  // namespace
}  // namespace sfbulk::testing
