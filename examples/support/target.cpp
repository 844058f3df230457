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
  const bool jwtKey = !env("SFDC_JWT_KEY_FILE").empty() || !env("SFDC_JWT_KEY").empty();
  if (!env("SFDC_REFRESH_TOKEN").empty()) {
    config.clientConfig = sfdc::bulk::RefreshTokenConfig{
        env("SFDC_CLIENT_ID"), env("SFDC_CLIENT_SECRET"), env("SFDC_REFRESH_TOKEN"), tokenUrl};
  } else if (jwtKey) {
    sfdc::bulk::JwtBearerConfig jwt;
    jwt.clientId = env("SFDC_CLIENT_ID");
    jwt.username = env("SFDC_USERNAME");
    jwt.privateKeyPem = env("SFDC_JWT_KEY");
    if (jwt.privateKeyPem.empty()) jwt.privateKeyFile = env("SFDC_JWT_KEY_FILE");
    jwt.tokenUrl = tokenUrl;
    jwt.audience = env("SFDC_JWT_AUDIENCE");
    config.clientConfig = jwt;
  } else if (!env("SFDC_USERNAME").empty()) {
    config.clientConfig = sfdc::bulk::PasswordConfig{
        env("SFDC_CLIENT_ID"), env("SFDC_CLIENT_SECRET"),  env("SFDC_USERNAME"),
        env("SFDC_PASSWORD"),  env("SFDC_SECURITY_TOKEN"), tokenUrl};
  } else if (!env("SFDC_ACCESS_TOKEN").empty()) {
    config.clientConfig = sfdc::bulk::AccessTokenConfig{env("SFDC_ACCESS_TOKEN")};
  } else if (!env("SFDC_CLIENT_ID").empty() && !env("SFDC_CLIENT_SECRET").empty()) {
    // Client credentials are served only at the org's My Domain: the instance URL.
    const std::string url = env("SFDC_TOKEN_URL").empty()
                                ? env("SFDC_INSTANCE_URL") + "/services/oauth2/token"
                                : env("SFDC_TOKEN_URL");
    config.clientConfig =
        sfdc::bulk::ClientCredentialsConfig{env("SFDC_CLIENT_ID"), env("SFDC_CLIENT_SECRET"), url};
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
