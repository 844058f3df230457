#include "request_loop.hpp"

#include <algorithm>
#include <sfdc/bulk/error.hpp>

#include "retry.hpp"

namespace sfdc::bulk::detail {
namespace {

std::string describe(const HttpRequest& request) {
  auto url = request.url.substr(0, request.url.find('?'));
  return request.method + " " + url;
}

bool rewindBody(const HttpRequest& request) {
  return !request.bodySource || request.bodySource->rewind();
}

// Read the rest of a streamed error body (bounded: error documents are small).
std::string drain(HttpResponseStream& stream) {
  std::string body;
  char buffer[4096];
  while (body.size() < (1 << 20)) {
    std::size_t n = stream.read(buffer, sizeof buffer);
    if (n == 0) break;
    body.append(buffer, n);
  }
  return body;
}

class Attempts {
 public:
  Attempts(const RetryPolicy& policy, const Pacing& pacing)
      : policy_(policy), pacing_(pacing), started_(pacing.now()) {}

  /// Start counting again (a renewed session sends the request as new).
  void restart() {
    attempt_ = 0;
    started_ = pacing_.now();
  }
  int next() { return ++attempt_; }

  /// The wait before the next attempt, or false to give up.
  bool delay(const Headers* headers, std::chrono::milliseconds& delay) const {
    if (attempt_ >= policy_.maxAttempts) return false;
    delay = backoffDelay(policy_, attempt_, pacing_.unitRandom());
    if (headers != nullptr) {
      if (const auto* retryAfter = findHeader(*headers, "Retry-After")) {
        if (auto wait = parseRetryAfter(*retryAfter, pacing_.wallClock())) {
          delay = std::min(*wait, policy_.maxBackoff);
        }
      }
    }
    return pacing_.now() - started_ + delay <= policy_.maxElapsed;
  }

 private:
  const RetryPolicy& policy_;
  const Pacing& pacing_;
  std::chrono::steady_clock::time_point started_;
  int attempt_ = 0;
};

}  // namespace

Reply runRequestLoop(HttpTransport& transport, const LoopSpec& spec, const LoopHooks& hooks,
                     const Pacing& pacing) {
  const bool streamed = spec.delivery == Delivery::Streamed;
  auto log = [&hooks](LogLevel level, const std::string& message) {
    if (hooks.log) hooks.log(level, message);
  };
  auto count = [&hooks] {
    if (hooks.requests != nullptr) hooks.requests->fetch_add(1);
  };
  Attempts attempts(spec.policy, pacing);
  int renewals = 0;
  for (;;) {
    const int n = attempts.next();
    const HttpRequest request = hooks.build();
    std::chrono::milliseconds delay{0};
    Reply reply;
    const auto sent = pacing.now();
    try {
      if (streamed) {
        reply.stream = transport.open(request);
        reply.response.status = reply.stream->status();
        reply.response.headers = reply.stream->headers();
      } else {
        reply.response = transport.send(request);
      }
      count();
    } catch (const TransportError& e) {
      if (e.requestSent()) count();
      const bool safe = spec.idempotency == Idempotency::Idempotent || !e.requestSent();
      if (!e.retryable() || !safe || !attempts.delay(nullptr, delay) || !rewindBody(request)) {
        throw;
      }
      if (e.requestSent() && hooks.uncertainAttempts != nullptr) ++*hooks.uncertainAttempts;
      log(LogLevel::Warning, describe(request) + " failed (" + e.what() + "); retry " +
                                 std::to_string(n) + " in " + std::to_string(delay.count()) +
                                 " ms");
      pacing.sleep(delay);
      continue;
    }

    HttpResponse& answer = reply.response;
    const bool success = classifyStatus(answer.status) == StatusClass::Success;
    if (streamed && !success) {
      answer.body = drain(*reply.stream);
      reply.stream.reset();
    }
    const Verdict verdict = classifyResponse(answer.status, answer.body, spec.idempotency);
    if (verdict == Verdict::Retry && attempts.delay(&answer.headers, delay) &&
        rewindBody(request)) {
      if (classifyStatus(answer.status) != StatusClass::NotActedOn &&
          hooks.uncertainAttempts != nullptr) {
        ++*hooks.uncertainAttempts;
      }
      log(LogLevel::Warning, describe(request) + " answered HTTP " + std::to_string(answer.status) +
                                 "; retry " + std::to_string(n) + " in " +
                                 std::to_string(delay.count()) + " ms");
      pacing.sleep(delay);
      continue;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(pacing.now() - sent).count();
    log(LogLevel::Debug, request.method + " " + request.url + " -> " +
                             std::to_string(answer.status) +
                             (streamed && success ? std::string(" (streamed)")
                                                  : " (" + std::to_string(answer.body.size()) +
                                                        " bytes, " + std::to_string(ms) + " ms)"));
    if (verdict == Verdict::Success) return reply;
    if (verdict == Verdict::SessionExpired && hooks.renewSession) {
      hooks.renewSession(answer, renewals++);
      attempts.restart();
      continue;
    }
    if (hooks.fail) hooks.fail(answer);
    return reply;
  }
}

}  // namespace sfdc::bulk::detail
