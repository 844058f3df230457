#include "config_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "credentials.hpp"

namespace sfbulk {

namespace {

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
                             const std::string& key, bool topLevel) {
  // A misspelt name would otherwise be ignored silently and surface later as a
  // confusing "no credentials" or login failure.
  std::string names;
  for (const auto& field : kCredentialFields)
    names += std::string(names.empty() ? "" : ", ") + field.name;
  if (topLevel) names += std::string(", ") + kTargetOrgName;
  throw CredentialsError(path + where + ": unknown setting '" + key + "' (known: " + names + ")");
}

// Org names appear on command lines and in [NAME] lines: keep them to plain characters.
void checkOrgName(const std::string& path, const std::string& where, const std::string& name) {
  const bool plain = !name.empty() && name.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_.-") == std::string::npos;
  if (!plain) {
    throw CredentialsError(path + where + ": org name '" + name +
                           "' may hold only letters, digits, '_', '.' and '-'");
  }
}

NamedOrg& addOrg(ConfigFile& file, const std::string& where, const std::string& name) {
  checkOrgName(file.path, where, name);
  if (file.find(name) != nullptr) {
    throw CredentialsError(file.path + where + ": org '" + name + "' is defined twice");
  }
  file.orgs.push_back({name, {}});
  return file.orgs.back();
}

void parseJsonSettings(const std::string& path, const std::string& where,
                       const nlohmann::json& object, CredentialValues& values) {
  for (const auto& [key, value] : object.items()) {
    const auto index = fieldIndex(key);
    if (!index) unknownKey(path, where, key, false);
    if (!value.is_string()) throw CredentialsError(path + where + ": " + key + " must be a string");
    values[*index] = value.get<std::string>();
  }
}

ConfigFile parseJson(const std::string& path, const std::string& text) {
  ConfigFile file;
  file.path = path;
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw CredentialsError(path + ": not valid JSON (" + e.what() + ")");
  }
  if (!document.is_object()) throw CredentialsError(path + ": expected a JSON object");
  for (const auto& [key, value] : document.items()) {
    if (key == "orgs") {
      if (!value.is_object()) {
        throw CredentialsError(path + ": orgs must be an object of org name → settings");
      }
      for (const auto& [name, settings] : value.items()) {
        const std::string where = ": orgs." + name;
        NamedOrg& org = addOrg(file, where, name);
        if (!settings.is_object()) throw CredentialsError(path + where + " must be an object");
        parseJsonSettings(path, where, settings, org.values);
      }
      continue;
    }
    if (key == kTargetOrgName) {
      if (!value.is_string()) throw CredentialsError(path + ": " + key + " must be a string");
      file.defaultOrg = value.get<std::string>();
      continue;
    }
    const auto index = fieldIndex(key);
    if (!index) unknownKey(path, "", key, true);
    if (!value.is_string()) throw CredentialsError(path + ": " + key + " must be a string");
    file.settings[*index] = value.get<std::string>();
  }
  return file;
}

ConfigFile parseKeyValue(const std::string& path, const std::string& text) {
  ConfigFile file;
  file.path = path;
  CredentialValues* section = &file.settings;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const std::string where = ":" + std::to_string(number);
    if (line.front() == '[') {
      if (line.back() != ']') throw CredentialsError(path + where + ": expected [ORG_NAME]");
      section = &addOrg(file, where, trim(line.substr(1, line.size() - 2))).values;
      continue;
    }
    // Accept shell-style `export NAME=value` so that one file can serve both `source`
    // and --config.
    if (line.rfind("export ", 0) == 0) line = trim(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw CredentialsError(path + where + ": expected NAME=value or [ORG_NAME]");
    }
    const std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    const bool topLevel = section == &file.settings;
    if (topLevel && key == kTargetOrgName) {
      file.defaultOrg = value;
      continue;
    }
    const auto index = fieldIndex(key);
    if (!index) unknownKey(path, where, key, topLevel);
    (*section)[*index] = value;
  }
  return file;
}

bool holdsSecret(const CredentialValues& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (kCredentialFields[i].secret && !values[i].empty()) return true;
  }
  return false;
}

}  // namespace

const NamedOrg* ConfigFile::find(const std::string& name) const {
  for (const auto& org : orgs) {
    if (org.name == name) return &org;
  }
  return nullptr;
}

std::string ConfigFile::orgNames() const {
  std::string names;
  for (const auto& org : orgs) names += (names.empty() ? "" : ", ") + org.name;
  return names.empty() ? "none" : names;
}

ConfigFile readConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CredentialsError("cannot read config file " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string content = text.str();
  const auto first = content.find_first_not_of(" \t\r\n");
  ConfigFile file = first != std::string::npos && content[first] == '{'
                        ? parseJson(path, content)
                        : parseKeyValue(path, content);

  bool secrets = holdsSecret(file.settings);
  for (const auto& org : file.orgs) secrets = secrets || holdsSecret(org.values);
  struct stat info {};
  if (secrets && ::stat(path.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
    // A file of several orgs' secrets is refused outright, as ssh refuses a private key
    // others can read; a file of one org's settings keeps working, with a warning.
    if (!file.orgs.empty()) {
      throw CredentialsError(path +
                             " holds the secrets of named orgs and other users can read it;" +
                             " run: chmod 600 " + path);
    }
    std::cerr << "sfbulk: warning: " << path
              << " holds secrets and is readable by other users; run: chmod 600 " << path << "\n";
  }
  return file;
}

std::string userConfigPath(const EnvLookup& env) {
  const std::string xdg = env("XDG_CONFIG_HOME");
  // The XDG base directory rules: a relative XDG_CONFIG_HOME is ignored.
  if (!xdg.empty() && xdg.front() == '/') return xdg + "/sfbulk/config";
  const std::string home = env("HOME");
  if (home.empty()) return {};
  return home + "/.config/sfbulk/config";
}

std::pair<std::string, std::string> configFileInUse(const std::string& configFlag,
                                                    const EnvLookup& env) {
  if (!configFlag.empty()) return {"--config", configFlag};
  const std::string variable = env("SFBULK_CONFIG");
  if (!variable.empty()) return {"SFBULK_CONFIG", variable};
  const std::string user = userConfigPath(env);
  struct stat info {};
  if (!user.empty() && ::stat(user.c_str(), &info) == 0) return {"the per-user config file", user};
  return {};
}

}  // namespace sfbulk
