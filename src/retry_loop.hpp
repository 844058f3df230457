#pragma once

// The one retry loop of the SDK: resend a request after connection failures and
// retryable HTTP statuses, with backoff and Retry-After, bounded by attempts and time.

#include <functional>
#include <memory>
#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <sfdc/bulk/logging.hpp>

namespace sfdc::bulk::detail {

enum class Idempotency {
  /// Safe to resend after any failure (GET, close, abort).
  Idempotent,
  /// Resent only when the server provably did not act on it: 429, 503, or a failure
  /// before the request was sent. Used for createJob/addBatch.
  NonIdempotent,
};

using RetryLog = std::function<void(LogLevel, const std::string&)>;

/// Send `request` through `transport`, retrying per `policy`. Returns the last response
/// (which may still be an error status); rethrows the last TransportError.
HttpResponse sendWithRetries(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, Idempotency idempotency,
                             const RetryLog& log);

/// The same for a streamed response: retries until the status line arrives.
std::unique_ptr<HttpResponseStream> openWithRetries(HttpTransport& transport,
                                                    const HttpRequest& request,
                                                    const RetryPolicy& policy, const RetryLog& log);

}  // namespace sfdc::bulk::detail
