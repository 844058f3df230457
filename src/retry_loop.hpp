#pragma once

// Retries alone, for requests outside the Bulk API session (the token endpoint): the
// request loop without session renewal, returning the last answer whatever its status.

#include <sfdc/bulk/config.hpp>
#include <sfdc/bulk/http_transport.hpp>

#include "request_loop.hpp"

namespace sfdc::bulk::detail {

/// Send `request` through `transport`, retrying per `policy`. Returns the last response
/// (which may still be an error status); rethrows the last TransportError.
HttpResponse sendWithRetries(HttpTransport& transport, const HttpRequest& request,
                             const RetryPolicy& policy, Idempotency idempotency,
                             const RetryLog& log);

}  // namespace sfdc::bulk::detail
