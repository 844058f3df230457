#include "transport/curl_handle_pool.hpp"

#include <sfdc/bulk/error.hpp>
#include <string>
#include <utility>

namespace sfdc::bulk::detail {

void ensureCurlGlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  // curl_global_cleanup is deliberately never called: other code in the process may
  // still use libcurl, and the OS reclaims everything at exit anyway.
  if (result != CURLE_OK) {
    throw TransportError(std::string("curl_global_init failed: ") + curl_easy_strerror(result),
                         result, false);
  }
}

CurlHandle::CurlHandle() {
  ensureCurlGlobalInit();
  easy_ = curl_easy_init();
  multi_ = curl_multi_init();
  if (easy_ == nullptr || multi_ == nullptr) {
    if (easy_ != nullptr) curl_easy_cleanup(easy_);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    throw TransportError("libcurl could not create a handle", CURLE_FAILED_INIT, false);
  }
  // One transfer at a time runs on this multi; a few cached connections let a thread
  // alternate between the login host and the instance host without reconnecting.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, 4L);
}

CurlHandle::~CurlHandle() {
  // The easy handle is never left inside the multi (transfers remove it), so the order
  // here only matters for the cached connections, which the multi closes.
  curl_easy_cleanup(easy_);
  curl_multi_cleanup(multi_);
}

std::unique_ptr<CurlHandle> CurlHandlePool::acquire() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      auto handle = std::move(idle_.back());
      idle_.pop_back();
      return handle;
    }
  }
  return std::make_unique<CurlHandle>();
}

void CurlHandlePool::release(std::unique_ptr<CurlHandle> handle) {
  if (!handle) return;
  // Forget the finished request's options (and its pointers into freed memory); live
  // connections, DNS and TLS session caches survive a reset.
  curl_easy_reset(handle->easy());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < maxIdle_) {
      idle_.push_back(std::move(handle));
      return;
    }
  }
  // Pool full: `handle` is destroyed here, outside the lock, since closing a TLS
  // connection may block.
}

std::size_t CurlHandlePool::idleCount() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return idle_.size();
}

}  // namespace sfdc::bulk::detail
