#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// True for failures a later attempt may not hit: DNS, connect, timeouts, resets,
/// truncated transfers. False for configuration problems (bad URL, TLS verification)
/// that would fail the same way again.
bool isRetryableCurlError(CURLcode code) noexcept;

/// True when `code` can only happen before any request byte was written (name
/// resolution, TCP connect, TLS handshake, URL parsing).
bool failsBeforeSending(CURLcode code) noexcept;

/// `url` without user info, query string or fragment: safe for error messages and
/// logs even when a caller put a secret there.
std::string urlForMessages(std::string_view url);

}  // namespace sfdc::bulk::detail
