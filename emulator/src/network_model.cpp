#include "network_model.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace sfdc::emulator::server {

namespace {

using Clock = std::chrono::steady_clock;

/// Slices of at most this many bytes are paced one at a time, so that a large body
/// streams at the modelled rate instead of arriving in one late burst.
constexpr std::size_t kSliceBytes = 16 * 1024;
/// cpp-httplib reads request headers a byte at a time; such small reads sleep only once
/// they are this far ahead of the link, rather than once per byte.
constexpr auto kSmallReadSlack = std::chrono::milliseconds(1);
constexpr std::size_t kSmallRead = 1024;

/// One direction of a connection: the time at which the bytes sent so far have all
/// crossed the modelled link. Bytes after an idle spell start from now, not from then.
class LinkPacer {
 public:
  explicit LinkPacer(std::uint64_t bytesPerSecond) : bytesPerSecond_(bytesPerSecond) {}

  /// Sleeps until `bytes` more bytes have crossed the link (small amounts may stay up
  /// to kSmallReadSlack ahead; the next bytes then wait for them).
  void pass(std::size_t bytes) {
    if (bytesPerSecond_ == 0 || bytes == 0) return;
    const auto transfer = std::chrono::nanoseconds(static_cast<std::int64_t>(
        static_cast<double>(bytes) * 1e9 / static_cast<double>(bytesPerSecond_)));
    const auto now = Clock::now();
    freeAt_ = std::max(freeAt_, now) + transfer;
    if (bytes >= kSmallRead || freeAt_ > now + kSmallReadSlack) {
      std::this_thread::sleep_until(freeAt_);
    }
  }

 private:
  std::uint64_t bytesPerSecond_;
  Clock::time_point freeAt_{};
};

bool waitFor(socket_t sock, short events, time_t sec, time_t usec) {
  pollfd p{sock, events, 0};
  const auto ms = static_cast<int>(sec * 1000 + usec / 1000);
  int n = 0;
  do {
    n = ::poll(&p, 1, ms);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

void addressOf(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

/// A connection's socket seen through the model: reads and writes are paced by its own
/// two LinkPacers, and its first API request pays for the handshake.
class PacedStream final : public httplib::Stream {
 public:
  PacedStream(socket_t sock, std::uint64_t bytesPerSecond, time_t readSec, time_t readUsec,
              time_t writeSec, time_t writeUsec)
      : sock_(sock),
        in_(bytesPerSecond),
        out_(bytesPerSecond),
        readSec_(readSec),
        readUsec_(readUsec),
        writeSec_(writeSec),
        writeUsec_(writeUsec) {}

  bool is_readable() const override {
    return buffered() > 0 || waitFor(sock_, POLLIN, readSec_, readUsec_);
  }
  bool is_writable() const override { return waitFor(sock_, POLLOUT, writeSec_, writeUsec_); }

  ssize_t read(char* ptr, size_t size) override {
    if (buffered() == 0) {
      if (!waitFor(sock_, POLLIN, readSec_, readUsec_)) return -1;
      ssize_t n = 0;
      do {
        n = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<std::size_t>(n);
    }
    // Bytes are paced as the server takes them, so that a control route's body, read
    // after its route exempted it, is not paced although it came in the same segment as
    // its headers.
    const std::size_t n = std::min(size, buffered());
    std::memcpy(ptr, buffer_.data() + begin_, n);
    begin_ += n;
    if (paced_) in_.pass(n);
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    std::size_t written = 0;
    while (written < size) {
      const std::size_t slice = std::min(kSliceBytes, size - written);
      if (paced_) out_.pass(slice);
      std::size_t sent = 0;
      while (sent < slice) {
        if (!is_writable()) return -1;
        const ssize_t n = ::send(sock_, ptr + written + sent, slice - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        sent += static_cast<std::size_t>(n);
      }
      written += slice;
    }
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      addressOf(address, ip, port);
    }
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      addressOf(address, ip, port);
    }
  }
  socket_t socket() const override { return sock_; }

  std::size_t buffered() const { return end_ - begin_; }
  /// Every request is paced until a control route exempts it.
  void startRequest() { paced_ = true; }
  void exempt() { paced_ = false; }
  /// True once: the first API request of the connection pays for the handshake.
  bool takeHandshake() { return !std::exchange(handshakeDone_, true); }

 private:
  socket_t sock_;
  LinkPacer in_;
  LinkPacer out_;
  time_t readSec_, readUsec_, writeSec_, writeUsec_;
  std::array<char, kSliceBytes> buffer_{};
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  bool paced_ = true;
  bool handshakeDone_ = false;
};

/// The connection the current pool thread is serving, if a PacedServer serves it.
thread_local PacedStream* currentStream = nullptr;

struct CurrentStream {
  explicit CurrentStream(PacedStream& stream) { currentStream = &stream; }
  ~CurrentStream() { currentStream = nullptr; }
  CurrentStream(const CurrentStream&) = delete;
  CurrentStream& operator=(const CurrentStream&) = delete;
};

}  // namespace

PacedServer::PacedServer(NetworkModel model) : model_(model) {}

bool PacedServer::waitForRequest(socket_t sock) const {
  const auto deadline = Clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
  while (svr_sock_ != INVALID_SOCKET) {
    // Short waits, so that stop() is noticed as quickly as cpp-httplib notices it.
    if (waitFor(sock, POLLIN, 0, 10'000)) return true;
    if (Clock::now() > deadline) return false;
  }
  return false;
}

bool PacedServer::process_and_close_socket(socket_t sock) {
  bool ok = false;
  {
    PacedStream stream(sock, model_.bytesPerSecond, read_timeout_sec_, read_timeout_usec_,
                       write_timeout_sec_, write_timeout_usec_);
    CurrentStream current(stream);
    for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
      if (stream.buffered() == 0 && !waitForRequest(sock)) break;
      stream.startRequest();
      bool closed = false;
      ok = process_request(stream, left == 1, closed, nullptr);
      if (!ok || closed) break;
    }
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

void delayRequestArrival(const NetworkModel& model) {
  if (model.roundTrip.count() <= 0) return;
  auto delay = std::chrono::duration_cast<std::chrono::microseconds>(model.roundTrip) / 2;
  if (currentStream != nullptr && currentStream->takeHandshake()) delay += model.roundTrip;
  std::this_thread::sleep_for(delay);
}

void delayAnswer(const NetworkModel& model) {
  if (model.roundTrip.count() <= 0) return;
  const auto rtt = std::chrono::duration_cast<std::chrono::microseconds>(model.roundTrip);
  std::this_thread::sleep_for(rtt - rtt / 2);
}

void exemptCurrentRequest() {
  if (currentStream != nullptr) currentStream->exempt();
}

}  // namespace sfdc::emulator::server
