#include "credentials.hpp"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

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

using Values = std::array<std::string, kCredentialFieldCount>;

struct Source {
  const char* name;
  Values values;
};

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::optional<std::size_t> fieldIndex(const std::string& name) {
  for (std::size_t i = 0; i < kCredentialFields.size(); ++i) {
    if (name == kCredentialFields[i].name) return i;
  }
  return std::nullopt;
}

[[noreturn]] void unknownKey(const std::string& path, const std::string& where,
                             const std::string& key) {
  // A misspelt name would otherwise be ignored silently and surface later as a
  // confusing "no credentials" or login failure.
  std::string names;
  for (const auto& field : kCredentialFields)
    names += std::string(names.empty() ? "" : ", ") + field.name;
  throw CredentialsError(path + where + ": unknown setting '" + key + "' (known: " + names + ")");
}

Values parseJson(const std::string& path, const std::string& text) {
  Values values;
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw CredentialsError(path + ": not valid JSON (" + e.what() + ")");
  }
  if (!document.is_object()) throw CredentialsError(path + ": expected a JSON object");
  for (const auto& [key, value] : document.items()) {
    const auto index = fieldIndex(key);
    if (!index) unknownKey(path, "", key);
    if (!value.is_string()) throw CredentialsError(path + ": " + key + " must be a string");
    values[*index] = value.get<std::string>();
  }
  return values;
}

Values parseKeyValue(const std::string& path, const std::string& text) {
  Values values;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    // Accept shell-style `export NAME=value` so that one file can serve both `source`
    // and --config.
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto eq = line.find('=');
    const std::string where = ":" + std::to_string(number);
    if (eq == std::string::npos) {
      throw CredentialsError(path + where + ": expected NAME=value");
    }
    const std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    const auto index = fieldIndex(key);
    if (!index) unknownKey(path, where, key);
    values[*index] = value;
  }
  return values;
}

const std::string& pick(const std::vector<Source>& sources, Field field) {
  for (const auto& source : sources) {
    if (!source.values[field].empty()) return source.values[field];
  }
  static const std::string none;
  return none;
}

const char* kHowToSet =
    "Set one of these in the environment, in a --config FILE (same names), or with the\n"
    "matching flags (see --help):\n"
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
  const std::string group = "Credentials (flags > SFDC_* environment > config file)";
  for (std::size_t i = 0; i < kCredentialFields.size(); ++i) {
    const auto& field = kCredentialFields[i];
    std::string help = std::string(field.help) + " [" + field.name + "]";
    if (field.secret) help += "; visible to other users in `ps`, prefer the variable";
    command.add_option(field.flag, flags.values[i], help)->group(group)->type_name("VALUE");
  }
  command
      .add_option("--config", flags.configFile,
                  "Config file with the same SFDC_* names: a JSON object or NAME=value lines "
                  "[SFBULK_CONFIG]")
      ->group(group)
      ->type_name("FILE");
  command
      .add_option("--ca-bundle", flags.caBundle,
                  "PEM file of the CA certificates to trust instead of the system's, e.g. a "
                  "private CA [CURL_CA_BUNDLE, then SSL_CERT_FILE]")
      ->group(group)
      ->type_name("FILE");
}

std::array<std::string, kCredentialFieldCount> readConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CredentialsError("cannot read config file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  const auto first = content.find_first_not_of(" \t\r\n");
  Values values = first != std::string::npos && content[first] == '{'
                      ? parseJson(path, content)
                      : parseKeyValue(path, content);

  bool holdsSecret = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    holdsSecret = holdsSecret || (kCredentialFields[i].secret && !values[i].empty());
  }
  struct stat info {};
  if (holdsSecret && ::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    std::cerr << "sfbulk: warning: " << path
              << " holds secrets and is readable by other users; run: chmod 600 " << path << "\n";
  }
  return values;
}

ResolvedCredentials resolveCredentials(const CredentialFlags& flags, const EnvLookup& env) {
  std::vector<Source> sources;
  sources.push_back({"flags", flags.values});
  Values fromEnv;
  for (std::size_t i = 0; i < kCredentialFields.size(); ++i) {
    fromEnv[i] = env(kCredentialFields[i].name);
  }
  sources.push_back({"the environment", fromEnv});
  std::string configFile = flags.configFile.empty() ? env("SFBULK_CONFIG") : flags.configFile;
  if (!configFile.empty()) sources.push_back({"config file", readConfigFile(configFile)});

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
