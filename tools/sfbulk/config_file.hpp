#pragma once

// sfbulk's config file: the SFDC_* settings of one org, and named orgs chosen with
// --target-org NAME, in a JSON object or in NAME=value lines with [NAME] sections. It is
// read from --config FILE, else $SFBULK_CONFIG, else the per-user file
// $XDG_CONFIG_HOME/sfbulk/config (~/.config/sfbulk/config) when that exists.

#include <array>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace sfbulk {

inline constexpr std::size_t kCredentialFieldCount = 13;

/// One value per credential setting, in kCredentialFields order (empty = not set).
using CredentialValues = std::array<std::string, kCredentialFieldCount>;

/// The file's key (and the variable) naming the org used when none is chosen.
inline constexpr const char* kTargetOrgName = "SFBULK_TARGET_ORG";

/// An org of the config file: its name and its settings.
struct NamedOrg {
  std::string name;
  CredentialValues values;
};

struct ConfigFile {
  std::string path;
  /// Settings outside any org: used when no org is chosen.
  CredentialValues settings;
  /// The named orgs, in file order.
  std::vector<NamedOrg> orgs;
  /// The file's SFBULK_TARGET_ORG: the org used when neither --target-org nor the
  /// variable chooses one (empty: none).
  std::string defaultOrg;

  /// The org called `name`, or nullptr.
  const NamedOrg* find(const std::string& name) const;
  /// "dev, prod" for messages; "none" when the file has no named orgs.
  std::string orgNames() const;
};

/**
 * Parses a config file: a JSON object ({"SFDC_...": "...", "SFBULK_TARGET_ORG": "dev",
 * "orgs": {"dev": {"SFDC_...": "..."}}}) or `NAME=value` lines (`#` comments, optional
 * `export ` prefix and quotes) where a `[NAME]` line starts the settings of org NAME.
 * Throws CredentialsError naming the file (and line) for an unknown setting, a malformed
 * line, or a file with named orgs and secrets that other users can read (a file of
 * settings only gets a warning on stderr).
 */
ConfigFile readConfigFile(const std::string& path);

/// Reads an environment variable; empty or unset both mean "not set".
using EnvLookup = std::function<std::string(const char* name)>;

/// The per-user config file: $XDG_CONFIG_HOME/sfbulk/config, else ~/.config/sfbulk/config
/// (empty when neither variable is set).
std::string userConfigPath(const EnvLookup& env);

/// The config file in use and what named it ("--config", "SFBULK_CONFIG" or "the
/// per-user config file"); an empty path when there is none (the per-user file counts
/// only when it exists).
std::pair<std::string, std::string> configFileInUse(const std::string& configFlag,
                                                    const EnvLookup& env);

}  // namespace sfbulk
