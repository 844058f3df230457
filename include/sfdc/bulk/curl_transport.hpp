#pragma once

#include <chrono>
#include <memory>
#include <sfdc/bulk/export.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <string>

namespace sfdc::bulk {

/// Settings of the libcurl transport. Defaults suit Salesforce over the internet.
struct CurlOptions {
  /// Time allowed to connect.
  std::chrono::milliseconds connectTimeout{std::chrono::seconds(30)};
  /// Default total time for one request (0 = no limit); a request's own timeout wins.
  std::chrono::milliseconds requestTimeout{std::chrono::minutes(10)};
  /// Abort a transfer slower than 1 byte/s for this long (0 = off); catches dead peers.
  std::chrono::milliseconds lowSpeedTimeout{std::chrono::seconds(120)};
  /// Verify TLS certificates and host names. Turn off only for local test servers: a
  /// Client over such a transport logs a warning each time it is constructed.
  bool verifyTls = true;
  /// CA bundle (PEM file) to trust instead of the system's, e.g. a private CA; empty
  /// uses the system default.
  std::string caBundle;
  /// Explicit proxy URL; empty uses libcurl's environment handling
  /// (`https_proxy`, `http_proxy`, `no_proxy`, `all_proxy`).
  std::string proxy;
  /// Ask for gzip responses (`Accept-Encoding: gzip`) and decode them.
  bool acceptGzip = true;
  /// Idle connections kept per transport for reuse.
  std::size_t maxIdleConnections = 16;
  /// Value of the `User-Agent` header.
  std::string userAgent = "sfdc-bulk";
};

/**
 * HttpTransport over libcurl. Connections are pooled and reused across calls and
 * threads; each call takes a handle from the pool and returns it afterwards.
 */
class SFDC_BULK_EXPORT CurlTransport final : public HttpTransport {
 public:
  /// A transport with its own connection pool.
  explicit CurlTransport(CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// The settings this transport was made with.
  const CurlOptions& options() const noexcept;

  HttpResponse send(const HttpRequest& request) override;
  std::unique_ptr<HttpResponseStream> open(const HttpRequest& request) override;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace sfdc::bulk
