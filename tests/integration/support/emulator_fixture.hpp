#pragma once

// Starts the emulator in-process on an ephemeral port and builds clients that talk to it
// over loopback through the real CurlTransport.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <sfdc/bulk.hpp>
#include <sfdc/emulator/emulator.hpp>
#include <thread>

namespace sfdc::bulk::testing {

inline Config emulatorConfig(const emulator::Emulator& server) {
  using Defaults = emulator::DefaultCredentials;
  Config config;
  config.baseUrl = server.url();
  config.clientConfig = RefreshTokenConfig{Defaults::kClientId, Defaults::kClientSecret,
                                           Defaults::kRefreshToken, server.tokenUrl()};
  config.retry.initialBackoff = std::chrono::milliseconds(5);
  config.retry.maxBackoff = std::chrono::milliseconds(50);
  return config;
}

class EmulatorTest : public ::testing::Test {
 protected:
  virtual emulator::EmulatorOptions options() { return {}; }

  void SetUp() override {
    server = std::make_unique<emulator::Emulator>(options());
    server->start();
    transport = std::make_shared<CurlTransport>();
    client = std::make_unique<Client>(emulatorConfig(*server), transport);
  }
  void TearDown() override {
    // Drop the client's pooled keep-alive connections before stopping the server.
    client.reset();
    transport.reset();
    server->stop();
  }

  BatchInfo waitForBatch(const Job& job, const std::string& batchId,
                         std::chrono::seconds timeout = std::chrono::seconds(60)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      BatchInfo info = client->getBatchInfo(job, batchId);
      if (info.isTerminal()) return info;
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "batch " << batchId << " still " << toString(info.state);
        return info;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  /// Records of `object` the org holds, counted by a query (the store as users see it).
  std::size_t recordCount(const std::string& object) {
    QueryStream rows = client->query("SELECT Id FROM " + object);
    std::vector<std::string> row;
    std::size_t count = 0;
    while (rows.nextRow(row)) ++count;
    return count;
  }

  std::unique_ptr<emulator::Emulator> server;
  std::shared_ptr<CurlTransport> transport;
  std::unique_ptr<Client> client;
};

/// An EmulatorTest with a scratch directory of its own, removed after the test, for the
/// input, result and journal files of loads.
class EmulatorFilesTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(test->test_suite_name()) + "-" + test->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterized tests
    dir = std::filesystem::temp_directory_path() /
          ("sfdc-bulk-it-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  void TearDown() override {
    EmulatorTest::TearDown();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  std::string path(const std::string& name) const { return (dir / name).string(); }

  /// Loads over loopback: polls every few milliseconds, a timeout no test comes near.
  static LoadOptions fastLoadOptions() {
    LoadOptions options;
    options.pollMinInterval = std::chrono::milliseconds(5);
    options.pollMaxInterval = std::chrono::milliseconds(50);
    options.timeout = std::chrono::seconds(120);
    return options;
  }

  std::filesystem::path dir;
};

}  // namespace sfdc::bulk::testing
