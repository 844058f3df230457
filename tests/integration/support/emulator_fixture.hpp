#pragma once

// Starts the emulator in-process on an ephemeral port and builds clients that talk to it
// over loopback through the real CurlTransport.

#include <gtest/gtest.h>

#include <chrono>
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

}  // namespace sfdc::bulk::testing
