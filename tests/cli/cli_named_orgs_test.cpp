// sfbulk --target-org NAME: the credentials of a named org from the config file (the
// per-user file, --config or SFBULK_CONFIG), in both file formats, with a default org;
// an unknown name, a file others can read, and which source wins over which.

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using Defaults = sfdc::emulator::DefaultCredentials;
using nlohmann::json;

class CliNamedOrgs : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    emulator = env;
    // No credentials in the environment: they come from the file.
    env = {{"XDG_CONFIG_HOME", file("xdg").string()}};
    userFile = file("xdg") / "sfbulk" / "config";
    fs::create_directories(userFile.parent_path());
    writeFile(file("c.csv"), "FirstName,LastName\nAda,Lovelace\nGrace,Hopper\n");
  }

  /// Two orgs in NAME=value lines: `emu` (the emulator) and `wrong` (a refused token).
  std::string iniOrgs(const std::string& defaultOrg = {}) const {
    std::string text = "# sfbulk orgs\n";
    if (!defaultOrg.empty()) text += "SFBULK_TARGET_ORG=" + defaultOrg + "\n";
    text += "\n[emu]\n";
    for (const auto& [name, value] : emulator) text += name + "=" + value + "\n";
    text += "\n[wrong]\n";
    for (const auto& [name, value] : emulator) {
      text += name + "=" + (name == "SFDC_REFRESH_TOKEN" ? std::string("revoked") : value) + "\n";
    }
    return text;
  }

  json jsonOrgs(const std::string& defaultOrg = {}) const {
    json emu = json::object();
    for (const auto& [name, value] : emulator) emu[name] = value;
    json wrong = emu;
    wrong["SFDC_REFRESH_TOKEN"] = "revoked";
    json document = {{"orgs", {{"emu", emu}, {"wrong", wrong}}}};
    if (!defaultOrg.empty()) document["SFBULK_TARGET_ORG"] = defaultOrg;
    return document;
  }

  void writePrivate(const fs::path& path, const std::string& text) {
    writeFile(path, text);
    ::chmod(path.c_str(), 0600);
  }

  std::vector<std::string> load(std::vector<std::string> extra) {
    extra.insert(extra.begin(), {"--json", "--no-results"});
    return insertContacts(file("c.csv"), extra);
  }

  std::map<std::string, std::string> emulator;
  fs::path userFile;
};

TEST_F(CliNamedOrgs, TwoOrgsInTheUserFileServeLoadQueryAndJob) {
  writePrivate(userFile, iniOrgs());

  auto r = run(load({"--target-org", "emu"}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  const json summary = json::parse(r.out);
  EXPECT_EQ(summary["succeeded"], 2);
  const std::string jobId = summary["jobId"];

  r = run({"query", "SELECT LastName FROM Contact", "--target-org", "emu", "--verbose"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, "LastName\nLovelace\nHopper\n");
  EXPECT_TRUE(contains(r.err, "refresh-token grant (from org emu)")) << r.err;

  r = run({"job", "info", jobId, "--target-org", "emu", "--json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["id"], jobId);

  // The other org's token is refused, by every command.
  for (const auto& args :
       {load({"--target-org", "wrong"}),
        std::vector<std::string>{"query", "SELECT Id FROM Contact", "--target-org", "wrong"},
        std::vector<std::string>{"job", "info", jobId, "--target-org", "wrong"}}) {
    r = run(args);
    EXPECT_EQ(r.exitCode, 3) << args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.out + r.err, "invalid_grant")) << r.out << r.err;
  }

  // The variable form.
  env["SFBULK_TARGET_ORG"] = "emu";
  r = run({"query", "SELECT LastName FROM Contact"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  env["SFBULK_TARGET_ORG"] = "wrong";
  r = run({"query", "SELECT LastName FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  // The flag wins over the variable.
  r = run({"query", "SELECT LastName FROM Contact", "--target-org", "emu"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST_F(CliNamedOrgs, JsonFileWithADefaultOrgByConfigAndVariable) {
  writePrivate(file("orgs.json"), jsonOrgs("emu").dump(2));
  auto r =
      run({"query", "SELECT Id FROM Contact", "--config", file("orgs.json").string(), "--verbose"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(from org emu)")) << "the file's default org: " << r.err;
  r = run({"query", "SELECT Id FROM Contact", "--config", file("orgs.json").string(),
           "--target-org", "wrong"});
  EXPECT_EQ(r.exitCode, 3) << r.err;

  // SFBULK_CONFIG names the file instead of the per-user one (which names no org here).
  writePrivate(userFile, iniOrgs("wrong"));
  env["SFBULK_CONFIG"] = file("orgs.json").string();
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  env.erase("SFBULK_CONFIG");
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << "the per-user file's default org is `wrong`: " << r.err;
}

TEST_F(CliNamedOrgs, AnUnknownNameListsTheOrgsAndExitsThree) {
  writePrivate(userFile, iniOrgs());
  auto r = run({"query", "SELECT Id FROM Contact", "--target-org", "prod"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "no org named 'prod'")) << r.err;
  EXPECT_TRUE(contains(r.err, userFile.string())) << r.err;
  EXPECT_TRUE(contains(r.err, "its orgs: emu, wrong")) << r.err;

  env["SFBULK_TARGET_ORG"] = "staging";
  r = run({"job", "info", "750x00000000001AAA"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "'staging' (from SFBULK_TARGET_ORG)")) << r.err;

  // A default org the file does not define.
  env.erase("SFBULK_TARGET_ORG");
  writePrivate(userFile, iniOrgs("qa"));
  r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "no org named 'qa' (from SFBULK_TARGET_ORG in " + userFile.string()))
      << r.err;

  // No config file at all.
  fs::remove(userFile);
  r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "--target-org emu: there is no config file")) << r.err;
  EXPECT_TRUE(contains(r.err, userFile.string())) << "says where to create it: " << r.err;
}

TEST_F(CliNamedOrgs, AFileOfOrgsOthersCanReadIsRefused) {
  writeFile(userFile, iniOrgs());
  for (const mode_t mode : {0644, 0640}) {
    ::chmod(userFile.c_str(), mode);
    const auto r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu"});
    EXPECT_EQ(r.exitCode, 3) << r.err;
    EXPECT_TRUE(contains(r.err, userFile.string() + " holds the secrets of named orgs")) << r.err;
    EXPECT_TRUE(contains(r.err, "chmod 600 " + userFile.string())) << r.err;
    EXPECT_EQ(r.out, "");
  }
  ::chmod(userFile.c_str(), 0600);
  const auto r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_FALSE(contains(r.err, "warning")) << r.err;
}

TEST_F(CliNamedOrgs, FlagsBeatTheOrgAndAChosenOrgIgnoresTheEnvironment) {
  writePrivate(userFile, iniOrgs());
  // Variables left over from another org: a chosen org does not read them.
  env.insert(emulator.begin(), emulator.end());
  env["SFDC_REFRESH_TOKEN"] = "stale";
  auto r = run({"query", "SELECT Id FROM Contact"});
  EXPECT_EQ(r.exitCode, 3) << "without an org the environment is used: " << r.err;
  r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu", "--verbose"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(from org emu)")) << r.err;

  // A flag overrides the org's setting of the same name.
  r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu", "--refresh-token", "bad"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  r = run({"query", "SELECT Id FROM Contact", "--target-org", "wrong", "--refresh-token",
           Defaults::kRefreshToken, "--verbose"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(from flags)")) << r.err;

  // The file's default org is one more config file source: the environment's grant wins.
  env["SFDC_REFRESH_TOKEN"] = Defaults::kRefreshToken;
  writePrivate(userFile, iniOrgs("wrong"));
  r = run({"query", "SELECT Id FROM Contact", "--verbose"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "(from the environment)")) << r.err;
}

TEST_F(CliNamedOrgs, MistakesInTheFileNameTheFileAndLine) {
  writePrivate(userFile, "[emu]\nSFDC_REFRESH_TOKN=x\n");
  auto r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, userFile.string() + ":2: unknown setting 'SFDC_REFRESH_TOKN'"))
      << r.err;

  writePrivate(userFile, "[emu]\nSFDC_CLIENT_ID=a\n[emu]\nSFDC_CLIENT_ID=b\n");
  r = run({"query", "SELECT Id FROM Contact", "--target-org", "emu"});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, ":3: org 'emu' is defined twice")) << r.err;

  writePrivate(file("bad.json"), R"({"orgs": {"emu": {"SFDC_CLIENT_ID": 7}}})");
  r = run({"query", "SELECT Id FROM Contact", "--config", file("bad.json").string()});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "orgs.emu: SFDC_CLIENT_ID must be a string")) << r.err;
}

TEST_F(CliNamedOrgs, NoOutputOverwritesTheUserFile) {
  writePrivate(userFile, iniOrgs());
  const std::string before = readFile(userFile);
  const auto r =
      run({"query", "SELECT Id FROM Contact", "--target-org", "emu", "-o", userFile.string()});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "the per-user config file")) << r.err;
  EXPECT_EQ(readFile(userFile), before);
}

}  // namespace
}  // namespace sfbulk::testing
