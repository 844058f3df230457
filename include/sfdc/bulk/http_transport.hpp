#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <sfdc/bulk/export.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sfdc::bulk {

/// Ordered header list; names compare case-insensitively through `findHeader`.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// First value of header `name` (case-insensitive), or nullptr.
SFDC_BULK_EXPORT const std::string* findHeader(const Headers& headers,
                                               std::string_view name) noexcept;

/**
 * A request body produced piece by piece, so large batches are never held twice.
 * `read` fills up to `size` bytes and returns how many it wrote; 0 means the end.
 */
class SFDC_BULK_EXPORT BodySource {
 public:
  virtual ~BodySource() = default;
  /// Fill up to `size` bytes of `buffer`; returns how many, 0 at the end.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
  /// Start again from the first byte; false when the source cannot (then a request that
  /// needs replaying fails instead of sending a truncated body).
  virtual bool rewind() = 0;
  /// Total size in bytes when known up front, or -1.
  virtual long long size() const { return -1; }
};

/// One HTTP request. Exactly one of `body` / `bodySource` is used (`bodySource` wins).
struct HttpRequest {
  /// HTTP method: `GET`, `POST`, …
  std::string method = "GET";
  /// Absolute URL.
  std::string url;
  /// Request headers, sent in this order.
  Headers headers;
  /// Body held in memory; used when `bodySource` is null.
  std::string body;
  /// Body streamed from a source; wins over `body`.
  std::shared_ptr<BodySource> bodySource;
  /// Compress the body with gzip and send `Content-Encoding: gzip`.
  bool gzipBody = false;
  /// Overall deadline for this request; zero means the transport's default.
  std::chrono::milliseconds timeout{0};
};

/// A complete HTTP response. 4xx/5xx are ordinary responses, not errors.
struct HttpResponse {
  /// HTTP status code.
  int status = 0;
  /// Response headers, in the order received.
  Headers headers;
  std::string body;  ///< already gzip-decoded
};

/**
 * A response whose body is read incrementally, so a large query result never sits in
 * memory whole. Status and headers are known when the stream is returned.
 */
class SFDC_BULK_EXPORT HttpResponseStream {
 public:
  virtual ~HttpResponseStream() = default;
  /// HTTP status code.
  virtual int status() const = 0;
  /// Response headers, in the order received.
  virtual const Headers& headers() const = 0;
  /// Read up to `size` decoded body bytes; 0 means the end of the body. Throws
  /// TransportError when the connection fails mid-body.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

/**
 * The seam between the client and the network. Implementations must be safe to call
 * from several threads at once. Only failures to get an HTTP answer throw
 * (TransportError); any status code is returned as a response.
 */
class SFDC_BULK_EXPORT HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Send a request and read the whole response.
  virtual HttpResponse send(const HttpRequest& request) = 0;
  /// Send a request and return as soon as the headers arrived. The default
  /// implementation calls `send` and serves the body from memory.
  virtual std::unique_ptr<HttpResponseStream> open(const HttpRequest& request);
};

}  // namespace sfdc::bulk
