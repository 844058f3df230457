#include "url_policy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>
#include <sfdc/bulk/error.hpp>

#include "transport/curl_errors.hpp"

namespace sfdc::bulk::detail {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host of `scheme://[user@]host[:port][/...]`, brackets of an IPv6 literal removed.
std::string hostOf(std::string_view url, std::size_t authorityStart) {
  std::string_view authority = url.substr(authorityStart);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const auto at = authority.rfind('@');
  if (at != std::string_view::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return lower(
        authority.substr(1, close == std::string_view::npos ? authority.size() - 1 : close - 1));
  }
  return lower(authority.substr(0, authority.find(':')));
}

}  // namespace

bool isLoopbackHost(std::string_view host) {
  std::string name = lower(host);
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  if (name == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

std::string insecureUrlReason(std::string_view url) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos) {
    return "has no https:// scheme (a bare host name would be reached over plain HTTP)";
  }
  const std::string scheme = lower(url.substr(0, separator));
  if (scheme == "https") return {};
  if (scheme == "http") {
    if (isLoopbackHost(hostOf(url, separator + 3))) return {};
    return "is not HTTPS: the session id and the records would travel unencrypted (plain "
           "http:// is accepted only for loopback hosts: localhost, 127.0.0.0/8, ::1)";
  }
  return "uses " + scheme + "://, not https://";
}

void requireSecureUrl(std::string_view what, std::string_view url) {
  const std::string reason = insecureUrlReason(url);
  if (!reason.empty()) {
    throw InvalidArgument(std::string(what) + " '" + urlForMessages(url) + "' " + reason);
  }
}

}  // namespace sfdc::bulk::detail
