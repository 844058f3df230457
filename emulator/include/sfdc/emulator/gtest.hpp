#pragma once

// GoogleTest helpers: an emulator on a free port and a Client configured for it, so that a
// test of code using sfdc::bulk runs offline against a real HTTP server.
//
//   #include <sfdc/emulator/gtest.hpp>
//   class ContactSync : public sfdc::emulator::testing::EmulatorTest {};
//   TEST_F(ContactSync, InsertsEveryRow) { auto result = client().load(...); ... }
//
// Link sfdc::bulk, sfdc::bulk_emulator and GTest::gtest (or GTest::gtest_main).

#include <gtest/gtest.h>

#include <memory>
#include <sfdc/bulk/client.hpp>
#include <sfdc/bulk/config.hpp>
#include <sfdc/emulator/emulator.hpp>
#include <utility>

namespace sfdc::emulator::testing {

/// A Config for a Client of `emulator` (started), authenticating as a real client does:
/// the refresh-token grant against the emulator's token endpoint, with its default
/// credentials. Adjust it (retry policy, API version, …) before building the Client.
inline sfdc::bulk::Config clientConfig(const Emulator& emulator) {
  sfdc::bulk::Config config;
  config.baseUrl = emulator.url();
  config.clientConfig = sfdc::bulk::RefreshTokenConfig{
      DefaultCredentials::kClientId, DefaultCredentials::kClientSecret,
      DefaultCredentials::kRefreshToken, emulator.tokenUrl()};
  return config;
}

/// A started emulator and a Client for it; both live as long as this object.
class EmulatorSession {
 public:
  /// Starts an emulator with `options` (on any free port when `options.port` is 0).
  explicit EmulatorSession(EmulatorOptions options = {})
      : emulator_(std::make_unique<Emulator>(std::move(options))) {
    emulator_->start();
    client_ = std::make_unique<sfdc::bulk::Client>(testing::clientConfig(*emulator_));
  }

  /// The server: its org, faults, statistics and session expiry.
  Emulator& emulator() { return *emulator_; }
  /// A Client over libcurl pointed at the emulator.
  sfdc::bulk::Client& client() { return *client_; }
  /// The Config `client()` was built with, to build other clients from.
  sfdc::bulk::Config clientConfig() const { return testing::clientConfig(*emulator_); }

 private:
  std::unique_ptr<Emulator> emulator_;
  std::unique_ptr<sfdc::bulk::Client> client_;
};

/**
 * Fixture: every test gets a fresh emulator and a Client for it. Override
 * emulatorOptions() to change the emulator's settings (throughput model, limits, …).
 */
class EmulatorTest : public ::testing::Test {
 protected:
  /// The options of each test's emulator; the default is the emulator's defaults.
  virtual EmulatorOptions emulatorOptions() const { return {}; }

  /// Starts this test's emulator and its Client.
  void SetUp() override { session_ = std::make_unique<EmulatorSession>(emulatorOptions()); }
  /// Stops the emulator.
  void TearDown() override { session_.reset(); }

  /// This test's emulator.
  Emulator& emulator() { return session_->emulator(); }
  /// A Client for this test's emulator.
  sfdc::bulk::Client& client() { return session_->client(); }
  /// The Config of client(), to build other clients from.
  sfdc::bulk::Config clientConfig() const { return session_->clientConfig(); }

 private:
  std::unique_ptr<EmulatorSession> session_;
};

}  // namespace sfdc::emulator::testing
