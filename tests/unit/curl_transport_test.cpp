// CurlTransport against a cpp-httplib server on loopback: request/response round trips,
// gzip both ways, streamed uploads and downloads, failures, pooling and threads.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/transport_test_server.hpp"
#include "transport/gzip.hpp"

namespace sfdc::bulk {
namespace {

using namespace std::chrono_literals;
using namespace test_support;

class CurlTransportTest : public ::testing::Test {
 protected:
  HttpRequest get(const std::string& path) {
    HttpRequest request;
    request.url = server_.url(path);
    return request;
  }
  HttpRequest post(const std::string& path, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.url = server_.url(path);
    request.body = std::move(body);
    return request;
  }

  // A developer's or CI machine's proxy settings must not capture loopback traffic.
  ScopedEnv noProxy_{"no_proxy", "127.0.0.1,localhost"};
  TestServer server_;
  CurlTransport transport_;
};

TEST_F(CurlTransportTest, GetRoundTripsHeaders) {
  HttpRequest request = get("/echo?q=1");
  request.headers = {{"X-Test", "abc"}, {"Accept", "application/xml"}};
  const HttpResponse response = transport_.send(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "");
  ASSERT_NE(findHeader(response.headers, "x-reply"), nullptr);
  EXPECT_EQ(*findHeader(response.headers, "X-REPLY"), "yes");
  EXPECT_EQ(*findHeader(response.headers, "X-Method"), "GET");
  EXPECT_EQ(*findHeader(response.headers, "X-Got-Test"), "abc");
}

TEST_F(CurlTransportTest, PostRoundTripsBodyWithoutExpectContinue) {
  HttpRequest request = post("/echo", "Name\nAcme\n");
  request.headers = {{"Content-Type", "text/csv; charset=UTF-8"}};
  const HttpResponse response = transport_.send(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "Name\nAcme\n");
  EXPECT_EQ(*findHeader(response.headers, "X-Got-Content-Type"), "text/csv; charset=UTF-8");

  // A body large enough for libcurl to want "Expect: 100-continue" by default.
  request.body = pattern(2 * kMiB);
  const auto start = Clock::now();
  const HttpResponse big = transport_.send(request);
  EXPECT_LT(Clock::now() - start, 500ms);
  EXPECT_EQ(*findHeader(big.headers, "X-Got-Expect"), "absent");
  EXPECT_EQ(big.body, request.body);
}

TEST_F(CurlTransportTest, OtherMethods) {
  HttpRequest put = post("/echo", "put body");
  put.method = "PUT";
  HttpResponse response = transport_.send(put);
  EXPECT_EQ(*findHeader(response.headers, "X-Method"), "PUT");
  EXPECT_EQ(response.body, "put body");

  HttpRequest del = get("/echo");
  del.method = "DELETE";
  response = transport_.send(del);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(*findHeader(response.headers, "X-Method"), "DELETE");
}

TEST_F(CurlTransportTest, ErrorStatusesAreResponsesAndRedirectsAreNotFollowed) {
  for (int status : {400, 404, 500, 503}) {
    const HttpResponse response = transport_.send(get("/status/" + std::to_string(status)));
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(response.body, "status body");
  }
  const HttpResponse redirect = transport_.send(get("/redirect"));
  EXPECT_EQ(redirect.status, 302);
  ASSERT_NE(findHeader(redirect.headers, "Location"), nullptr);
}

TEST_F(CurlTransportTest, GzipResponseIsDecoded) {
  const HttpResponse response = transport_.send(get("/text"));
  ASSERT_EQ(response.status, 200);
  ASSERT_NE(findHeader(response.headers, "Content-Encoding"), nullptr);
  EXPECT_EQ(*findHeader(response.headers, "Content-Encoding"), "gzip");
  EXPECT_EQ(response.body, csvText(200'000));

  CurlOptions plain;
  plain.acceptGzip = false;
  CurlTransport identity(plain);
  const HttpResponse raw = identity.send(get("/text"));
  EXPECT_EQ(findHeader(raw.headers, "Content-Encoding"), nullptr);
  EXPECT_EQ(raw.body, csvText(200'000));
}

TEST_F(CurlTransportTest, GzipStringBodyArrivesCompressed) {
  const std::string body = csvText(3 * kMiB);
  HttpRequest request = post("/upload", body);
  request.headers = {{"Content-Type", "text/csv"}, {"X-Size", std::to_string(body.size())}};
  request.gzipBody = true;
  const HttpResponse response = transport_.send(request);
  EXPECT_EQ(response.body, "ok " + std::to_string(body.size()));
  EXPECT_EQ(*findHeader(response.headers, "X-Content-Encoding"), "gzip");
  // Known compressed size: sent with Content-Length, far below the original size.
  const auto compressedSize = std::stoul(*findHeader(response.headers, "X-Content-Length"));
  EXPECT_LT(compressedSize, body.size() / 4);
  EXPECT_EQ(compressedSize, detail::gzipCompress(body).size());
}

TEST_F(CurlTransportTest, GzipStreamedBodyIsCompressedOnTheFly) {
  const std::string body = csvText(4 * kMiB);
  HttpRequest request = post("/upload", "");
  request.headers = {{"Content-Type", "text/csv"}, {"X-Size", std::to_string(body.size())}};
  request.bodySource = std::make_shared<StringSource>(body);
  request.gzipBody = true;
  const HttpResponse response = transport_.send(request);
  EXPECT_EQ(response.body, "ok " + std::to_string(body.size()));
  EXPECT_EQ(*findHeader(response.headers, "X-Content-Encoding"), "gzip");
  EXPECT_EQ(*findHeader(response.headers, "X-Transfer-Encoding"), "chunked");
}

TEST_F(CurlTransportTest, StreamsUploadOfUnknownSize) {
  HttpRequest request = post("/upload", "");
  request.headers = {{"X-Expect", "pattern"}};
  request.bodySource = std::make_shared<PatternSource>(20 * kMiB, /*knownSize=*/false);
  const HttpResponse response = transport_.send(request);
  EXPECT_EQ(response.body, "ok " + std::to_string(20 * kMiB));
  EXPECT_EQ(*findHeader(response.headers, "X-Transfer-Encoding"), "chunked");

  // With a known size the body goes out with Content-Length instead.
  request.bodySource = std::make_shared<PatternSource>(kMiB, /*knownSize=*/true);
  const HttpResponse sized = transport_.send(request);
  EXPECT_EQ(sized.body, "ok " + std::to_string(kMiB));
  EXPECT_EQ(*findHeader(sized.headers, "X-Content-Length"), std::to_string(kMiB));
}

TEST_F(CurlTransportTest, BodySourceExceptionPropagates) {
  struct Failing final : BodySource {
    std::size_t read(char*, std::size_t) override { throw std::runtime_error("disk gone"); }
    bool rewind() override { return false; }
  };
  HttpRequest request = post("/upload", "");
  request.bodySource = std::make_shared<Failing>();
  EXPECT_THROW(
      {
        try {
          transport_.send(request);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "disk gone");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(transport_.send(get("/echo")).status, 200);  // the transport still works
}

TEST_F(CurlTransportTest, RejectsHeaderInjection) {
  HttpRequest request = get("/echo");
  request.headers = {{"X-Test", "a\r\nX-Evil: 1"}};
  EXPECT_THROW(transport_.send(request), InvalidArgument);
}

TEST_F(CurlTransportTest, OpenStreams50MegabytesWithBoundedBuffering) {
  auto stream = transport_.open(get("/big"));
  ASSERT_EQ(stream->status(), 200);
  ASSERT_NE(findHeader(stream->headers(), "Content-Length"), nullptr);
  EXPECT_EQ(*findHeader(stream->headers(), "Content-Length"), std::to_string(50 * kMiB));

  // Nobody reads yet: the paused transfer lets TCP push back, so the server stalls after
  // about the client buffer plus the kernel's socket buffers.
  std::this_thread::sleep_for(100ms);
  EXPECT_LT(server_.bigBodyProduced.load(), 25 * kMiB);

  std::vector<char> piece(4093);
  std::size_t offset = 0;
  std::size_t mismatch = std::string::npos;
  while (std::size_t n = stream->read(piece.data(), piece.size())) {
    for (std::size_t i = 0; i < n && mismatch == std::string::npos; ++i) {
      if (piece[i] != patternByte(offset + i)) mismatch = offset + i;
    }
    offset += n;
  }
  EXPECT_EQ(offset, 50 * kMiB);
  EXPECT_EQ(mismatch, std::string::npos);
  EXPECT_EQ(stream->read(piece.data(), piece.size()), 0u);  // end stays the end
}

TEST_F(CurlTransportTest, OpenDecodesGzipWhilePausing) {
  auto stream = transport_.open(get("/big-text"));
  ASSERT_EQ(stream->status(), 200);
  EXPECT_EQ(*findHeader(stream->headers(), "Content-Encoding"), "gzip");
  std::this_thread::sleep_for(20ms);  // let the buffer fill up and pause
  std::string body;
  std::vector<char> piece(1000);
  while (std::size_t n = stream->read(piece.data(), piece.size())) body.append(piece.data(), n);
  EXPECT_EQ(body, csvText(6 * kMiB));
}

TEST_F(CurlTransportTest, AbandonedStreamDoesNotPoisonThePool) {
  for (int i = 0; i < 3; ++i) {
    auto stream = transport_.open(get("/big"));
    char first[10];
    ASSERT_EQ(stream->read(first, sizeof first), sizeof first);
  }
  EXPECT_EQ(transport_.send(post("/echo", "still fine")).body, "still fine");
  auto small = transport_.open(post("/echo", "streamed echo"));
  std::string body(64, '\0');
  body.resize(small->read(body.data(), body.size()));
  EXPECT_EQ(body, "streamed echo");
  EXPECT_EQ(small->read(body.data(), body.size()), 0u);
}

TEST_F(CurlTransportTest, ConnectionRefusedIsRetryableAndUnsent) {
  HttpRequest request = post("/x?token=secret", "body");
  request.url = "http://127.0.0.1:" + std::to_string(unusedPort()) + "/x?token=secret";
  try {
    transport_.send(request);
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.curlCode(), 7);  // CURLE_COULDNT_CONNECT
    EXPECT_TRUE(e.retryable());
    EXPECT_FALSE(e.requestSent());
    const std::string what = e.what();
    EXPECT_NE(what.find("POST http://127.0.0.1:"), std::string::npos) << what;
    EXPECT_EQ(what.find("secret"), std::string::npos) << what;
  }
  EXPECT_THROW(transport_.open(request), TransportError);
}

TEST_F(CurlTransportTest, BadUrlIsNotRetryable) {
  HttpRequest request = get("/");
  request.url = "notascheme://host/";
  try {
    transport_.send(request);
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_FALSE(e.retryable());
    EXPECT_FALSE(e.requestSent());
  }
}

TEST_F(CurlTransportTest, ConnectionDroppedMidBodyThrowsFromRead) {
  auto stream = transport_.open(get("/truncated"));
  ASSERT_EQ(stream->status(), 200);
  std::vector<char> piece(64 * 1024);
  std::size_t received = 0;
  try {
    while (std::size_t n = stream->read(piece.data(), piece.size())) received += n;
    FAIL() << "expected TransportError after " << received << " bytes";
  } catch (const TransportError& e) {
    EXPECT_TRUE(e.retryable());
    EXPECT_TRUE(e.requestSent());
    EXPECT_EQ(received, kMiB);  // everything before the drop is delivered first
  }
  try {
    transport_.send(get("/truncated"));
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.curlCode(), 18);  // CURLE_PARTIAL_FILE
    EXPECT_TRUE(e.retryable());
    EXPECT_TRUE(e.requestSent());
  }
}

TEST_F(CurlTransportTest, RequestTimeoutWinsOverDefault) {
  HttpRequest request = get("/slow");
  request.timeout = 150ms;
  auto start = Clock::now();
  try {
    transport_.send(request);
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.curlCode(), 28);  // CURLE_OPERATION_TIMEDOUT
    EXPECT_TRUE(e.retryable());
    EXPECT_TRUE(e.requestSent());  // a GET went out; the answer did not come
  }
  EXPECT_LT(Clock::now() - start, 1s);

  start = Clock::now();
  try {
    transport_.open(request);
    FAIL() << "expected TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.curlCode(), 28);
    EXPECT_TRUE(e.retryable());
  }
  EXPECT_LT(Clock::now() - start, 1s);

  CurlOptions options;
  options.requestTimeout = 100ms;
  CurlTransport shortDefault(options);
  EXPECT_THROW(shortDefault.send(get("/slow")), TransportError);
}

TEST_F(CurlTransportTest, UsesExplicitProxyOrTheEnvironment) {
  HttpRequest request;
  request.url = "http://api.example.invalid/services/async/62.0/job";

  CurlOptions options;
  options.proxy = server_.url("");
  EXPECT_EQ(CurlTransport(options).send(request).body, "proxied " + request.url);

  // Without an explicit proxy libcurl reads http_proxy / no_proxy itself.
  ScopedEnv httpProxy("http_proxy", server_.url("").c_str());
  {
    ScopedEnv noProxy("no_proxy", nullptr);
    ScopedEnv noProxyUpper("NO_PROXY", nullptr);
    EXPECT_EQ(CurlTransport().send(request).body, "proxied " + request.url);
  }
  ScopedEnv noProxy("no_proxy", "api.example.invalid");
  EXPECT_THROW(CurlTransport().send(request), TransportError);  // direct: no such host
}

TEST_F(CurlTransportTest, ReusesConnectionAcrossSequentialRequests) {
  for (int i = 0; i < 20; ++i) {
    const HttpResponse response =
        i % 2 == 0 ? transport_.send(get("/echo")) : transport_.send(post("/echo", "x"));
    ASSERT_EQ(response.status, 200);
  }
  EXPECT_EQ(server_.distinctClientPorts(), 1u);
}

TEST_F(CurlTransportTest, ConcurrentRequestsFromEightThreads) {
  constexpr int kThreads = 8;
  constexpr int kRequests = 50;
  {
    // cpp-httplib 0.11 listens with a backlog of 5, so eight simultaneous connects can
    // lose a SYN and stall a thread for the kernel's 1 s retransmit. Open the
    // connections one by one first: eight streams held at once need eight handles,
    // which all return to the pool (connected) when the streams end.
    std::vector<std::unique_ptr<HttpResponseStream>> streams;
    for (int t = 0; t < kThreads; ++t) streams.push_back(transport_.open(get("/echo")));
    char byte;
    for (auto& stream : streams) EXPECT_EQ(stream->read(&byte, 1), 0u);
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = "thread " + std::to_string(t) + " request " + std::to_string(i);
        try {
          const HttpResponse response = transport_.send(post("/echo", body));
          if (response.status != 200 || response.body != body) ++wrong;
        } catch (const std::exception&) {
          ++wrong;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  // One connection per concurrently active handle, reused across the 400 requests.
  EXPECT_LE(server_.distinctClientPorts(), static_cast<std::size_t>(kThreads));
}

}  // namespace
}  // namespace sfdc::bulk
