#pragma once

// The one request loop of the SDK, for whole and streamed responses alike: send, classify
// the answer (response_class.hpp), retry with backoff and Retry-After within the policy,
// renew the session once when it expired, count every request that went out, and hand
// back a success or turn the failure into an exception.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/logging.hpp>
#include <string>

#include "pacing.hpp"
#include "response_class.hpp"

namespace sfdc::bulk::detail {

using RetryLog = std::function<void(LogLevel, const std::string&)>;

enum class Delivery {
  Buffered,  ///< HttpTransport::send: the whole body in memory
  Streamed,  ///< HttpTransport::open: the body read by the caller
};

/// An answer of the loop.
struct Reply {
  /// Buffered: the response. Streamed: status and headers, and the body of an answer
  /// that was not a success (read to its end).
  HttpResponse response;
  /// Streamed: the open body of a successful answer.
  std::unique_ptr<HttpResponseStream> stream;
};

struct LoopSpec {
  RetryPolicy policy;
  Idempotency idempotency = Idempotency::Idempotent;
  Delivery delivery = Delivery::Buffered;
};

struct LoopHooks {
  /// Builds the request; called again for each attempt (after a renewal, with the new
  /// token).
  std::function<HttpRequest()> build;
  /// The answer said the session expired, `renewals` times before in this call: renew
  /// it and return to send the request again, or throw. Null: the answer fails.
  std::function<void(const HttpResponse& answer, int renewals)> renewSession;
  /// Throws the exception for a failed answer. Null: the loop returns the answer.
  std::function<void(const HttpResponse& answer)> fail;
  /// Retries (Warning) and one line per finished request (Debug).
  RetryLog log;
  /// Counts every request that reached the server; may be null.
  std::atomic<std::uint64_t>* requests = nullptr;
  /// Counts the attempts of this call that reached the server and were retried without
  /// a definite answer (the connection broke after sending, or a 408/5xx that may have
  /// acted); may be null. A later refusal may then be the echo of an earlier success.
  int* uncertainAttempts = nullptr;
};

/// Run `hooks.build()`'s request through `transport` until it succeeds, fails for good or
/// the policy runs out. TransportError leaves as thrown by the last attempt.
Reply runRequestLoop(HttpTransport& transport, const LoopSpec& spec, const LoopHooks& hooks,
                     const Pacing& pacing);

}  // namespace sfdc::bulk::detail
