#pragma once

// Where sfbulk gets its Salesforce credentials: command-line flags, then the SFDC_*
// environment variables the examples read, then a config file (--config FILE,
// $SFBULK_CONFIG or the per-user file) holding the same names, or an org of that file
// chosen by name (--target-org NAME, $SFBULK_TARGET_ORG). Values never reach
// stdout/stderr. The CA bundle to trust comes from --ca-bundle, then CURL_CA_BUNDLE,
// then SSL_CERT_FILE.

#include <array>
#include <functional>
#include <optional>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/curl_transport.hpp>
#include <stdexcept>
#include <string>

#include "config_file.hpp"

namespace CLI {
class App;
}

namespace sfbulk {

/// One credential setting: its environment/config-file name and its flag.
struct CredentialField {
  const char* name;  ///< e.g. SFDC_CLIENT_ID (also the key in a config file)
  const char* flag;  ///< e.g. --client-id
  const char* help;
  bool secret;
};

extern const std::array<CredentialField, kCredentialFieldCount> kCredentialFields;

/// The default OAuth2 token endpoint when SFDC_TOKEN_URL is not set.
inline constexpr const char* kDefaultTokenUrl =
    "https://login.salesforce.com/services/oauth2/token";

/// Flag values as parsed (empty = not given), in kCredentialFields order.
struct CredentialFlags {
  std::array<std::string, kCredentialFieldCount> values;
  std::string configFile;
  std::string targetOrg;
  std::string caBundle;
};

/// Environment variables naming a CA bundle, in order of precedence (after --ca-bundle).
inline constexpr const char* kCaBundleVariables[] = {"CURL_CA_BUNDLE", "SSL_CERT_FILE"};

/// Adds the credential flags, --config and --ca-bundle to a (sub)command, in a
/// "Credentials" group.
void addCredentialOptions(CLI::App& command, CredentialFlags& flags);

/// Credentials are missing, contradictory, or the config file is unusable (exit 3).
class CredentialsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The process's environment.
std::string processEnv(const char* name);

/// What resolveCredentials found (the description names sources, never values).
struct ResolvedCredentials {
  sfdc::bulk::Config config;
  /// Transport settings: the CA bundle to trust, when one was given.
  sfdc::bulk::CurlOptions curl;
  std::string description;  ///< e.g. "refresh-token grant (from the environment)"
};

/**
 * Builds a Config. Each setting is taken from the first source that has it: flags,
 * environment, config file. An org chosen by name (--target-org, else SFBULK_TARGET_ORG)
 * takes the place of the environment and of the file's other settings: flags, then that
 * org. The file's own SFBULK_TARGET_ORG (its default org) stands for the file's settings:
 * flags, environment, then that org. An unknown name is a CredentialsError listing the
 * file's orgs. The grant comes from the first source that names one, so that
 * a flag such as --access-token is not overridden by an SFDC_REFRESH_TOKEN left in the
 * environment. Within one source: SFDC_REFRESH_TOKEN, then a JWT key (SFDC_JWT_KEY, then
 * SFDC_JWT_KEY_FILE), then SFDC_USERNAME (username-password; not when any source has a
 * JWT key), then SFDC_ACCESS_TOKEN. When no source names one of those, SFDC_CLIENT_ID +
 * SFDC_CLIENT_SECRET mean the client-credentials grant at SFDC_TOKEN_URL, else at
 * SFDC_INSTANCE_URL's /services/oauth2/token.
 * Throws CredentialsError with a message that says which variables to set, or which
 * CA bundle cannot be read.
 */
ResolvedCredentials resolveCredentials(const CredentialFlags& flags,
                                       const EnvLookup& env = processEnv);

}  // namespace sfbulk
