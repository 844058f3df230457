#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace sfdc::bulk::detail {

/// Runs curl_global_init exactly once per process, so users never have to.
void ensureCurlGlobalInit();

/**
 * An easy handle together with the multi handle that drives it. Every transfer, blocking
 * or streamed, runs through the multi, and the multi owns the connection cache; keeping
 * the pair together is what lets a connection outlive one request without sharing a
 * connection cache between threads (which libcurl does not support).
 */
class CurlHandle {
 public:
  CurlHandle();  ///< Throws TransportError when libcurl cannot allocate the handles.
  ~CurlHandle();
  CurlHandle(const CurlHandle&) = delete;
  CurlHandle& operator=(const CurlHandle&) = delete;

  CURL* easy() const noexcept { return easy_; }
  CURLM* multi() const noexcept { return multi_; }

 private:
  CURL* easy_ = nullptr;
  CURLM* multi_ = nullptr;
};

/**
 * Idle handles (and with them their open connections) waiting for the next request.
 * A handle is used by one thread at a time: `acquire` hands it out exclusively and
 * `release` takes it back. Thread-safe.
 */
class CurlHandlePool {
 public:
  explicit CurlHandlePool(std::size_t maxIdle) : maxIdle_(maxIdle) {}

  /// The most recently released handle (its connection is the likeliest to be alive),
  /// or a new one.
  std::unique_ptr<CurlHandle> acquire();
  /// Keeps `handle` for reuse unless the pool is full. Only pass handles whose last
  /// transfer finished; a handle abandoned mid-transfer must simply be destroyed.
  void release(std::unique_ptr<CurlHandle> handle);
  std::size_t idleCount() const;

 private:
  const std::size_t maxIdle_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<CurlHandle>> idle_;
};

}  // namespace sfdc::bulk::detail
