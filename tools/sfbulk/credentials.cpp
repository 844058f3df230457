#include "credentials.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

namespace sfbulk {

const std::array<CredentialField, kCredentialFieldCount> kCredentialFields = {{
    {"SFDC_INSTANCE_URL", "--instance-url",
     "Instance URL, e.g. https://MyDomain.my.salesforce.com (required with an access token)",
     false},
    {"SFDC_TOKEN_URL", "--token-url",
     "OAuth2 token endpoint (default https://login.salesforce.com/services/oauth2/token)", false},
    {"SFDC_CLIENT_ID", "--client-id", "Connected app consumer key", false},
    {"SFDC_CLIENT_SECRET", "--client-secret", "Connected app consumer secret", true},
    {"SFDC_REFRESH_TOKEN", "--refresh-token", "OAuth2 refresh token (refresh-token grant)", true},
    {"SFDC_USERNAME", "--username", "User name (username-password grant)", false},
    {"SFDC_PASSWORD", "--password", "Password (username-password grant)", true},
    {"SFDC_SECURITY_TOKEN", "--security-token", "Security token appended to the password", true},
    {"SFDC_ACCESS_TOKEN", "--access-token", "A session id or access token (cannot be renewed)",
     true},
    {"SFDC_API_VERSION", "--api-version", "Bulk API version (default 59.0)", false},
    {"SFDC_JWT_KEY_FILE", "--jwt-key-file",
     "PEM private key of the connected app's certificate (JWT bearer grant, with SFDC_USERNAME)",
     false},
    {"SFDC_JWT_KEY", "--jwt-key", "The same private key as PEM text, e.g. from a CI secret", true},
    {"SFDC_JWT_AUDIENCE", "--jwt-audience",
     "JWT audience (default: the token URL's host, e.g. https://login.salesforce.com)", false},
}};

namespace {

enum Field : std::size_t {
  kInstanceUrl,
  kTokenUrl,
  kClientId,
  kClientSecret,
  kRefreshToken,
  kUsername,
  kPassword,
  kSecurityToken,
  kAccessToken,
  kApiVersion,
  kJwtKeyFile,
  kJwtKey,
  kJwtAudience,
};

using Values = CredentialValues;

struct Source {
  std::string name;
  Values values;
};

const std::string& pick(const std::vector<Source>& sources, Field field) {
  for (const auto& source : sources) {
    if (!source.values[field].empty()) return source.values[field];
  }
  static const std::string none;
  return none;
}

// After the flags: the environment and the config file, or the org chosen by name.
void addConfigSources(const CredentialFlags& flags, const EnvLookup& env, const Values& fromEnv,
                      std::vector<Source>& sources) {
  const auto [namedBy, path] = configFileInUse(flags.configFile, env);
  std::string org = flags.targetOrg;
  std::string orgFrom = "--target-org";
  if (org.empty()) {
    org = env(kTargetOrgName);
    orgFrom = kTargetOrgName;
  }
  if (path.empty()) {
    sources.push_back({"the environment", fromEnv});
    if (org.empty()) return;
    const std::string user = userConfigPath(env);
    throw CredentialsError(orgFrom + " " + org + ": there is no config file to find the org in" +
                           " (create " + (user.empty() ? "~/.config/sfbulk/config" : user) +
                           ", or name one with --config FILE or SFBULK_CONFIG)");
  }
  ConfigFile file = readConfigFile(path);
  // A name the user gave replaces the environment: SFDC_* variables left over from
  // another org must not be mixed into this one.
  const bool chosen = !org.empty();
  if (!chosen && !file.defaultOrg.empty()) {
    org = file.defaultOrg;
    orgFrom = std::string(kTargetOrgName) + " in " + path;
  }
  if (!chosen) sources.push_back({"the environment", fromEnv});
  if (org.empty()) {
    sources.push_back({"config file", file.settings});
    return;
  }
  const NamedOrg* found = file.find(org);
  if (found == nullptr) {
    throw CredentialsError("no org named '" + org + "' (from " + orgFrom + ") in " + path + " (" +
                           namedBy + "); its orgs: " + file.orgNames());
  }
  sources.push_back({"org " + org, found->values});
}

const char* kHowToSet =
    "Set one of these in the environment, in a --config FILE (same names; an org of it\n"
    "with --target-org NAME), or with the matching flags (see --help):\n"
    "  SFDC_REFRESH_TOKEN + SFDC_CLIENT_ID [+ SFDC_CLIENT_SECRET]\n"
    "  SFDC_JWT_KEY_FILE (or SFDC_JWT_KEY) + SFDC_USERNAME + SFDC_CLIENT_ID   (JWT bearer)\n"
    "  SFDC_USERNAME + SFDC_PASSWORD + SFDC_CLIENT_ID [+ SFDC_CLIENT_SECRET]"
    " [+ SFDC_SECURITY_TOKEN]\n"
    "  SFDC_ACCESS_TOKEN + SFDC_INSTANCE_URL\n"
    "  SFDC_CLIENT_ID + SFDC_CLIENT_SECRET + SFDC_INSTANCE_URL (My Domain)  (client credentials)\n"
    "and SFDC_TOKEN_URL for a sandbox, My Domain or emulator login (default\n"
    "https://login.salesforce.com/services/oauth2/token). For a local emulator, run\n"
    "`sfbulk emulator` and use the exports it prints.";

// The CA bundle to trust (empty: the system's), checked readable up front so that a
// typo is reported as such and not as a TLS failure.
std::string resolveCaBundle(const CredentialFlags& flags, const EnvLookup& env) {
  std::string path = flags.caBundle;
  std::string source = "--ca-bundle";
  for (const char* name : kCaBundleVariables) {
    if (!path.empty()) break;
    path = env(name);
    source = name;
  }
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CredentialsError("cannot read the CA bundle " + path + " (from " + source +
                           "): " + std::strerror(errno));
  }
  return path;
}

}  // namespace

std::string processEnv(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

void addCredentialOptions(CLI::App& command, CredentialFlags& flags) {
  const std::string group =
      "Credentials (flags > SFDC_* environment > config file; with --target-org: flags > that "
      "org)";
  for (std::size_t i = 0; i < kCredentialFields.size(); ++i) {
    const auto& field = kCredentialFields[i];
    std::string help = std::string(field.help) + " [" + field.name + "]";
    if (field.secret) help += "; visible to other users in `ps`, prefer the variable";
    command.add_option(field.flag, flags.values[i], help)->group(group)->type_name("VALUE");
  }
  command
      .add_option("--target-org", flags.targetOrg,
                  "Use the credentials of org NAME from the config file; the SFDC_* variables "
                  "are then not read (flags still override the org's settings) "
                  "[SFBULK_TARGET_ORG]")
      ->group(group)
      ->type_name("NAME");
  command
      .add_option("--config", flags.configFile,
                  "Config file with the same SFDC_* names, and named orgs: a JSON object or "
                  "NAME=value lines with [ORG] sections [SFBULK_CONFIG; default "
                  "~/.config/sfbulk/config, or under $XDG_CONFIG_HOME, when it exists]")
      ->group(group)
      ->type_name("FILE");
  command
      .add_option("--ca-bundle", flags.caBundle,
                  "PEM file of the CA certificates to trust instead of the system's, e.g. a "
                  "private CA [CURL_CA_BUNDLE, then SSL_CERT_FILE]")
      ->group(group)
      ->type_name("FILE");
}

ResolvedCredentials resolveCredentials(const CredentialFlags& flags, const EnvLookup& env) {
  std::vector<Source> sources;
  sources.push_back({"flags", flags.values});
  Values fromEnv;
  for (std::size_t i = 0; i < kCredentialFields.size(); ++i) {
    fromEnv[i] = env(kCredentialFields[i].name);
  }
  addConfigSources(flags, env, fromEnv, sources);

  // The grant comes from the most specific source that names one; only then are the
  // remaining settings filled in field by field. SFDC_USERNAME names the username-password
  // grant only when no source holds a JWT key, since the JWT bearer grant needs it too.
  auto hasJwtKey = [](const Values& values) {
    return !values[kJwtKeyFile].empty() || !values[kJwtKey].empty();
  };
  bool anyJwtKey = false;
  for (const auto& source : sources) anyJwtKey = anyJwtKey || hasJwtKey(source.values);
  const Source* grantSource = nullptr;
  for (const auto& source : sources) {
    const Values& v = source.values;
    if (!v[kRefreshToken].empty() || hasJwtKey(v) || (!v[kUsername].empty() && !anyJwtKey) ||
        !v[kAccessToken].empty()) {
      grantSource = &source;
      break;
    }
  }
  // Without a user-bearing grant, a client id and secret alone mean client credentials.
  const bool clientCredentials =
      !grantSource && !pick(sources, kClientId).empty() && !pick(sources, kClientSecret).empty();
  if (clientCredentials) {
    for (const auto& source : sources) {
      if (!source.values[kClientSecret].empty()) {
        grantSource = &source;
        break;
      }
    }
  }
  if (!grantSource) {
    throw CredentialsError(std::string("no Salesforce credentials found.\n") + kHowToSet);
  }

  ResolvedCredentials out;
  auto& config = out.config;
  config.baseUrl = pick(sources, kInstanceUrl);
  if (!pick(sources, kApiVersion).empty()) config.apiVersion = pick(sources, kApiVersion);
  const std::string tokenUrl =
      pick(sources, kTokenUrl).empty() ? kDefaultTokenUrl : pick(sources, kTokenUrl);
  const Values& grant = grantSource->values;
  std::vector<std::string> missing;
  auto require = [&](Field field) {
    if (pick(sources, field).empty()) missing.push_back(kCredentialFields[field].name);
  };
  std::string grantName;
  if (clientCredentials) {
    grantName = "client-credentials grant";
    // Salesforce serves this grant only at the org's My Domain, which is the instance URL.
    std::string url = pick(sources, kTokenUrl);
    if (url.empty() && !config.baseUrl.empty()) {
      url = config.baseUrl;
      while (!url.empty() && url.back() == '/') url.pop_back();
      url += "/services/oauth2/token";
    }
    if (url.empty()) missing.push_back("SFDC_INSTANCE_URL (the My Domain URL) or SFDC_TOKEN_URL");
    config.clientConfig = sfdc::bulk::ClientCredentialsConfig{pick(sources, kClientId),
                                                              pick(sources, kClientSecret), url};
  } else if (!grant[kRefreshToken].empty()) {
    grantName = "refresh-token grant";
    require(kClientId);
    config.clientConfig = sfdc::bulk::RefreshTokenConfig{
        pick(sources, kClientId), pick(sources, kClientSecret), grant[kRefreshToken], tokenUrl};
  } else if (hasJwtKey(grant)) {
    grantName = "JWT bearer grant";
    require(kClientId);
    require(kUsername);
    sfdc::bulk::JwtBearerConfig jwt;
    jwt.clientId = pick(sources, kClientId);
    jwt.username = pick(sources, kUsername);
    // Both forms in one source: the text wins, as the more specific of the two.
    if (!grant[kJwtKey].empty()) {
      jwt.privateKeyPem = grant[kJwtKey];
      // CI secret stores often keep a PEM on one line with literal "\n" separators.
      if (jwt.privateKeyPem.find('\n') == std::string::npos) {
        for (auto at = jwt.privateKeyPem.find("\\n"); at != std::string::npos;
             at = jwt.privateKeyPem.find("\\n", at + 1)) {
          jwt.privateKeyPem.replace(at, 2, "\n");
        }
      }
    } else {
      jwt.privateKeyFile = grant[kJwtKeyFile];
    }
    jwt.tokenUrl = tokenUrl;
    jwt.audience = pick(sources, kJwtAudience);
    // Checked here so that a typo is a credentials error that names its source.
    if (!jwt.privateKeyFile.empty() && !std::ifstream(jwt.privateKeyFile, std::ios::binary)) {
      throw CredentialsError("cannot read the JWT private key file " + jwt.privateKeyFile +
                             " (SFDC_JWT_KEY_FILE, from " + grantSource->name +
                             "): " + std::strerror(errno));
    }
    config.clientConfig = jwt;
  } else if (!grant[kUsername].empty()) {
    grantName = "username-password grant";
    require(kClientId);
    require(kPassword);
    config.clientConfig = sfdc::bulk::PasswordConfig{
        pick(sources, kClientId), pick(sources, kClientSecret),  grant[kUsername],
        pick(sources, kPassword), pick(sources, kSecurityToken), tokenUrl};
  } else {
    grantName = "access token";
    // A bare token says nothing about where the org lives.
    require(kInstanceUrl);
    config.clientConfig = sfdc::bulk::AccessTokenConfig{grant[kAccessToken]};
  }
  if (!missing.empty()) {
    std::string names;
    for (const auto& name : missing) names += (names.empty() ? "" : ", ") + name;
    throw CredentialsError("the " + grantName + " (from " + grantSource->name +
                           ") also needs: " + names + ".\n" + kHowToSet);
  }
  out.description = grantName + " (from " + grantSource->name + ")";
  out.curl.caBundle = resolveCaBundle(flags, env);
  return out;
}

}  // namespace sfbulk
