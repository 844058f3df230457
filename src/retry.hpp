#pragma once

// Backoff arithmetic for the retry loop, kept free of I/O so it can be tested with
// fixed random draws and a fixed clock.

#include <chrono>
#include <optional>
#include <sfdc/bulk/config.hpp>
#include <string_view>

namespace sfdc::bulk::detail {

/// Delay before retry number `retry` (1 = first retry): exponential growth from
/// initialBackoff by multiplier, capped at maxBackoff, with "equal jitter": half the
/// step fixed, half drawn from `unitRandom` in [0, 1). Equal jitter keeps clients from
/// retrying in lockstep while never retrying instantly.
std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retry, double unitRandom);

/// Parse a `Retry-After` value: delta-seconds or an HTTP-date (RFC 7231 IMF-fixdate,
/// also RFC 850 and asctime forms). Returns the wait from `now`, never negative;
/// nullopt when the value is malformed.
std::optional<std::chrono::milliseconds> parseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

}  // namespace sfdc::bulk::detail
