#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/http_transport.hpp>
#include <string>
#include <string_view>

#include "transport/curl_handle_pool.hpp"
#include "transport/gzip_decoder.hpp"

namespace sfdc::bulk::detail {

/**
 * One HTTP exchange on a pooled handle, driven through the handle's multi so the same
 * code serves both the blocking `send` and the pull-based `open`.
 *
 * In `Collect` mode the whole body accumulates in memory. In `Stream` mode the body
 * goes to a buffer that the caller drains with `read`; when the buffer holds more than
 * kStreamBufferLimit the transfer is paused (CURL_WRITEFUNC_PAUSE), which stops reading
 * from the socket and lets TCP flow control push back on the server.
 *
 * Not thread-safe; one thread drives a transfer. The destructor returns the handle to
 * the pool when the transfer finished cleanly and destroys it otherwise, so no handle
 * with a half-read response is ever reused.
 */
class CurlTransfer {
 public:
  enum class Mode { Collect, Stream };
  static constexpr std::size_t kStreamBufferLimit = 1024 * 1024;

  CurlTransfer(std::shared_ptr<CurlHandlePool> pool, const CurlOptions& options,
               const HttpRequest& request, Mode mode);
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  /// Collect mode: runs to the end and returns the response. Throws TransportError.
  HttpResponse perform();
  /// Stream mode: runs until the final response's headers are complete, within the
  /// request's timeout. Throws TransportError.
  void waitForHeaders();
  /// Stream mode: up to `size` decoded body bytes, 0 at the end. Throws TransportError
  /// when the transfer failed (after handing out whatever arrived before the failure).
  std::size_t read(char* buffer, std::size_t size);

  int status() const noexcept { return status_; }
  const Headers& headers() const noexcept { return headers_; }

 private:
  static std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t onWrite(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t onRead(char* data, std::size_t size, std::size_t count, void* self);
  static int onSeek(void* self, curl_off_t offset, int origin);

  void configure(const CurlOptions& options, const HttpRequest& request);
  void configureBody(const HttpRequest& request);
  void buildHeaderList(const HttpRequest& request);
  void start();
  /// Runs the multi until `done()` holds or the transfer ends; past `deadline` (when
  /// set) it gives up with a timeout.
  template <typename Done>
  void drive(Done done, std::chrono::steady_clock::time_point deadline);
  void markFinished(CURLcode result);
  [[noreturn]] void throwFailure();
  [[noreturn]] void throwTimeout();
  void reserveForContentLength();
  bool requestSent() const;
  std::size_t buffered() const noexcept { return body_.size() - bodyReadPos_; }

  std::shared_ptr<CurlHandlePool> pool_;
  std::unique_ptr<CurlHandle> handle_;
  Mode mode_;
  std::string method_;
  std::string safeUrl_;  // URL without query string or user info, for error messages
  std::chrono::milliseconds timeout_{0};
  curl_slist* headerList_ = nullptr;
  char errorBuffer_[CURL_ERROR_SIZE] = {};

  // Request body: either bytes (owned copy or view of the caller's request) or a source.
  bool hasBody_ = false;
  std::string ownedBody_;
  std::string_view bodyBytes_;
  std::shared_ptr<BodySource> bodySource_;
  long long bodySize_ = -1;
  long long bodyOffset_ = 0;
  bool bodyEnded_ = false;      // sticky: the whole body was handed to libcurl at least once
  bool replayRefused_ = false;  // libcurl wanted to resend a body already sent whole
  std::exception_ptr callbackError_;

  // Response.
  int status_ = 0;
  Headers headers_;
  bool headersComplete_ = false;
  std::string body_;
  std::size_t bodyReadPos_ = 0;
  bool paused_ = false;
  bool ownGzip_ = false;               // Accept-Encoding sent by us, decoded by gzip_
  std::unique_ptr<GzipDecoder> gzip_;  // the body is gzip and decoded here
  std::string decodeError_;            // why decoding failed

  bool attached_ = false;  // the easy handle is inside the multi
  bool finished_ = false;
  CURLcode result_ = CURLE_OK;
  std::string multiError_;
};

}  // namespace sfdc::bulk::detail
