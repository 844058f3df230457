#pragma once

// Which URLs may carry a session id or credentials: HTTPS ones, and plain HTTP only to a
// loopback host (a local emulator or test server), where nothing crosses a network.

#include <string>
#include <string_view>

namespace sfdc::bulk::detail {

/// localhost, an IPv4 address in 127.0.0.0/8 or the IPv6 loopback address (with or
/// without brackets).
bool isLoopbackHost(std::string_view host);

/// Empty when `url` is fine; otherwise why it is refused, as a phrase that follows the
/// URL in a message ("'http://x' is not HTTPS: ...").
std::string insecureUrlReason(std::string_view url);

/// Throws InvalidArgument "<what> '<url>' <reason>" unless `url` is fine.
void requireSecureUrl(std::string_view what, std::string_view url);

}  // namespace sfdc::bulk::detail
