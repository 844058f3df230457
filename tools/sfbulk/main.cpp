// sfbulk: bulk loads, queries and job control for Salesforce from the command line.

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <sfdc/bulk/version.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "credentials.hpp"
#include "exit_codes.hpp"

namespace {

/// The command path for the "see --help" hint, e.g. "sfbulk job info".
std::string commandPath(const CLI::App& app) {
  std::string path = app.get_name();
  const CLI::App* current = &app;
  while (true) {
    const auto chosen = current->get_subcommands();
    if (chosen.empty()) break;
    current = chosen.front();
    path += " " + current->get_name();
  }
  return path;
}

/// CLI11 reports `sfbulk frobnicate` as "A subcommand is required"; name the culprit.
std::string unknownCommand(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.empty() || arg[0] == '-') return {};
    const CLI::App* next = nullptr;
    for (const CLI::App* sub : level->get_subcommands({})) {
      if (sub->get_name() == arg) next = sub;
    }
    if (next == nullptr) {
      if (level->get_subcommands({}).empty()) return {};
      std::string names;
      for (const CLI::App* sub : level->get_subcommands({})) {
        names += (names.empty() ? "" : ", ") + sub->get_name();
      }
      return "unknown command '" + arg + "' (commands: " + names + ")";
    }
    level = next;
  }
  return {};
}

std::string environmentHelp() {
  std::string text = "Credentials (flags > environment > --config FILE):\n";
  for (const auto& field : sfbulk::kCredentialFields) {
    text += "  " + std::string(field.name) + std::string(22 - std::string(field.name).size(), ' ') +
            field.help + "\n";
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed stdout (`| head`) then fails the write with EPIPE, which sfbulk reports as
  // exit 12, instead of killing the process in the middle of a load.
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app("sfbulk: Salesforce Bulk API v1 loads, queries and job control", "sfbulk");
  app.set_version_flag("--version", std::string("sfbulk ") + sfdc::bulk::kVersion);
  app.require_subcommand(1);
  app.footer(
      "Run `sfbulk COMMAND --help` for a command's options.\n\n" + environmentHelp() +
      "Use one grant: SFDC_REFRESH_TOKEN + SFDC_CLIENT_ID, or SFDC_USERNAME + SFDC_PASSWORD\n"
      "+ SFDC_CLIENT_ID, or SFDC_JWT_KEY_FILE + SFDC_USERNAME + SFDC_CLIENT_ID (JWT bearer), or\n"
      "SFDC_CLIENT_ID + SFDC_CLIENT_SECRET + SFDC_INSTANCE_URL (client credentials), or\n"
      "SFDC_ACCESS_TOKEN + SFDC_INSTANCE_URL. Secrets are never printed.\n\n" +
      std::string(sfbulk::kExitCodeHelp));

  sfbulk::Runner run;
  sfbulk::addLoadCommand(app, run);
  sfbulk::addQueryCommand(app, run);
  sfbulk::addJobCommand(app, run);
  sfbulk::addEmulatorCommand(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError&) {
    // CLI11 would list the stray arguments verbatim, and a mistyped flag's value may be
    // a secret (`--pasword hunter2`): name only what looks like an option.
    std::string options;
    std::size_t values = 0;
    for (const std::string& arg : app.remaining(true)) {
      if (arg.size() > 1 && arg[0] == '-') {
        options += " " + arg.substr(0, arg.find('='));
      } else {
        ++values;
      }
    }
    std::cerr << "sfbulk: error: unexpected arguments:" << options
              << (values > 0 ? " (and " + std::to_string(values) + " value(s), not shown)" : "")
              << "\n  run `" << commandPath(app) << " --help` for usage\n";
    return sfbulk::kExitUsage;
  } catch (const CLI::ParseError& e) {
    const std::string unknown = unknownCommand(app, argc, argv);
    std::cerr << "sfbulk: error: " << (unknown.empty() ? std::string(e.what()) : unknown)
              << "\n  run `" << commandPath(app) << " --help` for usage\n";
    return sfbulk::kExitUsage;
  }
  if (!run) return sfbulk::kExitUsage;
  return sfbulk::runGuarded(run);
}
