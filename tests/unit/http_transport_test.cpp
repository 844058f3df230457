#include <gtest/gtest.h>

#include <memory>
#include <sfdc/bulk/http_transport.hpp>
#include <string>

namespace sfdc::bulk {
namespace {

TEST(HttpTransportTest, FindHeaderIgnoresCaseAndReturnsFirst) {
  const Headers headers = {{"Content-Type", "text/csv"}, {"X-A", "1"}, {"x-a", "2"}};
  ASSERT_NE(findHeader(headers, "content-type"), nullptr);
  EXPECT_EQ(*findHeader(headers, "CONTENT-TYPE"), "text/csv");
  EXPECT_EQ(*findHeader(headers, "X-a"), "1");
  EXPECT_EQ(findHeader(headers, "Content-Typ"), nullptr);
  EXPECT_EQ(findHeader({}, "X"), nullptr);
}

/// Implements only `send`, so `open` is the base class's buffered default.
class CannedTransport final : public HttpTransport {
 public:
  HttpResponse send(const HttpRequest& request) override {
    lastUrl = request.url;
    return HttpResponse{201, {{"Location", "/x"}}, "0123456789"};
  }
  std::string lastUrl;
};

TEST(HttpTransportTest, DefaultOpenServesSendResultFromMemory) {
  CannedTransport transport;
  HttpRequest request;
  request.url = "http://example.invalid/a";
  auto stream = transport.open(request);
  EXPECT_EQ(transport.lastUrl, request.url);
  EXPECT_EQ(stream->status(), 201);
  EXPECT_EQ(*findHeader(stream->headers(), "location"), "/x");
  char buffer[4];
  std::string body;
  while (std::size_t n = stream->read(buffer, sizeof buffer)) body.append(buffer, n);
  EXPECT_EQ(body, "0123456789");
  EXPECT_EQ(stream->read(buffer, sizeof buffer), 0u);
}

}  // namespace
}  // namespace sfdc::bulk
