#include "transport/curl_errors.hpp"

namespace sfdc::bulk::detail {

bool isRetryableCurlError(CURLcode code) noexcept {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    // DNS failures are usually transient (resolver hiccups, network switching); a
    // misspelt host fails every retry fast, so retrying costs little.
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    // A reset during the handshake reports as a generic TLS connect error;
    // certificate problems have codes of their own (below), so this one is retried.
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_AGAIN:
      return true;
    default:
      // Including CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
      // CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_ABORTED_BY_CALLBACK.
      return false;
  }
}

bool failsBeforeSending(CURLcode code) noexcept {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_FAILED_INIT:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_PROXY:
      return true;
    default:
      return false;
  }
}

std::string urlForMessages(std::string_view url) {
  const auto cut = url.find_first_of("?#");
  if (cut != std::string_view::npos) url = url.substr(0, cut);
  // Drop "user:password@" from the authority.
  const auto scheme = url.find("://");
  if (scheme != std::string_view::npos) {
    const auto authorityStart = scheme + 3;
    const auto authorityEnd = url.find('/', authorityStart);
    const auto at = url.substr(0, authorityEnd).rfind('@');
    if (at != std::string_view::npos && at >= authorityStart) {
      return std::string(url.substr(0, authorityStart)) + std::string(url.substr(at + 1));
    }
  }
  return std::string(url);
}

}  // namespace sfdc::bulk::detail
