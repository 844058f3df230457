#pragma once

// Where the examples send their requests: a real org when the SFDC_* environment
// variables name one, otherwise the bundled emulator started in-process.

#include <memory>
#include <sfdc/bulk.hpp>
#include <sfdc/emulator/emulator.hpp>
#include <string>

namespace examples {

struct Target {
  sfdc::bulk::Config config;
  /// Set when no org is configured: the emulator serving this run.
  std::unique_ptr<sfdc::emulator::Emulator> emulator;
};

/**
 * Build a Config from the environment: SFDC_INSTANCE_URL, SFDC_TOKEN_URL,
 * SFDC_CLIENT_ID, SFDC_CLIENT_SECRET, SFDC_REFRESH_TOKEN (or SFDC_JWT_KEY_FILE /
 * SFDC_JWT_KEY + SFDC_USERNAME [+ SFDC_JWT_AUDIENCE] for the JWT bearer grant, or
 * SFDC_USERNAME + SFDC_PASSWORD [+ SFDC_SECURITY_TOKEN], or SFDC_ACCESS_TOKEN alone, or
 * SFDC_CLIENT_ID + SFDC_CLIENT_SECRET alone for client credentials), SFDC_API_VERSION.
 * With none of them set, starts the emulator and says so on stderr.
 */
Target connect();

/// Poll a batch until it is Completed, Failed or NotProcessed (gentle backoff).
sfdc::bulk::BatchInfo waitForBatch(sfdc::bulk::Client& client, const sfdc::bulk::Job& job,
                                   const std::string& batchId);

}  // namespace examples
