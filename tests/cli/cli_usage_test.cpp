// sfbulk's contract with scripts and users: --help everywhere, usage errors (exit 2),
// credentials from flags, environment and config files (exit 3 when missing), secrets
// never printed, network errors (exit 6), and `sfbulk emulator`.

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sfdc/bulk/version.hpp>
#include <sfdc/emulator/jwt_test_key.hpp>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using nlohmann::json;

class CliUsage : public CliTest {
 protected:
  void clearCredentials() { env.clear(); }
};

TEST_F(CliUsage, HelpForEveryCommand) {
  const std::vector<std::vector<std::string>> commands = {{},
                                                          {"load"},
                                                          {"query"},
                                                          {"job"},
                                                          {"job", "info"},
                                                          {"job", "close"},
                                                          {"job", "abort"},
                                                          {"job", "batches"},
                                                          {"job", "results"},
                                                          {"emulator"}};
  for (auto command : commands) {
    command.push_back("--help");
    const auto r = run(command);
    const std::string name = command.size() > 1 ? command[command.size() - 2] : "sfbulk";
    EXPECT_EQ(r.exitCode, 0) << name;
    EXPECT_TRUE(contains(r.out, "Usage:")) << name << "\n" << r.out;
    EXPECT_EQ(r.err, "") << name;
  }
  const auto top = run({"--help"});
  EXPECT_TRUE(contains(top.out, "SFDC_REFRESH_TOKEN"));
  EXPECT_TRUE(contains(top.out, "Exit codes:"));
  EXPECT_TRUE(contains(run({"load", "--help"}).out, "--external-id"));
  EXPECT_TRUE(contains(run({"query", "--help"}).out, "--pk-chunking"));
  EXPECT_TRUE(contains(run({"job", "results", "--help"}).out, "BATCH_ID"));
  EXPECT_TRUE(contains(run({"emulator", "--help"}).out, "--port"));
}

TEST_F(CliUsage, VersionFlag) {
  const auto r = run({"--version"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, std::string("sfbulk ") + sfdc::bulk::kVersion + "\n");
}

TEST_F(CliUsage, BadArgumentsExitTwoWithAHint) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  writeFile(file("c.csv"), "LastName\nX\n");
  const std::string csv = file("c.csv").string();
  const std::vector<Case> cases = {
      {{}, "A subcommand is required"},
      {{"frobnicate"}, "frobnicate"},
      {{"load", "--object", "Contact", "--file", csv}, "--operation is required"},
      {{"load", "--object", "Contact", "--operation", "merge", "--file", csv}, "merge"},
      {{"load", "--object", "Contact", "--operation", "insert", "--file", csv, "--batch-size",
        "20000"},
       "--batch-size"},
      {{"load", "--object", "Contact", "--operation", "insert", "--file", csv, "--format", "yaml"},
       "yaml"},
      {{"load", "--object", "Contact", "--operation", "upsert", "--file", csv}, "--external-id"},
      {{"load", "--object", "Contact", "--operation", "insert", "--file", csv, "--external-id",
        "X__c"},
       "--external-id is only for"},
      {{"load", "--object", "Contact", "--operation", "insert", "--file", csv, "--bogus"},
       "--bogus"},
      {{"query"}, "give the query either as an argument or with --query-file FILE"},
      {{"query", "SELECT Id FROM Contact", "--pk-chunking", "0"}, "--pk-chunking"},
      {{"job"}, "A subcommand is required"},
      {{"job", "info"}, "JOB_ID is required"},
      {{"job", "results", "750x00000000001AAA"}, "BATCH_ID is required"},
      {{"emulator", "--port", "70000"}, "--port"},
  };
  for (const auto& c : cases) {
    const auto r = run(c.args);
    std::string shown;
    for (const auto& arg : c.args) shown += arg + " ";
    EXPECT_EQ(r.exitCode, 2) << shown << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << shown << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, "--help")) << shown << "\n" << r.err;
    EXPECT_EQ(r.out, "") << shown;
  }
}

TEST_F(CliUsage, AMistypedSecretFlagDoesNotEchoTheSecret) {
  const auto r = run({"query", "SELECT Id FROM Contact", "--pasword", "hunter2-secret",
                      "--client-secret=other-secret"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "--pasword")) << r.err;
  EXPECT_FALSE(contains(r.err, "hunter2-secret")) << r.err;
  EXPECT_FALSE(contains(r.err, "other-secret")) << r.err;
}

TEST_F(CliUsage, MissingCredentialsNameTheVariablesToSet) {
  clearCredentials();
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"job", "info", "750x00000000001AAA"}, {"query", "SELECT Id FROM Contact"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, 3) << r.err;
    for (const char* name :
         {"SFDC_REFRESH_TOKEN", "SFDC_CLIENT_ID", "SFDC_USERNAME", "SFDC_PASSWORD",
          "SFDC_ACCESS_TOKEN", "SFDC_INSTANCE_URL", "SFDC_TOKEN_URL", "--config"}) {
      EXPECT_TRUE(contains(r.err, name)) << name << "\n" << r.err;
    }
  }
  env = {{"SFDC_ACCESS_TOKEN", "x"}};
  const auto r = run({"job", "info", "750x00000000001AAA"});
  EXPECT_EQ(r.exitCode, 3);
  EXPECT_TRUE(contains(r.err, "also needs: SFDC_INSTANCE_URL")) << r.err;
}

TEST_F(CliUsage, RejectedCredentialsExitThree) {
  env["SFDC_REFRESH_TOKEN"] = "not-the-refresh-token";
  auto r = run({"job", "batches", "750x00000000001AAA"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "invalid_grant")) << r.err;

  env = {{"SFDC_INSTANCE_URL", server->url()}, {"SFDC_ACCESS_TOKEN", "00Dxx!expired"}};
  r = run({"job", "batches", "750x00000000001AAA"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "SFDC_REFRESH_TOKEN")) << r.err;
}

TEST_F(CliUsage, FlagsOverrideTheEnvironment) {
  const std::string goodToken = env["SFDC_REFRESH_TOKEN"];
  env["SFDC_REFRESH_TOKEN"] = "stale";
  const auto r = run({"query", "SELECT Id FROM Contact", "--refresh-token", goodToken});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  // A grant named by a flag wins over a different grant in the environment.
  const auto token = server->issueAccessToken();
  const auto viaToken = run({"query", "SELECT Id FROM Contact", "--access-token", token});
  EXPECT_EQ(viaToken.exitCode, 0) << viaToken.err;
}

TEST_F(CliUsage, ConfigFileJsonAndKeyValue) {
  const auto saved = env;
  clearCredentials();
  json config = json::object();
  for (const auto& [name, value] : saved) config[name] = value;
  writeFile(file("sfbulk.json"), config.dump());
  ::chmod(file("sfbulk.json").c_str(), 0600);
  auto r = run({"query", "SELECT Id FROM Contact", "--config", file("sfbulk.json").string()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;

  std::string keyValue = "# sfbulk credentials\n";
  for (const auto& [name, value] : saved) keyValue += "export " + name + "=\"" + value + "\"\n";
  writeFile(file("sfbulk.env"), keyValue);
  ::chmod(file("sfbulk.env").c_str(), 0644);
  env["SFBULK_CONFIG"] = file("sfbulk.env").string();
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "chmod 600")) << "a world-readable file with secrets is flagged";

  writeFile(file("typo.env"), "SFDC_REFRESH_TOKN=x\n");
  r = run({"query", "SELECT Id FROM Contact", "--config", file("typo.env").string()});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "SFDC_REFRESH_TOKN")) << r.err;

  r = run({"query", "SELECT Id FROM Contact", "--config", file("missing.env").string()});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "missing.env")) << r.err;
}

TEST_F(CliUsage, SecretsAreNeverPrinted) {
  using Defaults = sfdc::emulator::DefaultCredentials;
  writeFile(file("c.csv"), "FirstName,LastName\nAda,Lovelace\nGrace,\n");
  const std::string accessToken = server->issueAccessToken();
  std::vector<RunResult> results;
  auto runAll = [&] {
    results.push_back(run({"load", "--object", "Contact", "--operation", "insert", "--file",
                           file("c.csv").string(), "--verbose", "--json"}));
    results.push_back(run({"query", "SELECT Id FROM Contact", "--verbose"}));
    results.push_back(run({"job", "info", "750x0000000099ZAAA", "--verbose"}));
  };
  runAll();
  // Username-password grant with the secret on the command line, and a bad password.
  env = {{"SFDC_TOKEN_URL", server->tokenUrl()},
         {"SFDC_CLIENT_ID", Defaults::kClientId},
         {"SFDC_USERNAME", Defaults::kUsername},
         {"SFDC_SECURITY_TOKEN", Defaults::kSecurityToken}};
  results.push_back(run({"query", "SELECT Id FROM Contact", "--verbose", "--password",
                         Defaults::kPassword, "--client-secret", Defaults::kClientSecret}));
  results.push_back(run({"query", "SELECT Id FROM Contact", "--verbose", "--password",
                         "wrong-password-123", "--client-secret", Defaults::kClientSecret}));
  env = {{"SFDC_INSTANCE_URL", server->url()}, {"SFDC_ACCESS_TOKEN", accessToken}};
  runAll();
  // JWT bearer with the key in a file, then as text in the environment, then a refused
  // assertion; client credentials, then a refused secret.
  writeFile(file("jwt.key"), sfdc::emulator::kJwtTestPrivateKeyPem);
  ::chmod(file("jwt.key").c_str(), 0600);
  env = {{"SFDC_INSTANCE_URL", server->url()},
         {"SFDC_TOKEN_URL", server->tokenUrl()},
         {"SFDC_CLIENT_ID", Defaults::kClientId},
         {"SFDC_USERNAME", Defaults::kUsername},
         {"SFDC_JWT_KEY_FILE", file("jwt.key").string()}};
  runAll();
  env.erase("SFDC_JWT_KEY_FILE");
  // On one line with literal "\n" separators, as CI secret stores often keep it.
  std::string oneLine = sfdc::emulator::kJwtTestPrivateKeyPem;
  for (auto at = oneLine.find('\n'); at != std::string::npos; at = oneLine.find('\n', at)) {
    oneLine.replace(at, 1, "\\n");
  }
  env["SFDC_JWT_KEY"] = oneLine;
  results.push_back(run({"query", "SELECT Id FROM Contact", "--verbose"}));
  env["SFDC_USERNAME"] = "nobody@example.com";
  results.push_back(run({"query", "SELECT Id FROM Contact", "--verbose"}));
  env = {{"SFDC_INSTANCE_URL", server->url()},
         {"SFDC_CLIENT_ID", Defaults::kClientId},
         {"SFDC_CLIENT_SECRET", Defaults::kClientSecret}};
  runAll();
  results.push_back(
      run({"query", "SELECT Id FROM Contact", "--verbose", "--client-secret", "wrong-secret-456"}));

  ASSERT_EQ(results.size(), 17u);
  EXPECT_EQ(results[9].exitCode, 0) << results[9].err;
  EXPECT_EQ(results[11].exitCode, 0) << results[11].err;
  EXPECT_EQ(results[12].exitCode, 3) << results[12].err;
  EXPECT_EQ(results[14].exitCode, 0) << results[14].err;
  EXPECT_EQ(results[16].exitCode, 3) << results[16].err;
  EXPECT_EQ(results[3].exitCode, 0) << results[3].err;
  EXPECT_EQ(results[4].exitCode, 3) << results[4].err;
  EXPECT_TRUE(contains(results[0].err, "[debug] POST http"))
      << "--verbose logs requests: " << results[0].err;
  // Every line of the private key's body, and any signed JWT (an assertion).
  std::vector<std::string> secrets = {std::string(Defaults::kClientSecret),
                                      std::string(Defaults::kRefreshToken),
                                      std::string(Defaults::kPassword) + Defaults::kSecurityToken,
                                      "wrong-password-123",
                                      "wrong-secret-456",
                                      accessToken,
                                      "eyJ"};
  for (const auto& line : lines(sfdc::emulator::kJwtTestPrivateKeyPem)) {
    if (line.rfind("-----", 0) != 0) secrets.push_back(line);
  }
  for (const auto& r : results) {
    for (const std::string& secret : secrets) {
      EXPECT_FALSE(contains(r.out, secret)) << secret << " in stdout:\n" << r.out;
      EXPECT_FALSE(contains(r.err, secret)) << secret << " in stderr:\n" << r.err;
    }
  }
}

TEST_F(CliUsage, UnreachableServerIsANetworkError) {
  // A port that was just free: nothing listens there.
  sfdc::emulator::Emulator gone;
  gone.start();
  const std::string url = gone.url();
  gone.stop();
  env = {{"SFDC_INSTANCE_URL", url}, {"SFDC_ACCESS_TOKEN", "token"}};
  const auto r = run({"job", "info", "750x00000000001AAA", "--quiet"});
  EXPECT_EQ(r.exitCode, 6) << r.err;
  EXPECT_TRUE(contains(r.err, "SFDC_INSTANCE_URL")) << r.err;
}

TEST_F(CliUsage, EmulatorCommandServesUntilSigterm) {
  Child emulator({"emulator", "--port", "0"}, {}, dir);
  std::smatch match;
  std::string out;
  const std::regex listening("listening on (http://127\\.0\\.0\\.1:[0-9]+)\n");
  for (int i = 0; i < 500 && !std::regex_search(out, match, listening); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    out = emulator.currentOut();
  }
  ASSERT_TRUE(std::regex_search(out, match, listening)) << out;
  const std::string url = match[1];
  EXPECT_TRUE(contains(out, "export SFDC_INSTANCE_URL=" + url)) << out;
  EXPECT_TRUE(contains(out, "export SFDC_TOKEN_URL=" + url + "/services/oauth2/token")) << out;

  // The printed exports are enough to use it.
  std::map<std::string, std::string> printed;
  const std::regex exportLine("export (SFDC_[A-Z_]+)=(\\S+)");
  for (std::sregex_iterator it(out.begin(), out.end(), exportLine), end; it != end; ++it) {
    printed[(*it)[1]] = (*it)[2];
  }
  env = printed;
  writeFile(file("c.csv"), "LastName\nLovelace\n");
  const auto load = run(
      {"load", "--object", "Contact", "--operation", "insert", "--file", file("c.csv").string()});
  EXPECT_EQ(load.exitCode, 0) << load.err;

  emulator.signal(SIGTERM);
  const auto r = emulator.wait(std::chrono::seconds(20));
  EXPECT_EQ(r.exitCode, 0) << r.err;
}

}  // namespace
}  // namespace sfbulk::testing
