#pragma once
// An HTTPS server on 127.0.0.1:<any port> with a self-signed certificate made for the
// test (by the openssl command), for tests of certificate verification: refused by
// default, trusted once its certificate is given as the CA bundle.
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace sfdc::bulk::test_support {

/// A self-signed certificate for 127.0.0.1 and localhost, in a directory of its own
/// that goes away with the object.
class SelfSignedCertificate {
 public:
  explicit SelfSignedCertificate(const std::string& tag) {
    dir_ = std::filesystem::temp_directory_path() /
           ("sfdc-tls-" + std::to_string(::getpid()) + "-" + tag);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" +
        keyFile() + "' -out '" + certFile() + "' >'" + (dir_ / "openssl.log").string() + "' 2>&1";
    if (std::system(command.c_str()) != 0) {
      throw std::runtime_error("openssl could not make a test certificate: " + command);
    }
  }
  ~SelfSignedCertificate() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  SelfSignedCertificate(const SelfSignedCertificate&) = delete;
  SelfSignedCertificate& operator=(const SelfSignedCertificate&) = delete;

  std::string certFile() const { return (dir_ / "cert.pem").string(); }
  std::string keyFile() const { return (dir_ / "key.pem").string(); }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

/// httplib::SSLServer serving `handler` for every GET and POST.
class TlsTestServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  TlsTestServer(const SelfSignedCertificate& certificate, Handler handler)
      : server_(certificate.certFile().c_str(), certificate.keyFile().c_str()),
        handler_(std::move(handler)) {
    if (!server_.is_valid()) throw std::runtime_error("the TLS test server did not start");
    auto route = [this](const httplib::Request& req, httplib::Response& res) {
      handler_(req, res);
    };
    server_.Get(".*", route);
    server_.Post(".*", route);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TlsTestServer() {
    server_.stop();
    thread_.join();
  }
  TlsTestServer(const TlsTestServer&) = delete;
  TlsTestServer& operator=(const TlsTestServer&) = delete;

  std::string url(const std::string& path = {}) const {
    return "https://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::SSLServer server_;
  Handler handler_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace sfdc::bulk::test_support
