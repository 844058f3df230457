// sfbulk emulator: the bundled Bulk API emulator in the foreground, for trying sfbulk
// and for testing scripts offline.

#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <sfdc/emulator/emulator.hpp>

#include "cli_common.hpp"
#include "commands.hpp"

namespace sfbulk {

namespace {

struct EmulatorArgs {
  int port = 0;
  std::string host = "127.0.0.1";
  std::string schemaFile;
  int workers = 4;
};

int runEmulator(const EmulatorArgs& args) {
  // Block the stop signals before the server's threads start, so that they inherit the
  // mask and only sigwait below sees SIGINT/SIGTERM.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  sfdc::emulator::EmulatorOptions options;
  options.host = args.host;
  options.port = args.port;
  options.schemaFile = args.schemaFile;
  options.workers = args.workers;
  sfdc::emulator::Emulator server(options);
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
  auto args = std::make_shared<EmulatorArgs>();
  CLI::App* cmd = app.add_subcommand(
      "emulator", "Run the bundled Bulk API emulator in the foreground until Ctrl-C");
  cmd->footer(
      "An in-memory Salesforce org speaking Bulk API v1 and the OAuth2 token endpoint.\n"
      "Prints its URL and the environment to use, then serves until SIGINT/SIGTERM.\n"
      "Credentials it accepts: client id emulator-client-id, secret emulator-client-secret,\n"
      "refresh token emulator-refresh-token, or user@example.com / password + TOKEN.");
  cmd->add_option("-p,--port", args->port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--host", args->host, "Address to bind")->capture_default_str();
  cmd->add_option("--schema", args->schemaFile, "JSON schema file with extra (custom) objects")
      ->check(CLI::ExistingFile);
  cmd->add_option("--workers", args->workers, "Batches processed at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->callback([&run, args] { run = [args] { return runEmulator(*args); }; });
}

}  // namespace sfbulk
