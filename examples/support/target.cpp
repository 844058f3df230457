#include "target.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

namespace examples {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

Target connect() {
  Target target;
  auto& config = target.config;
  if (!env("SFDC_API_VERSION").empty()) config.apiVersion = env("SFDC_API_VERSION");
  config.baseUrl = env("SFDC_INSTANCE_URL");
  const std::string tokenUrl = env("SFDC_TOKEN_URL").empty()
                                   ? "https://login.salesforce.com/services/oauth2/token"
                                   : env("SFDC_TOKEN_URL");
  if (!env("SFDC_REFRESH_TOKEN").empty()) {
    config.clientConfig = sfdc::bulk::RefreshTokenConfig{
        env("SFDC_CLIENT_ID"), env("SFDC_CLIENT_SECRET"), env("SFDC_REFRESH_TOKEN"), tokenUrl};
  } else if (!env("SFDC_USERNAME").empty()) {
    config.clientConfig = sfdc::bulk::PasswordConfig{
        env("SFDC_CLIENT_ID"), env("SFDC_CLIENT_SECRET"),  env("SFDC_USERNAME"),
        env("SFDC_PASSWORD"),  env("SFDC_SECURITY_TOKEN"), tokenUrl};
  } else if (!env("SFDC_ACCESS_TOKEN").empty()) {
    config.clientConfig = sfdc::bulk::AccessTokenConfig{env("SFDC_ACCESS_TOKEN")};
  } else {
    target.emulator = std::make_unique<sfdc::emulator::Emulator>();
    target.emulator->start();
    std::cerr << "No SFDC_* credentials set: using the embedded Bulk API emulator at "
              << target.emulator->url() << "\n";
    using Defaults = sfdc::emulator::DefaultCredentials;
    config.baseUrl = target.emulator->url();
    config.clientConfig =
        sfdc::bulk::RefreshTokenConfig{Defaults::kClientId, Defaults::kClientSecret,
                                       Defaults::kRefreshToken, target.emulator->tokenUrl()};
  }
  return target;
}

sfdc::bulk::BatchInfo waitForBatch(sfdc::bulk::Client& client, const sfdc::bulk::Job& job,
                                   const std::string& batchId) {
  auto delay = std::chrono::milliseconds(50);
  for (;;) {
    auto info = client.getBatchInfo(job, batchId);
    if (info.isTerminal()) return info;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace examples
