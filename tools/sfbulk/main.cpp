// sfbulk: bulk loads, queries and job control for Salesforce from the command line.

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <sfdc/bulk/version.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "credentials.hpp"
#include "error_report.hpp"
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

/// The command that runs: the deepest subcommand on the command line.
const CLI::App* chosenCommand(const CLI::App& app) {
  const CLI::App* current = &app;
  while (!current->get_subcommands().empty()) current = current->get_subcommands().front();
  return current;
}

/// The value of `command`'s option `name` (a flag: "true") when given, else empty.
std::string given(const CLI::App& command, const char* name) {
  const CLI::Option* option = command.get_option_no_throw(name);
  if (option == nullptr || option->count() == 0) return {};
  return option->get_type_size() == 0 ? "true" : option->as<std::string>();
}

/// Whether --json is on the command line (before a `--`), for the errors found while
/// parsing it.
bool jsonRequested(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return false;
    if (arg == "--json") return true;
  }
  return false;
}

int usageError(const std::string& message, const std::string& command) {
  sfbulk::ErrorReport report;
  report.exitCode = sfbulk::kExitUsage;
  report.errorClass = sfbulk::errorClassOf(report.exitCode);
  report.message = message;
  report.hints = {"run `" + command + " --help` for usage"};
  return sfbulk::reportError(report);
}

std::string environmentHelp() {
  std::string text =
      "Credentials (flags > environment > config file; with --target-org NAME or\n"
      "SFBULK_TARGET_ORG: flags > that org of the config file, the SFDC_* variables unread):\n";
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
      "SFDC_ACCESS_TOKEN + SFDC_INSTANCE_URL. Secrets are never printed.\n\n"
      "Named orgs: the config file (--config FILE, SFBULK_CONFIG, else\n"
      "~/.config/sfbulk/config or $XDG_CONFIG_HOME/sfbulk/config) may hold several orgs,\n"
      "as [NAME] sections or a JSON \"orgs\" object; --target-org NAME (SFBULK_TARGET_ORG)\n"
      "picks one, the file's own SFBULK_TARGET_ORG names the default. A file holding\n"
      "orgs' secrets must not be readable by other users (chmod 600).\n\n"
      "With --json, an error is one JSON document on stdout (errorClass, message, hints,\n"
      "exceptionCode, httpStatus, jobId, batchId, exitCode) instead of text on stderr.\n\n" +
      std::string(sfbulk::kExitCodeHelp));

  sfbulk::Runner run;
  sfbulk::addLoadCommand(app, run);
  sfbulk::addQueryCommand(app, run);
  sfbulk::addJobCommand(app, run);
  sfbulk::addEmulatorCommand(app, run);

  sfbulk::errorOutput().json = jsonRequested(argc, argv);
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
    return usageError(
        "unexpected arguments:" + options +
            (values > 0 ? " (and " + std::to_string(values) + " value(s), not shown)" : ""),
        commandPath(app));
  } catch (const CLI::ParseError& e) {
    const std::string unknown = unknownCommand(app, argc, argv);
    return usageError(unknown.empty() ? std::string(e.what()) : unknown, commandPath(app));
  }
  if (!run) return sfbulk::kExitUsage;
  const CLI::App* command = chosenCommand(app);
  auto& errors = sfbulk::errorOutput();
  errors.json = !given(*command, "--json").empty();
  errors.jobId = given(*command, "JOB_ID");
  errors.batchId = given(*command, "BATCH_ID");
  return sfbulk::runGuarded(run);
}
