// The streamed gzip decoder of response bodies (ISA-L builds): the bytes zlib decodes,
// whatever the pieces the network cuts the body into, several members in a row, and
// damaged or cut data refused; through CurlTransport too, where damaged data is a
// transport error as libcurl's own decoding makes it.

#include "transport/gzip_decoder.hpp"

#include <gtest/gtest.h>

#include <random>
#include <sfdc/bulk/curl_transport.hpp>
#include <sfdc/bulk/error.hpp>
#include <string>

#include "support/transport_test_server.hpp"
#include "transport/gzip.hpp"

namespace sfdc::bulk::detail {
namespace {

std::string sample(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string s;
  while (s.size() < size) {
    s += "\"003" + std::to_string(random() % 100000) + "\",\"Name " +
         std::to_string(random() % 977) + "\",\"" + std::string(random() % 40, 'x') + "\"\n";
  }
  s.resize(size);
  return s;
}

// Feeds `gzip` in random pieces; returns the output, or "error: …".
std::string decodeInPieces(const std::string& gzip, unsigned seed, bool* complete = nullptr) {
  GzipDecoder decoder;
  std::mt19937 random(seed);
  std::string out;
  for (std::size_t at = 0; at < gzip.size();) {
    const std::size_t n = std::min<std::size_t>(gzip.size() - at, 1 + random() % 70000);
    if (!decoder.feed(gzip.data() + at, n, out)) return "error: " + decoder.error();
    at += n;
  }
  if (complete != nullptr) *complete = decoder.complete();
  return out;
}

class GzipDecoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!ownGzipDecoding()) GTEST_SKIP() << "built without ISA-L: libcurl decodes gzip";
  }
};

TEST_F(GzipDecoderTest, DecodesWhatZlibDecodesInAnyPieces) {
  for (const std::size_t size : {0ul, 1ul, 100ul, 65536ul, 300000ul, 3000000ul}) {
    const std::string text = sample(size, static_cast<unsigned>(size));
    const std::string gzip = gzipCompress(text);
    for (unsigned seed = 1; seed <= 4; ++seed) {
      bool complete = false;
      EXPECT_EQ(decodeInPieces(gzip, seed, &complete), text) << size << " seed " << seed;
      EXPECT_TRUE(complete);
    }
  }
}

TEST_F(GzipDecoderTest, ConcatenatedMembersDecodeToTheirConcatenation) {
  const std::string a = sample(200000, 1), b = sample(5, 2), c = sample(90000, 3);
  const std::string gzip = gzipCompress(a) + gzipCompress(b) + gzipCompress(c, 1);
  for (unsigned seed = 1; seed <= 4; ++seed) EXPECT_EQ(decodeInPieces(gzip, seed), a + b + c);
}

TEST_F(GzipDecoderTest, DamagedOrCutDataIsRefused) {
  const std::string text = sample(400000, 9);
  std::string gzip = gzipCompress(text);
  std::string damaged = gzip;
  damaged[damaged.size() - 6] ^= 0x55;  // the CRC-32 of the trailer
  EXPECT_EQ(decodeInPieces(damaged, 1).rfind("error: ", 0), 0u);
  std::string garbage = gzip.substr(0, 10) + std::string(5000, '\x7f');
  EXPECT_EQ(decodeInPieces(garbage, 1).rfind("error: ", 0), 0u);
  bool complete = true;
  const std::string cut = decodeInPieces(gzip.substr(0, gzip.size() - 4), 1, &complete);
  EXPECT_FALSE(complete) << "a body without its trailer passed for whole";
  GzipDecoder untouched;
  EXPECT_TRUE(untouched.complete());  // no body at all (HEAD, 204) is not cut short
}

class GzipTransportTest : public GzipDecoderTest {
 protected:
  HttpRequest get(const std::string& path) {
    HttpRequest request;
    request.method = "GET";
    request.url = server_.url(path);
    return request;
  }
  test_support::TestServer server_;
  CurlTransport transport_;
};

TEST_F(GzipTransportTest, ResponsesDecodeAndDamageIsATransportError) {
  const std::string text = sample(2000000, 5);
  server_.setGzipBytes(gzipCompress(text));
  const HttpResponse response = transport_.send(get("/gzip-bytes"));
  EXPECT_EQ(response.body, text);
  EXPECT_EQ(*findHeader(response.headers, "Content-Encoding"), "gzip");
  // Streamed as the query downloads read it.
  auto stream = transport_.open(get("/gzip-bytes"));
  std::string streamed;
  char buffer[7000];
  while (std::size_t n = stream->read(buffer, sizeof buffer)) streamed.append(buffer, n);
  EXPECT_EQ(streamed, text);

  std::string damaged = gzipCompress(text);
  damaged[damaged.size() / 2] ^= 0x55;
  server_.setGzipBytes(damaged);
  EXPECT_THROW(transport_.send(get("/gzip-bytes")), TransportError);
  const std::string whole = gzipCompress(text);
  server_.setGzipBytes(whole.substr(0, whole.size() - 3));
  try {
    transport_.send(get("/gzip-bytes"));
    FAIL() << "a gzip body without its trailer was accepted";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.curlCode(), 61) << e.what();  // CURLE_BAD_CONTENT_ENCODING
  }
}

}  // namespace
}  // namespace sfdc::bulk::detail
