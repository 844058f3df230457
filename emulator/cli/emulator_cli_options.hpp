#pragma once

// The emulator's command-line options, one table for both front ends (sfdc-bulk-emulator
// and `sfbulk emulator`), so that they accept the same flags with the same checks.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <sfdc/emulator/emulator.hpp>
#include <string>
#include <type_traits>

namespace sfdc::emulator::cli {

/// Everything the options set: how the emulator is built, and the faults it starts with.
struct Settings {
  EmulatorOptions options;
  Faults faults;
};

/// Register the emulator's options on `app`; parsing fills `settings`.
inline void addEmulatorOptions(CLI::App& app, Settings& settings) {
  EmulatorOptions& o = settings.options;
  Faults& f = settings.faults;
  // Durations are given as integers in the unit their flag names; the value applies only
  // when the flag is given, so the defaults of EmulatorOptions and Faults stay in force.
  const auto duration = [&app](const char* name, auto& field, const char* help) {
    using Duration = std::remove_reference_t<decltype(field)>;
    return app
        .add_option_function<long long>(
            name, [&field](long long n) { field = Duration(n); }, help)
        ->check(CLI::NonNegativeNumber)
        ->default_str(std::to_string(field.count()));
  };
  const char* server = "Server";
  const char* model = "Throughput model";
  const char* faults = "Faults";

  app.add_option("-p,--port", o.port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str()
      ->group(server);
  app.add_option("--host", o.host, "Address to bind")->capture_default_str()->group(server);
  duration("--token-lifetime", o.tokenLifetime, "Access token lifetime in seconds")->group(server);
  app.add_option("--schema", o.schemaFile, "JSON schema file with extra (custom) objects")
      ->check(CLI::ExistingFile)
      ->group(server);
  app.add_option("--result-file-max-bytes", o.resultFileMaxBytes,
                 "Split query results into files of at most N bytes")
      ->check(CLI::Range(std::size_t{1}, static_cast<std::size_t>(-1)))
      ->capture_default_str()
      ->group(server);
  app.add_flag("--charset-suffix", o.charsetSuffix,
               "Send \"; charset=UTF-8\" after response media types")
      ->group(server);
  app.add_flag("--strict-xml-order", o.strictXmlOrder,
               "Reject jobInfo XML elements out of XSD order")
      ->group(server);
  app.add_option("--jwt-certificate", o.jwtCertificateFile,
                 "PEM certificate or public key that verifies JWT bearer assertions "
                 "(default: the test-only key pair's certificate)")
      ->check(CLI::ExistingFile)
      ->group(server);
  app.add_flag_function(
         "--no-client-credentials-user", [&o](std::int64_t) { o.clientCredentialsUser = false; },
         "Refuse the client credentials grant (the connected app has no \"Run As\" user)")
      ->group(server);

  duration("--keep-alive-seconds", o.keepAliveTimeout,
           "How long an idle keep-alive connection stays open, in seconds")
      ->group(server);

  app.add_option("--workers", o.workers, "Batches processed at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str()
      ->group(model);
  duration("--cost-per-record-us", o.costPerRecord,
           "Simulated processing time per record, in microseconds")
      ->group(model);
  duration("--batch-latency-ms", o.batchLatency,
           "Simulated fixed time per batch (queue latency), in milliseconds")
      ->group(model);
  app.add_option_function<long long>(
         "--query-cost-per-record-us",
         [&o](long long n) { o.queryCostPerRecord = std::chrono::microseconds(n); },
         "Simulated query time per row returned, in microseconds (default: "
         "--cost-per-record-us)")
      ->check(CLI::NonNegativeNumber)
      ->group(model);
  const char* network = "Network model";
  duration("--rtt-ms", o.roundTripTime,
           "Round-trip time in milliseconds: every API answer (not /_emulator) arrives this "
           "long after its request left; a new connection's first answer waits twice as long "
           "(the handshake)")
      ->group(network);
  app.add_option("--bandwidth-bytes-per-second", o.bandwidthBytesPerSecond,
                 "Bytes per second each connection carries in each direction (0: unlimited)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(network);
  app.add_option("--batch-allocation", o.batchAllocation,
                 "Bulk API 1.0 batches allowed per --batch-allocation-seconds; more are "
                 "refused with ExceededQuota")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(server);
  duration("--batch-allocation-seconds", o.batchAllocationWindow,
           "The rolling window of --batch-allocation, in seconds")
      ->group(server);
  duration("--job-batch-window-ms", o.jobBatchWindow,
           "How long after its creation a job takes new batches, in milliseconds (the "
           "service's 24 hours)")
      ->group(server);
  app.add_flag_function(
         "--no-parent-locks", [&o](std::int64_t) { o.parentLocks = false; },
         "Do not model parent-record locks (children of one Account in parallel batches)")
      ->group(model);
  duration("--lock-wait-ms", o.lockWait,
           "How long a chunk waits for a locked parent record, in milliseconds (0: 2,000 x "
           "the per-record cost, at least 100)")
      ->group(model);
  app.add_option("--lock-retries", o.lockRetries,
                 "Times a locked-out batch is queued again before it fails TooManyLockFailure")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str()
      ->group(model);

  duration("--batch-time-limit-ms", o.batchTimeLimit,
           "How long one attempt at a DML batch may run before it is queued again, in "
           "milliseconds of modelled time (the service's 10 minutes)")
      ->group(model);
  duration("--query-time-limit-ms", o.queryTimeLimit,
           "How long a query batch's query may run before it fails QUERY_TIMEOUT, in "
           "milliseconds of modelled time (the service's 2 minutes)")
      ->group(model);

  app.add_option("--fail-503", f.fail503, "Answer the next N API requests with 503 + Retry-After")
      ->check(CLI::NonNegativeNumber)
      ->group(faults);
  app.add_option("--retry-after", f.retryAfterSeconds, "Retry-After seconds sent with --fail-503")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(faults);
  app.add_option("--fail-500", f.fail500, "Answer the next N API requests with 500")
      ->check(CLI::NonNegativeNumber)
      ->group(faults);
  app.add_option("--drop-before-response", f.dropBeforeResponse,
                 "Close the connection instead of answering the next N requests")
      ->check(CLI::NonNegativeNumber)
      ->group(faults);
  app.add_option("--drop-mid-response", f.dropMidResponse,
                 "Close the connection halfway through the next N response bodies")
      ->check(CLI::NonNegativeNumber)
      ->group(faults);
  duration("--delay-ms", f.delay, "Delay every API response by N milliseconds")->group(faults);
  app.add_option("--only-for", f.onlyFor, "Apply the faults above only to one kind of request")
      ->check(CLI::IsMember({"any", "createJob", "getJob", "closeJob", "addBatch", "pollBatches",
                             "batchResult", "queryResult"}))
      ->capture_default_str()
      ->group(faults);
  app.add_option("--skip-requests", f.skipRequests,
                 "Let N matching requests through before the faults fire")
      ->check(CLI::NonNegativeNumber)
      ->group(faults);
  app.add_option("--fail-batch-message", f.failBatchMessage,
                 "Fail every new batch with this stateMessage")
      ->group(faults);
  app.add_option("--transient-batch-failures", f.transientBatchFailures,
                 "The next N batch processing attempts meet a transient failure; the "
                 "server retries the batch (numberRetries)")
      ->check(CLI::NonNegativeNumber)
      ->group(faults);
  app.add_flag("--token-endpoint-faults", f.tokenEndpoint,
               "Apply the HTTP faults to the token endpoint too (default: the Bulk API only)")
      ->group(faults);
  app.add_option("--lock-failure-share", f.lockFailureShare,
                 "Share (0..1) of DML records failing UNABLE_TO_LOCK_ROW at random, on top "
                 "of the parent-lock model")
      ->check(CLI::Range(0.0, 1.0))
      ->group(faults);
}

/// The footer both front ends print under their options.
inline constexpr const char* kEmulatorFooter =
    "Serves the Salesforce Bulk API v1 (/services/async/{version}/...) and the OAuth2 token\n"
    "endpoint (/services/oauth2/token) from an in-memory org, until SIGINT or SIGTERM.\n"
    "Credentials: client id \"emulator-client-id\", secret \"emulator-client-secret\", refresh\n"
    "token \"emulator-refresh-token\", user \"user@example.com\" / password \"passwordTOKEN\".\n"
    "JWT bearer: iss \"emulator-client-id\", sub \"user@example.com\", aud\n"
    "https://login.salesforce.com, https://test.salesforce.com or the emulator's URL, signed\n"
    "with the test-only private key (jwt_test_key.hpp) unless --jwt-certificate says otherwise.\n"
    "Control endpoints (no auth): GET /_emulator/stats, GET|POST /_emulator/faults,\n"
    "POST /_emulator/expire-sessions, POST /_emulator/reset, POST /_emulator/token.";

}  // namespace sfdc::emulator::cli
