#include "retry_loop.hpp"

#include <chrono>
#include <random>
#include <sfdc/bulk/error.hpp>
#include <string>
#include <thread>

#include "retry.hpp"

namespace sfdc::bulk::detail {

double jitterDraw() {
  // One generator per thread: no locking, and no shared sequence between clients.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

namespace {

std::string describe(const HttpRequest& request) {
  auto url = request.url.substr(0, request.url.find('?'));
  return request.method + " " + url;
}

bool rewindBody(const HttpRequest& request) {
  return !request.bodySource || request.bodySource->rewind();
}

// Decide how long to wait before the next attempt, or return false to give up.
bool nextDelay(const RetryPolicy& policy, int attempt,
               std::chrono::steady_clock::time_point started, const Headers* headers,
               std::chrono::milliseconds& delay) {
  if (attempt >= policy.maxAttempts) return false;
  delay = backoffDelay(policy, attempt, jitterDraw());
  if (headers) {
    if (const auto* retryAfter = findHeader(*headers, "Retry-After")) {
      if (auto wait = parseRetryAfter(*retryAfter, std::chrono::system_clock::now())) {
        delay = std::min(*wait, policy.maxBackoff);
      }
    }
  }
  auto elapsed = std::chrono::steady_clock::now() - started;
  return elapsed + delay <= policy.maxElapsed;
}

template <class Attempt, class StatusOf, class HeadersOf>
auto runLoop(const HttpRequest& request, const RetryPolicy& policy, Idempotency idempotency,
             const RetryLog& log, Attempt attempt, StatusOf statusOf, HeadersOf headersOf) {
  const auto started = std::chrono::steady_clock::now();
  for (int n = 1;; ++n) {
    std::chrono::milliseconds delay{0};
    try {
      auto result = attempt();
      const int status = statusOf(result);
      const bool retryable = idempotency == Idempotency::Idempotent
                                 ? isRetryableStatus(status)
                                 : (status == 429 || status == 503);
      if (!retryable || !nextDelay(policy, n, started, &headersOf(result), delay) ||
          !rewindBody(request)) {
        return result;
      }
      if (log) {
        log(LogLevel::Warning, describe(request) + " answered HTTP " + std::to_string(status) +
                                   "; retry " + std::to_string(n) + " in " +
                                   std::to_string(delay.count()) + " ms");
      }
    } catch (const TransportError& e) {
      const bool safe = idempotency == Idempotency::Idempotent || !e.requestSent();
      if (!e.retryable() || !safe || !nextDelay(policy, n, started, nullptr, delay) ||
          !rewindBody(request)) {
        throw;
      }
      if (log) {
        log(LogLevel::Warning, describe(request) + " failed (" + e.what() + "); retry " +
                                   std::to_string(n) + " in " + std::to_string(delay.count()) +
                                   " ms");
      }
    }
    std::this_thread::sleep_for(delay);
  }
}

}  // namespace

HttpResponse sendWithRetries(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, Idempotency idempotency,
                             const RetryLog& log) {
  return runLoop(
      request, policy, idempotency, log, [&] { return transport.send(request); },
      [](const HttpResponse& r) { return r.status; },
      [](const HttpResponse& r) -> const Headers& { return r.headers; });
}

std::unique_ptr<HttpResponseStream> openWithRetries(HttpTransport& transport,
                                                    const HttpRequest& request,
                                                    const RetryPolicy& policy,
                                                    const RetryLog& log) {
  return runLoop(
      request, policy, Idempotency::Idempotent, log, [&] { return transport.open(request); },
      [](const std::unique_ptr<HttpResponseStream>& s) { return s->status(); },
      [](const std::unique_ptr<HttpResponseStream>& s) -> const Headers& { return s->headers(); });
}

}  // namespace sfdc::bulk::detail
