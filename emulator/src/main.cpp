// sfdc-bulk-emulator: a local Salesforce Bulk API (1.0 and 2.0) server for offline use and tests.

#include <pthread.h>

#include <csignal>
#include <iostream>
#include <string>

#include "emulator_cli_options.hpp"
#include "sfdc/emulator/emulator.hpp"

int main(int argc, char** argv) {
  CLI::App app("sfdc-bulk-emulator: a local Salesforce Bulk API (1.0 and 2.0) server",
               "sfdc-bulk-emulator");
  app.footer(sfdc::emulator::cli::kEmulatorFooter);
  sfdc::emulator::cli::Settings settings;
  sfdc::emulator::cli::addEmulatorOptions(app, settings);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "sfdc-bulk-emulator: " << e.what() << "\n(see --help)\n";
    return 2;
  }

  // Block the stop signals before any thread starts so that only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    sfdc::emulator::Emulator emulator(settings.options);
    emulator.setFaults(settings.faults);
    emulator.start();
    std::cout << "listening on " << emulator.url() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    emulator.stop();
  } catch (const std::exception& e) {
    std::cerr << "sfdc-bulk-emulator: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
