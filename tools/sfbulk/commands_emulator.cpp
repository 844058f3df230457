// sfbulk emulator: the bundled Bulk API emulator in the foreground, for trying sfbulk
// and for testing scripts offline.

#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <sfdc/emulator/emulator.hpp>

#include "cli_common.hpp"
#include "commands.hpp"
#include "emulator_cli_options.hpp"

namespace sfbulk {

namespace {

int runEmulator(const sfdc::emulator::cli::Settings& settings) {
  // Block the stop signals before the server's threads start, so that they inherit the
  // mask and only sigwait below sees SIGINT/SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  sfdc::emulator::Emulator server(settings.options);
  server.setFaults(settings.faults);
  try {
    server.start();
  } catch (const std::exception& e) {
    throw LocalIoError(std::string("cannot start the emulator: ") + e.what() +
                       "\n  is the port in use? try --port 0 for any free port");
  }

  using Defaults = sfdc::emulator::DefaultCredentials;
  // These are the emulator's fixed, public test credentials (no real secret), printed
  // so that another shell can point sfbulk or the examples at this server.
  std::cout << "listening on " << server.url() << "\n"
            << "# in another shell:\n"
            << "export SFDC_INSTANCE_URL=" << server.url() << "\n"
            << "export SFDC_TOKEN_URL=" << server.tokenUrl() << "\n"
            << "export SFDC_CLIENT_ID=" << Defaults::kClientId << "\n"
            << "export SFDC_CLIENT_SECRET=" << Defaults::kClientSecret << "\n"
            << "export SFDC_REFRESH_TOKEN=" << Defaults::kRefreshToken << "\n"
            << "# stop with Ctrl-C" << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  server.stop();
  std::cerr << "sfbulk: emulator stopped" << std::endl;
  return kExitOk;
}

}  // namespace

void addEmulatorCommand(CLI::App& app, Runner& run) {
  auto settings = std::make_shared<sfdc::emulator::cli::Settings>();
  CLI::App* cmd = app.add_subcommand(
      "emulator", "Run the bundled Bulk API emulator in the foreground until Ctrl-C");
  cmd->footer(std::string("Prints its URL and the environment to use in another shell.\n") +
              sfdc::emulator::cli::kEmulatorFooter);
  sfdc::emulator::cli::addEmulatorOptions(*cmd, *settings);
  cmd->callback([&run, settings] { run = [settings] { return runEmulator(*settings); }; });
}

}  // namespace sfbulk
