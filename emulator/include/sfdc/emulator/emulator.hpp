#pragma once

// An in-process Salesforce Bulk API server (1.0 under /services/async and 2.0 under
// /services/data/vXX.X/jobs, over one org) for tests and offline use. Start it on port 0,
// point a client at url(), and drive faults and token expiry from the test.

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sfdc::emulator {

class Org;

/// Credentials the emulator accepts by default (documented in the README).
struct DefaultCredentials {
  /// OAuth2 client id.
  static constexpr const char* kClientId = "emulator-client-id";
  /// OAuth2 client secret.
  static constexpr const char* kClientSecret = "emulator-client-secret";
  /// Refresh token for the refresh-token grant.
  static constexpr const char* kRefreshToken = "emulator-refresh-token";
  /// Username for the password grant.
  static constexpr const char* kUsername = "user@example.com";
  /// Password for the password grant (followed by kSecurityToken).
  static constexpr const char* kPassword = "password";
  /// Security token appended to the password.
  static constexpr const char* kSecurityToken = "TOKEN";
};

/// Settings of an Emulator, fixed when it is constructed.
struct EmulatorOptions {
  /// Address to listen on.
  std::string host = "127.0.0.1";
  int port = 0;  ///< 0 = an ephemeral port
  /// How long an issued access token stays valid.
  std::chrono::seconds tokenLifetime{7200};
  /// Throughput model: batches processed at once, and simulated cost per record.
  int workers = 4;
  /// Simulated processing time per record.
  std::chrono::microseconds costPerRecord{0};
  /// Fixed simulated time per batch (queue latency) on top of the per-record cost.
  std::chrono::milliseconds batchLatency{0};
  /// Simulated time per row a query returns (Bulk API 1.0 query batches, Bulk API 2.0
  /// query jobs); unset = costPerRecord. A real org answers a query far faster per row
  /// than it writes records: hundreds of thousands of rows take seconds, not minutes.
  std::optional<std::chrono::microseconds> queryCostPerRecord;
  /// The network between client and org, which loopback hides (0 = off). Every API
  /// answer (Bulk API 1.0 and 2.0, the token endpoint; not the /_emulator routes) arrives
  /// one round trip after its request was sent, and the first API request on a new
  /// connection waits one more (the TCP handshake; TLS would add one or two more).
  std::chrono::milliseconds roundTripTime{0};
  /// Bytes per second each connection carries in each direction (request bytes are read,
  /// response bytes written no faster), headers and compressed bodies counted as on the
  /// wire; N connections carry N times as much. 0 = unlimited.
  std::uint64_t bandwidthBytesPerSecond = 0;
  /// Parent-record locks (Bulk API 1.0 Parallel jobs): writing a child (a Contact's or
  /// Opportunity's AccountId, a custom lookup) locks its parent for the 200-record chunk
  /// being processed; a chunk of another batch needing a locked parent waits up to
  /// `lockWait`, then fails the records needing it with UNABLE_TO_LOCK_ROW. A batch whose
  /// whole chunk is locked out goes back to the queue (the job's numberRetries), and
  /// after `lockRetries` retries it fails with TooManyLockFailure. Serial jobs take no
  /// locks; false turns the model off (the random `Faults::lockFailureShare` stays).
  bool parentLocks = true;
  /// How long a chunk waits for a locked parent; 0 = 2,000 × costPerRecord (ten chunks'
  /// time, as the service's 10-second lock wait is to its chunks), at least 100 ms.
  std::chrono::milliseconds lockWait{0};
  /// Times a locked-out batch is queued again before it fails (the service's 10).
  int lockRetries = 10;
  /// How long one attempt at a Bulk API 1.0 DML batch may run (the service's 10
  /// minutes, in modelled time): a batch still running then is queued again for the
  /// records it has not written (the job's numberRetries), and after 10 retries it fails
  /// with "InternalServerError : Retried more than ten times", at once with
  /// Sforce-Disable-Batch-Retry. Lower it (with costPerRecord) to see that in a test.
  std::chrono::milliseconds batchTimeLimit{std::chrono::minutes(10)};
  /// How long a Bulk API 1.0 query batch may take to run its query (the service's 2
  /// minutes, modelled as batchLatency + rows × queryCostPerRecord); a longer one fails with
  /// QUERY_TIMEOUT.
  std::chrono::milliseconds queryTimeLimit{std::chrono::minutes(2)};
  /// Bulk API 1.0 batches the org may create per rolling `batchAllocationWindow` (the
  /// service's daily allocation, 15,000 per 24 hours); a batch over it is refused with 400
  /// ExceededQuota. A batch sent to a job that is not Open still counts, as on the service.
  int batchAllocation = 15000;
  /// The rolling window `batchAllocation` counts over (the service's 24 hours).
  std::chrono::seconds batchAllocationWindow{24 * 3600};
  /// Bulk API 1.0: how long after its creation a job takes new batches (the service's 24
  /// hours); a later batch is refused with 400 InvalidJobState.
  std::chrono::milliseconds jobBatchWindow{std::chrono::hours(24)};
  /// Query result files are split when they would exceed this many bytes.
  std::size_t resultFileMaxBytes = 1 << 30;
  /// Append `; charset=UTF-8` to response Content-Types.
  bool charsetSuffix = false;
  /// Reject jobInfo elements out of XSD order.
  bool strictXmlOrder = false;
  /// JSON schema file with extra (custom) objects; empty = standard objects only.
  std::string schemaFile;
  /// PEM certificate (or public key) of the connected app, which verifies the assertions
  /// of the JWT bearer grant; empty = the test-only certificate of jwt_test_key.hpp.
  std::string jwtCertificateFile;
  /// How far ahead of the real clock the token endpoint's clock runs when it checks a JWT
  /// assertion's `exp`: a few minutes make every fresh assertion look expired.
  std::chrono::seconds jwtClockOffset{0};
  /// Whether the connected app has a "Run As" user for the client credentials grant
  /// (DefaultCredentials::kUsername); without one that grant is refused.
  bool clientCredentialsUser = true;
  /// How long an idle keep-alive connection stays open. Each open connection holds a
  /// server thread and stop() waits for them, so the default is short; a client that
  /// keeps a connection idle for longer (jsforce parsing a large file between two
  /// requests) meets a closed socket instead.
  std::chrono::seconds keepAliveTimeout{5};
  /// Bulk API 2.0: most bytes one ingest upload may hold (the service takes 150 MB once
  /// base64-encoded); a larger upload is refused with 400.
  std::size_t bulk2MaxUploadBytes = 150'000'000;
  /// Bulk API 2.0: rows per query result page when the client sends no `maxRecords`.
  std::size_t bulk2QueryPageRows = 100'000;
  /// Bulk API 2.0: write ingest result files in input order. Off by default, as the
  /// service promises no order: clients that match results to rows by position fail.
  bool bulk2KeepResultOrder = false;
};

/// Faults the emulator injects, switchable at run time (also via /_emulator/faults).
struct Faults {
  int fail503 = 0;  ///< answer the next N API requests with 503 + Retry-After
  /// Value of the `Retry-After` header sent with those 503s.
  int retryAfterSeconds = 1;
  int fail500 = 0;                     ///< answer the next N API requests with 500
  int dropBeforeResponse = 0;          ///< close the connection without answering the next N
  int dropMidResponse = 0;             ///< send half of the next N response bodies, then close
  std::chrono::milliseconds delay{0};  ///< delay every (matching) API response
  std::string failBatchMessage;        ///< fail every new batch with this stateMessage
  /// The next N attempts at processing a Bulk API 1.0 batch meet a transient server
  /// failure. A DML attempt stops after its first chunk of 200 records (before it when
  /// one chunk is left), a query attempt before its query runs; the batch goes back to
  /// the queue (the job's numberRetries) and carries on where it stopped. Past the
  /// service's retries (10 for uploads, 15 for queries) it fails with "InternalServerError
  /// : Retried more than ten times" (fifteen); with Sforce-Disable-Batch-Retry at the
  /// first failure. Not tied to `onlyFor` or `skipRequests`, which aim at HTTP requests.
  int transientBatchFailures = 0;
  /// Share of DML records failing UNABLE_TO_LOCK_ROW at random, on top of the contention
  /// EmulatorOptions::parentLocks models.
  double lockFailureShare = 0;
  /// Also apply the HTTP faults above to POST /services/oauth2/token (off: only the Bulk
  /// API under /services/async is affected).
  bool tokenEndpoint = false;
  /// The kind of API request the `fail…`/`drop…` counters and `delay` apply to; other
  /// requests pass untouched. One of "any", "createJob" (POST /job), "getJob" (GET
  /// /job/{id}), "closeJob" (POST /job/{id}: close or abort), "addBatch" (POST
  /// /job/{id}/batch), "pollBatches" (GET /job/{id}/batch and GET /job/{id}/batch/{batchId}),
  /// "batchResult" (GET …/batch/{batchId}/result) or "queryResult" (GET
  /// …/result/{resultId}). Token requests only match "any". Bulk API 2.0 requests count
  /// as their 1.0 counterparts: createJob (POST /jobs/ingest, /jobs/query), getJob (GET
  /// /jobs/…/{id}), closeJob (PATCH /jobs/…/{id}), addBatch (PUT …/batches), batchResult
  /// (GET of an ingest result file), queryResult (GET …/results and …/resultPages).
  std::string onlyFor = "any";
  /// Let this many matching requests through before the `fail…`/`drop…` counters start
  /// firing (counts down as they pass), to hit a chosen moment of a load.
  int skipRequests = 0;
};

/// The emulator: an HTTP server in background threads over an in-memory org.
class Emulator {
 public:
  /// A stopped emulator; call start().
  explicit Emulator(EmulatorOptions options = {});
  ~Emulator();  ///< stops the server
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  /// Bind and serve in background threads; returns once the server accepts connections.
  void start();
  /// Stop serving and join the server threads (the destructor does this too).
  void stop();

  std::string url() const;       ///< http://127.0.0.1:PORT
  std::string tokenUrl() const;  ///< url() + /services/oauth2/token
  /// The port served on (the one picked when options asked for 0).
  int port() const;

  /// The emulated org's records and schema (for the emulator's own tests).
  Org& org();
  /// Make every issued access token invalid now (next use: 400 InvalidSessionId).
  void expireSessions();
  /// Issue an access token directly (for static-token clients).
  std::string issueAccessToken();
  /// Replace the faults to inject; throws std::invalid_argument for an unknown `onlyFor`.
  void setFaults(const Faults& faults);
  /// The faults currently set; the `fail…`/`drop…` counters go down as they fire.
  Faults faults() const;
  /// Request counters per endpoint and per job, as served at /_emulator/stats.
  nlohmann::json stats() const;
  /// Zero the counters of stats().
  void resetStats();
  /// Remove every job, batch and record (as POST /_emulator/reset does).
  void reset();
  /// The options the emulator was built with.
  const EmulatorOptions& options() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sfdc::emulator
