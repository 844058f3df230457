#include <sfdc/bulk/curl_transport.hpp>
#include <utility>

#include "transport/curl_handle_pool.hpp"
#include "transport/curl_transfer.hpp"

namespace sfdc::bulk {

class CurlTransport::Impl {
 public:
  explicit Impl(CurlOptions options)
      : options_(std::move(options)),
        pool_(std::make_shared<detail::CurlHandlePool>(options_.maxIdleConnections)) {
    // Initialise libcurl here, on the constructing thread, rather than lazily inside
    // the first (possibly concurrent) request.
    detail::ensureCurlGlobalInit();
  }

  const CurlOptions& options() const noexcept { return options_; }
  const std::shared_ptr<detail::CurlHandlePool>& pool() const noexcept { return pool_; }

 private:
  const CurlOptions options_;
  // Shared with open streams, which may outlive the transport and still hand their
  // handle back.
  std::shared_ptr<detail::CurlHandlePool> pool_;
};

namespace {

class CurlResponseStream final : public HttpResponseStream {
 public:
  explicit CurlResponseStream(std::unique_ptr<detail::CurlTransfer> transfer)
      : transfer_(std::move(transfer)) {}

  int status() const override { return transfer_->status(); }
  const Headers& headers() const override { return transfer_->headers(); }
  std::size_t read(char* buffer, std::size_t size) override {
    return transfer_->read(buffer, size);
  }

 private:
  std::unique_ptr<detail::CurlTransfer> transfer_;
};

}  // namespace

CurlTransport::CurlTransport(CurlOptions options)
    : impl_(std::make_shared<Impl>(std::move(options))) {}

CurlTransport::~CurlTransport() = default;

const CurlOptions& CurlTransport::options() const noexcept { return impl_->options(); }

HttpResponse CurlTransport::send(const HttpRequest& request) {
  detail::CurlTransfer transfer(impl_->pool(), impl_->options(), request,
                                detail::CurlTransfer::Mode::Collect);
  return transfer.perform();
}

std::unique_ptr<HttpResponseStream> CurlTransport::open(const HttpRequest& request) {
  auto transfer = std::make_unique<detail::CurlTransfer>(impl_->pool(), impl_->options(), request,
                                                         detail::CurlTransfer::Mode::Stream);
  transfer->waitForHeaders();
  return std::make_unique<CurlResponseStream>(std::move(transfer));
}

}  // namespace sfdc::bulk
