#include "retry_loop.hpp"

namespace sfdc::bulk::detail {

HttpResponse sendWithRetries(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, Idempotency idempotency,
                             const RetryLog& log) {
  static const Pacing pacing = Pacing::system();
  LoopSpec spec;
  spec.policy = policy;
  spec.idempotency = idempotency;
  LoopHooks hooks;
  hooks.build = [&request] { return request; };
  hooks.log = [&log](LogLevel level, const std::string& message) {
    // The token endpoint's own lines stay as they were: retries only.
    if (log && level != LogLevel::Debug) log(level, message);
  };
  return runRequestLoop(transport, spec, hooks, pacing).response;
}

}  // namespace sfdc::bulk::detail
