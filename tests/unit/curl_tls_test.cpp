// Certificate verification over the real CurlTransport against an HTTPS server on
// loopback with a self-signed certificate: refused by default with a message that says
// why, accepted once the certificate is the CA bundle, and a warning on every client
// made over a transport that does not verify.

#include <gtest/gtest.h>

#include <sfdc/bulk.hpp>
#include <sfdc/bulk/curl_transport.hpp>
#include <string>
#include <vector>

#include "support/responses.hpp"
#include "support/tls_test_server.hpp"

namespace sfdc::bulk {
namespace {

using test_support::SelfSignedCertificate;
using test_support::TlsTestServer;

constexpr const char* kJobId = "750x00000000001AAA";

class CurlTls : public ::testing::Test {
 protected:
  CurlTls()
      : certificate(::testing::UnitTest::GetInstance()->current_test_info()->name()),
        server(certificate, [](const httplib::Request& req, httplib::Response& res) {
          if (req.path == std::string("/services/async/59.0/job/") + kJobId) {
            res.set_content(testing::jobInfoXml(kJobId, "insert", "Contact", "Open", "CSV"),
                            "application/xml");
          } else {
            res.set_content("hello over TLS", "text/plain");
          }
        }) {}

  Client clientOver(CurlOptions options, std::vector<std::string>* warnings = nullptr) {
    Config config;
    config.baseUrl = server.url();
    config.clientConfig = AccessTokenConfig{"00Dx0000000BV7z!AR8AQtls-token"};
    config.retry.maxAttempts = 1;
    if (warnings != nullptr) {
      config.logHandler = [warnings](LogLevel level, std::string_view line) {
        if (level == LogLevel::Warning) warnings->emplace_back(line);
      };
    }
    return Client(config, std::make_shared<CurlTransport>(options));
  }

  static HttpRequest get(const std::string& url) {
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    return request;
  }

  SelfSignedCertificate certificate;
  TlsTestServer server;
};

TEST_F(CurlTls, SelfSignedServerIsRefusedByDefaultWithACertificateMessage) {
  CurlTransport transport;
  try {
    transport.send(get(server.url("/hello")));
    FAIL() << "a self-signed certificate was accepted";
  } catch (const TransportError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("certificate"), std::string::npos) << what;
    EXPECT_FALSE(e.retryable()) << "a certificate problem fails the same way every time";
    EXPECT_FALSE(e.requestSent());
  }
}

TEST_F(CurlTls, SelfSignedServerIsAcceptedWithItsCertificateAsCaBundle) {
  CurlOptions options;
  options.caBundle = certificate.certFile();
  CurlTransport transport(options);
  const HttpResponse response = transport.send(get(server.url("/hello")));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "hello over TLS");
}

TEST_F(CurlTls, ClientRefusesTheServerByDefaultAndTalksToItWithTheCaBundle) {
  Client refusing = clientOver(CurlOptions{});
  const Job job{kJobId, Operation::Insert, "Contact", ContentType::CSV, ""};
  EXPECT_THROW(refusing.getJobInfo(job), TransportError);

  CurlOptions trusting;
  trusting.caBundle = certificate.certFile();
  Client client = clientOver(trusting);
  EXPECT_EQ(client.getJobInfo(job).id, kJobId);
}

TEST_F(CurlTls, AnotherCertificateAsCaBundleDoesNotMakeTheServerTrusted) {
  SelfSignedCertificate other("other-ca");
  CurlOptions options;
  options.caBundle = other.certFile();
  CurlTransport transport(options);
  EXPECT_THROW(transport.send(get(server.url("/hello"))), TransportError);
}

TEST_F(CurlTls, VerificationOffWarnsOnEveryClientConstruction) {
  CurlOptions off;
  off.verifyTls = false;
  std::vector<std::string> warnings;
  Client first = clientOver(off, &warnings);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("verification is off"), std::string::npos) << warnings[0];
  Client second = clientOver(off, &warnings);
  EXPECT_EQ(warnings.size(), 2u) << "each client says it again";
  // The warning is about a real effect: the self-signed server is accepted.
  const Job job{kJobId, Operation::Insert, "Contact", ContentType::CSV, ""};
  EXPECT_EQ(second.getJobInfo(job).id, kJobId);

  std::vector<std::string> none;
  Client verifying = clientOver(CurlOptions{}, &none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace sfdc::bulk
