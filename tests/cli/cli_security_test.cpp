// sfbulk against endpoints that must not be trusted blindly: ids that would steer a
// request path, HTTPS servers whose certificate is not trusted (and --ca-bundle or the
// CURL_CA_BUNDLE / SSL_CERT_FILE variables that trust it), a token endpoint that echoes
// secrets or answers with the wrong shapes, and a plain-HTTP instance URL.

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "../unit/support/responses.hpp"
#include "../unit/support/tls_test_server.hpp"
#include "support/cli_fixture.hpp"

namespace sfbulk::testing {
namespace {

using namespace sfdc::bulk;
using sfdc::bulk::test_support::SelfSignedCertificate;
using sfdc::bulk::test_support::TlsTestServer;

constexpr const char* kJobId = "750x00000000042AAA";

/// A plain-HTTP token endpoint on loopback that answers every request with `answer`.
class FakeTokenEndpoint {
 public:
  using Answer = std::function<void(const httplib::Request&, httplib::Response&)>;
  explicit FakeTokenEndpoint(Answer answer) : answer_(std::move(answer)) {
    server_.Post(
        ".*", [this](const httplib::Request& req, httplib::Response& res) { answer_(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeTokenEndpoint() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/services/oauth2/token";
  }

 private:
  httplib::Server server_;
  Answer answer_;
  int port_ = 0;
  std::thread thread_;
};

class CliSecurity : public CliTest {};

TEST_F(CliSecurity, AJobIdWithAPathInItIsRefusedAndTheOtherJobIsUntouched) {
  auto c = client();
  const Job victim = c.createJob(Operation::Insert, "Contact", ContentType::CSV);
  const std::string steered = "x/../" + victim.id;
  const auto r = run({"job", "abort", steered});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "'" + steered + "'")) << r.err;
  EXPECT_TRUE(contains(r.err, "not a Salesforce id")) << r.err;
  EXPECT_EQ(c.getJobInfo(victim).state, JobState::Open);
}

TEST_F(CliSecurity, IdsOfTheWrongLengthOrCharactersExitTwo) {
  const Job job = client().createJob(Operation::Insert, "Contact", ContentType::CSV);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"job", "info", "750A"},
        std::vector<std::string>{"job", "close", "750x00000000042AAAB"},
        std::vector<std::string>{"job", "batches", "750x0000000004?AAA"},
        std::vector<std::string>{"job", "results", job.id, "../../job/" + job.id}}) {
    const auto r = run(args);
    EXPECT_EQ(r.exitCode, 2) << args[1] << " " << args[2] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "not a Salesforce id")) << r.err;
  }
}

TEST_F(CliSecurity, EmulatorIdsPass) {
  auto c = client();
  const Job job = c.createJob(Operation::Insert, "Contact", ContentType::CSV);
  const BatchInfo batch = c.addBatch(job, "LastName\nTuring\n");
  auto r = run({"job", "batches", job.id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, batch.id)) << r.out;
  r = run({"job", "close", job.id});
  EXPECT_EQ(r.exitCode, 0) << r.err;
}

class CliTls : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    certificate = std::make_unique<SelfSignedCertificate>("cli-tls");
    other = std::make_unique<SelfSignedCertificate>("cli-tls-other");
    tls = std::make_unique<TlsTestServer>(*certificate, [](const httplib::Request& req,
                                                           httplib::Response& res) {
      if (req.path == std::string("/services/async/59.0/job/") + kJobId) {
        res.set_content(sfdc::bulk::testing::jobInfoXml(kJobId, "insert", "Contact", "Open", "CSV"),
                        "application/xml");
      } else {
        res.status = 404;
      }
    });
    // An access token straight to the HTTPS server: no token endpoint involved.
    env = {{"SFDC_ACCESS_TOKEN", "00Dx0000000BV7z!AR8AQtls-cli"},
           {"SFDC_INSTANCE_URL", tls->url()}};
  }
  void TearDown() override {
    tls.reset();
    CliTest::TearDown();
  }

  std::unique_ptr<SelfSignedCertificate> certificate;
  std::unique_ptr<SelfSignedCertificate> other;
  std::unique_ptr<TlsTestServer> tls;
};

TEST_F(CliTls, AnUntrustedCertificateExitsSixSayingWhy) {
  const auto r = run({"job", "info", kJobId});
  EXPECT_EQ(r.exitCode, 6) << r.err;
  EXPECT_TRUE(contains(r.err, "certificate")) << r.err;
}

TEST_F(CliTls, CaBundleFlagTrustsThePrivateCa) {
  const auto r = run({"job", "info", kJobId, "--ca-bundle", certificate->certFile()});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, kJobId)) << r.out;
}

TEST_F(CliTls, CurlCaBundleAndSslCertFileVariablesAreHonoured) {
  for (const char* variable : {"CURL_CA_BUNDLE", "SSL_CERT_FILE"}) {
    env[variable] = certificate->certFile();
    const auto r = run({"job", "info", kJobId});
    EXPECT_EQ(r.exitCode, 0) << variable << ": " << r.err;
    env.erase(variable);
  }
}

TEST_F(CliTls, FlagBeatsCurlCaBundleWhichBeatsSslCertFile) {
  env["CURL_CA_BUNDLE"] = other->certFile();
  env["SSL_CERT_FILE"] = certificate->certFile();
  auto r = run({"job", "info", kJobId});
  EXPECT_EQ(r.exitCode, 6) << "CURL_CA_BUNDLE comes first: " << r.err;
  r = run({"job", "info", kJobId, "--ca-bundle", certificate->certFile()});
  EXPECT_EQ(r.exitCode, 0) << "the flag comes before both: " << r.err;
}

TEST_F(CliTls, AnUnreadableCaBundleIsNamedWithWhereItCameFrom) {
  const std::string missing = file("no-such-ca.pem").string();
  auto r = run({"job", "info", kJobId, "--ca-bundle", missing});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, missing)) << r.err;
  EXPECT_TRUE(contains(r.err, "--ca-bundle")) << r.err;
  env["SSL_CERT_FILE"] = missing;
  r = run({"job", "info", kJobId});
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "SSL_CERT_FILE")) << r.err;
}

TEST_F(CliTls, HelpDocumentsTheCaBundle) {
  const auto r = run({"job", "info", "--help"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "--ca-bundle")) << r.out;
  EXPECT_TRUE(contains(r.out, "CURL_CA_BUNDLE")) << r.out;
  EXPECT_TRUE(contains(r.out, "SSL_CERT_FILE")) << r.out;
}

class CliTokenEndpoint : public CliTest {
 protected:
  RunResult runAgainst(FakeTokenEndpoint& endpoint) {
    env["SFDC_TOKEN_URL"] = endpoint.url();
    return run({"job", "info", kJobId});
  }
};

TEST_F(CliTokenEndpoint, AnEchoingErrorDescriptionPrintsNoSecret) {
  using Defaults = sfdc::emulator::DefaultCredentials;
  FakeTokenEndpoint endpoint([](const httplib::Request& req, httplib::Response& res) {
    res.status = 400;
    res.set_content(
        nlohmann::json({{"error", "invalid_client"}, {"error_description", "rejected " + req.body}})
            .dump(),
        "application/json");
  });
  const auto r = runAgainst(endpoint);
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "invalid_client")) << r.err;
  EXPECT_TRUE(contains(r.err, "rejected grant_type=refresh_token")) << r.err;
  for (const std::string secret : {Defaults::kClientSecret, Defaults::kRefreshToken}) {
    EXPECT_FALSE(contains(r.err, secret)) << secret << " in:\n" << r.err;
    EXPECT_FALSE(contains(r.out, secret)) << secret << " in:\n" << r.out;
  }
}

TEST_F(CliTokenEndpoint, ANonStringAccessTokenIsAnAuthFailureNotAnInternalError) {
  FakeTokenEndpoint endpoint([](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"access_token":12345,"instance_url":"https://na1.example.com"})",
                    "application/json");
  });
  const auto r = runAgainst(endpoint);
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "access_token")) << r.err;
  EXPECT_FALSE(contains(r.err, "internal error")) << r.err;
}

TEST_F(CliTokenEndpoint, APlainHttpInstanceUrlIsRefused) {
  FakeTokenEndpoint endpoint([](const httplib::Request&, httplib::Response& res) {
    res.set_content(sfdc::bulk::testing::tokenJson("00Dsession-aaaa", "http://na1.example.com"),
                    "application/json");
  });
  const auto r = runAgainst(endpoint);
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "http://na1.example.com")) << r.err;
  EXPECT_TRUE(contains(r.err, "not HTTPS")) << r.err;
  EXPECT_FALSE(contains(r.err, "00Dsession-aaaa")) << r.err;
}

TEST_F(CliTokenEndpoint, APlainHttpInstanceUrlFlagIsAUsageError) {
  env["SFDC_INSTANCE_URL"] = "http://na1.example.com";
  const auto r = run({"job", "info", kJobId});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "not HTTPS")) << r.err;
}

}  // namespace
}  // namespace sfbulk::testing
