#include <algorithm>
#include <cstring>
#include <sfdc/bulk/http_transport.hpp>
#include <string>
#include <utility>

namespace sfdc::bulk {
namespace {

char asciiLower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Header names are ASCII tokens (RFC 9110 §5.1), so a locale-free comparison is both
// correct and safe to call from any thread.
bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

/// Serves an already complete response; lets every transport offer `open`.
class BufferedResponseStream final : public HttpResponseStream {
 public:
  explicit BufferedResponseStream(HttpResponse response) : response_(std::move(response)) {}

  int status() const override { return response_.status; }
  const Headers& headers() const override { return response_.headers; }

  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, response_.body.size() - offset_);
    if (n > 0) std::memcpy(buffer, response_.body.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  HttpResponse response_;
  std::size_t offset_ = 0;
};

}  // namespace

const std::string* findHeader(const Headers& headers, std::string_view name) noexcept {
  for (const auto& header : headers) {
    if (equalsIgnoreCase(header.first, name)) return &header.second;
  }
  return nullptr;
}

std::unique_ptr<HttpResponseStream> HttpTransport::open(const HttpRequest& request) {
  return std::make_unique<BufferedResponseStream>(send(request));
}

}  // namespace sfdc::bulk
