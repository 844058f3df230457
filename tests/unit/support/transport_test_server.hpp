#pragma once
// Test support for CurlTransport: a cpp-httplib server on loopback with the routes the
// transport tests need, plus deterministic payloads and body sources.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sfdc/bulk/http_transport.hpp>
#include <string>
#include <thread>

namespace sfdc::bulk::test_support {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMiB = 1024 * 1024;

// Position-dependent bytes, so a dropped, repeated or reordered piece is caught.
inline char patternByte(std::uint64_t i) {
  return static_cast<char>((i ^ (i >> 7) ^ (i >> 15)) & 0xff);
}

inline std::string pattern(std::size_t size) {
  std::string s(size, '\0');
  for (std::size_t i = 0; i < size; ++i) s[i] = patternByte(i);
  return s;
}

// Compressible, CSV-like text of about `size` bytes.
inline std::string csvText(std::size_t size) {
  std::string s = "Id,Name,Amount\n";
  for (std::size_t row = 0; s.size() < size; ++row) {
    s += std::to_string(row) + ",Account " + std::to_string(row * 7 % 1000) + "," +
         std::to_string(row % 97) + ".5\n";
  }
  return s;
}

/// Returns `pattern` bytes in pieces of at most `chunk`; optionally hides its size.
class PatternSource final : public BodySource {
 public:
  PatternSource(std::size_t total, bool knownSize, std::size_t chunk = 100'000)
      : total_(total), knownSize_(knownSize), chunk_(chunk) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, chunk_, total_ - offset_});
    for (std::size_t i = 0; i < n; ++i) buffer[i] = patternByte(offset_ + i);
    offset_ += n;
    return n;
  }
  bool rewind() override {
    offset_ = 0;
    return true;
  }
  long long size() const override { return knownSize_ ? static_cast<long long>(total_) : -1; }

 private:
  std::size_t total_;
  bool knownSize_;
  std::size_t chunk_;
  std::size_t offset_ = 0;
};

class StringSource final : public BodySource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, data_.size() - offset_);
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return n;
  }
  bool rewind() override {
    offset_ = 0;
    return true;
  }

 private:
  std::string data_;
  std::size_t offset_ = 0;
};

/// Where the first byte differs from `pattern`, or npos.
inline std::size_t firstPatternMismatch(const std::string& body, std::size_t start = 0) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != patternByte(start + i)) return start + i;
  }
  return std::string::npos;
}

inline int unusedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// Sets (or with nullptr removes) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

/// A cpp-httplib server on 127.0.0.1:<any port> with the routes the tests need.
class TestServer {
 public:
  TestServer() {
    // More workers than client threads: keep-alive connections each hold one.
    server_.new_task_queue = [] { return new httplib::ThreadPool(24); };
    server_.set_keep_alive_max_count(10'000);
    // cpp-httplib writes headers and body separately; without TCP_NODELAY every response
    // waits on Nagle and delayed ACKs (~40 ms on Linux).
    server_.set_tcp_nodelay(true);
    addRoutes();
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~TestServer() {
    releaseSlow = true;
    server_.stop();
    thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::size_t distinctClientPorts() {
    std::lock_guard<std::mutex> lock(mutex_);
    return clientPorts_.size();
  }

  void setGzipBytes(std::string bytes) {
    std::lock_guard<std::mutex> lock(gzipMutex_);
    gzipBytes_ = std::move(bytes);
  }
  std::atomic<std::size_t> bigBodyProduced{0};
  std::atomic<bool> releaseSlow{false};

 private:
  void remember(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(mutex_);
    clientPorts_.insert(req.remote_port);
  }

  void addRoutes() {
    auto echo = [this](const httplib::Request& req, httplib::Response& res) {
      remember(req);
      res.set_header("X-Reply", "yes");
      res.set_header("X-Method", req.method);
      res.set_header("X-Got-Test", req.get_header_value("X-Test"));
      res.set_header("X-Got-Content-Type", req.get_header_value("Content-Type"));
      res.set_header("X-Got-Expect", req.has_header("Expect") ? "present" : "absent");
      res.set_content(req.body, "application/octet-stream");
    };
    server_.Get("/echo", echo);
    server_.Post("/echo", echo);
    server_.Put("/echo", echo);
    server_.Delete("/echo", echo);

    server_.Get(R"(/status/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      res.status = std::stoi(req.matches[1]);
      res.set_content("status body", "text/plain");
    });
    server_.Get("/redirect",
                [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/echo"); });

    // Whatever bytes the test put in gzipBytes, labelled gzip (octet-stream: cpp-httplib
    // leaves it as it is).
    server_.Get("/gzip-bytes", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(gzipMutex_);
      res.set_header("Content-Encoding", "gzip");
      res.set_content(gzipBytes_, "application/octet-stream");
    });

    server_.Get("/text", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(csvText(200'000), "text/plain");  // compressed when asked
    });

    // Checks an uploaded body server-side (cpp-httplib already undid any gzip).
    server_.Post("/upload", [](const httplib::Request& req, httplib::Response& res) {
      const bool isPattern = req.get_header_value("X-Expect") == "pattern";
      const std::string expected =
          isPattern ? "" : csvText(std::stoul(req.get_header_value("X-Size")));
      const bool ok =
          isPattern ? firstPatternMismatch(req.body) == std::string::npos : req.body == expected;
      res.set_header("X-Content-Encoding", req.get_header_value("Content-Encoding"));
      res.set_header("X-Transfer-Encoding", req.get_header_value("Transfer-Encoding"));
      res.set_header("X-Content-Length", req.get_header_value("Content-Length"));
      res.set_content((ok ? "ok " : "bad ") + std::to_string(req.body.size()), "text/plain");
    });

    // 50 MB produced on demand; bigBodyProduced shows how far the server got.
    server_.Get("/big", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(
          50 * kMiB, "application/octet-stream",
          [this](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            const std::size_t n = std::min<std::size_t>(length, 256 * 1024);
            std::string piece(n, '\0');
            for (std::size_t i = 0; i < n; ++i) piece[i] = patternByte(offset + i);
            bigBodyProduced = offset + n;
            return sink.write(piece.data(), n);
          });
    });
    // Chunked text: cpp-httplib gzips it on the fly when the client accepts gzip.
    server_.Get("/big-text", [](const httplib::Request&, httplib::Response& res) {
      auto text = std::make_shared<std::string>(csvText(6 * kMiB));
      res.set_chunked_content_provider(
          "text/plain", [text](std::size_t offset, httplib::DataSink& sink) {
            if (offset >= text->size()) {
              sink.done();
              return true;
            }
            const std::size_t n = std::min<std::size_t>(64 * 1024, text->size() - offset);
            return sink.write(text->data() + offset, n);
          });
    });
    // Promises 10 MB, sends 1 MB, then drops the connection.
    server_.Get("/truncated", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(10 * kMiB, "application/octet-stream",
                               [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                 if (offset >= kMiB) return false;
                                 const std::size_t n = std::min<std::size_t>(length, 64 * 1024);
                                 std::string piece(n, 'x');
                                 return sink.write(piece.data(), n);
                               });
    });
    // Answers only after the test is over (or 2 s), to exercise client timeouts.
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      const auto until = Clock::now() + std::chrono::seconds(2);
      while (!releaseSlow && Clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      res.set_content("late", "text/plain");
    });
    // Registered last, so it only sees what no route above matched: requests for other
    // hosts, sent to this server as a proxy with the absolute URL in the request line.
    server_.Get(".*", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("proxied " + req.target, "text/plain");
    });
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::mutex gzipMutex_;
  std::string gzipBytes_;
  std::set<int> clientPorts_;
};

}  // namespace sfdc::bulk::test_support
