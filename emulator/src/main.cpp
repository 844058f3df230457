// sfdc-bulk-emulator: a local Salesforce Bulk API v1 server for offline use and tests.

#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>

#include "sfdc/emulator/emulator.hpp"

namespace {

constexpr const char* kUsage = R"(usage: sfdc-bulk-emulator [options]

Serves the Salesforce Bulk API v1 (/services/async/{version}/...) and the OAuth2 token
endpoint (/services/oauth2/token) from an in-memory org. Runs until SIGINT or SIGTERM.

  --port N                   port to listen on (default 0: any free port)
  --host H                   address to bind (default 127.0.0.1)
  --workers N                batches processed at once (default 4)
  --cost-per-record-us N     simulated processing time per record (default 0)
  --batch-latency-ms N       simulated fixed time per batch (default 0)
  --token-lifetime S         access token lifetime in seconds (default 7200)
  --result-file-max-bytes N  split query results into files of at most N bytes
  --schema FILE              JSON schema with extra (custom) objects
  --jwt-certificate FILE     PEM certificate or public key that verifies JWT bearer
                             assertions (default: the test-only key pair's certificate)
  --no-client-credentials-user
                             refuse the client credentials grant (no "Run As" user)
  --charset-suffix           send "; charset=UTF-8" after response media types
  --strict-xml-order         reject jobInfo XML elements out of XSD order
  --fail-503 N               answer the next N API requests with 503 + Retry-After
  --retry-after S            Retry-After seconds for --fail-503 (default 1)
  --fail-500 N               answer the next N API requests with 500
  --drop-before-response N   close the connection instead of answering N requests
  --drop-mid-response N      close the connection halfway through N response bodies
  --delay-ms N               delay every API response by N milliseconds
  --only-for KIND            apply the faults above only to one kind of request: any,
                             createJob, getJob, closeJob, addBatch, pollBatches,
                             batchResult or queryResult (default any)
  --skip-requests N          let N matching requests through before the faults fire
  --fail-batch-message TEXT  fail every batch with this stateMessage
  --lock-failure-share X     share (0..1) of DML records failing UNABLE_TO_LOCK_ROW
  --help                     show this text

Credentials: client id "emulator-client-id", secret "emulator-client-secret", refresh
token "emulator-refresh-token", user "user@example.com" / password "passwordTOKEN".
JWT bearer: iss "emulator-client-id", sub "user@example.com", aud https://login.salesforce.com,
https://test.salesforce.com or the emulator's URL, signed with the test-only private key
(emulator/testdata/jwt-test-only-private-key.pem) unless --jwt-certificate says otherwise.
Control endpoints (no auth): GET /_emulator/stats, GET|POST /_emulator/faults,
POST /_emulator/expire-sessions, POST /_emulator/reset, POST /_emulator/token.
)";

[[noreturn]] void usageError(const std::string& message) {
  std::cerr << "sfdc-bulk-emulator: " << message << "\n(see --help)\n";
  std::exit(2);
}

long long toInteger(const std::string& flag, const std::string& value) {
  try {
    std::size_t used = 0;
    const long long n = std::stoll(value, &used);
    if (used == value.size() && n >= 0) return n;
  } catch (const std::exception&) {
  }
  usageError(flag + " expects a non-negative integer, got '" + value + "'");
}

double toShare(const std::string& flag, const std::string& value) {
  try {
    std::size_t used = 0;
    const double x = std::stod(value, &used);
    if (used == value.size() && x >= 0.0 && x <= 1.0) return x;
  } catch (const std::exception&) {
  }
  usageError(flag + " expects a number between 0 and 1, got '" + value + "'");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono;
  sfdc::emulator::EmulatorOptions options;
  options.port = 0;
  sfdc::emulator::Faults faults;

  using Setter = std::function<void(const std::string& flag, const std::string& value)>;
  auto integer = [](auto apply) {
    return Setter([apply](const std::string& f, const std::string& v) { apply(toInteger(f, v)); });
  };
  const std::map<std::string, Setter> valued = {
      {"--port", integer([&](long long n) { options.port = static_cast<int>(n); })},
      {"--host", [&](const std::string&, const std::string& v) { options.host = v; }},
      {"--workers", integer([&](long long n) { options.workers = static_cast<int>(n); })},
      {"--cost-per-record-us",
       integer([&](long long n) { options.costPerRecord = microseconds(n); })},
      {"--batch-latency-ms", integer([&](long long n) { options.batchLatency = milliseconds(n); })},
      {"--token-lifetime", integer([&](long long n) { options.tokenLifetime = seconds(n); })},
      {"--result-file-max-bytes",
       integer([&](long long n) { options.resultFileMaxBytes = static_cast<std::size_t>(n); })},
      {"--schema", [&](const std::string&, const std::string& v) { options.schemaFile = v; }},
      {"--jwt-certificate",
       [&](const std::string&, const std::string& v) { options.jwtCertificateFile = v; }},
      {"--fail-503", integer([&](long long n) { faults.fail503 = static_cast<int>(n); })},
      {"--retry-after",
       integer([&](long long n) { faults.retryAfterSeconds = static_cast<int>(n); })},
      {"--fail-500", integer([&](long long n) { faults.fail500 = static_cast<int>(n); })},
      {"--drop-before-response",
       integer([&](long long n) { faults.dropBeforeResponse = static_cast<int>(n); })},
      {"--drop-mid-response",
       integer([&](long long n) { faults.dropMidResponse = static_cast<int>(n); })},
      {"--delay-ms", integer([&](long long n) { faults.delay = milliseconds(n); })},
      {"--only-for", [&](const std::string&, const std::string& v) { faults.onlyFor = v; }},
      {"--skip-requests", integer([&](long long n) { faults.skipRequests = static_cast<int>(n); })},
      {"--fail-batch-message",
       [&](const std::string&, const std::string& v) { faults.failBatchMessage = v; }},
      {"--lock-failure-share",
       [&](const std::string& f, const std::string& v) {
         faults.lockFailureShare = toShare(f, v);
       }},
  };
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--charset-suffix") {
      options.charsetSuffix = true;
      continue;
    }
    if (arg == "--strict-xml-order") {
      options.strictXmlOrder = true;
      continue;
    }
    if (arg == "--no-client-credentials-user") {
      options.clientCredentialsUser = false;
      continue;
    }
    std::string value;
    bool hasValue = false;
    if (const auto eq = arg.find('='); eq != std::string::npos) {  // --flag=value
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      hasValue = true;
    }
    const auto setter = valued.find(arg);
    if (setter == valued.end()) usageError("unknown option " + arg);
    if (!hasValue) {
      if (i + 1 >= argc) usageError(arg + " needs a value");
      value = argv[++i];
    }
    setter->second(arg, value);
  }

  // Block the stop signals before any thread starts so that only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    sfdc::emulator::Emulator emulator(options);
    emulator.setFaults(faults);
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
