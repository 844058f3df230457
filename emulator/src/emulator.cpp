#include "sfdc/emulator/emulator.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <stdexcept>
#include <thread>

#include "batch_processor.hpp"
#include "handlers.hpp"
#include "network_model.hpp"
#include "server_context.hpp"

namespace sfdc::emulator {

class Emulator::Impl {
 public:
  explicit Impl(EmulatorOptions options) : context(std::move(options)), processor(context) {
    context.processor = &processor;
    if (!context.options.schemaFile.empty()) context.org.loadSchemaFile(context.options.schemaFile);
  }

  server::ServerContext context;
  server::BatchProcessor processor;
  std::unique_ptr<httplib::Server> http;
  std::thread listener;
  int port = 0;
};

Emulator::Emulator(EmulatorOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Emulator::~Emulator() { stop(); }

void Emulator::start() {
  if (impl_->http) return;
  const auto network = server::NetworkModel::of(impl_->context.options);
  std::unique_ptr<httplib::Server> http;
  if (network.active()) {
    http = std::make_unique<server::PacedServer>(network);
    // A real org keeps a connection open for many requests (cpp-httplib closes it after
    // 5), and each new connection costs a modelled handshake.
    http->set_keep_alive_max_count(100'000);
  } else {
    http = std::make_unique<httplib::Server>();
  }
  // Keep-alive connections each hold a server thread, so allow more than the default
  // pool for clients that poll from many threads at once; under the network model more
  // of them are waiting out a round trip or a transfer at any moment.
  const std::size_t threads = network.active() ? 64 : 32;
  http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Without TCP_NODELAY every small response waits for a delayed ACK (20-40 ms).
  http->set_tcp_nodelay(true);
  http->set_keep_alive_timeout(impl_->context.options.keepAliveTimeout.count());
  // cpp-httplib 0.11 listens with a backlog of 5, so bursts of new connections stall a
  // second on SYN retries. Remember the listening socket to raise the backlog after bind;
  // the callback replaces httplib's default options, so SO_REUSEADDR is set here too.
  auto listenFd = std::make_shared<int>(-1);
  http->set_socket_options([listenFd](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listenFd = fd;
  });
  server::installRoutes(*http, impl_->context, impl_->processor);
  const auto& options = impl_->context.options;
  int port = options.port;
  if (port == 0) {
    port = http->bind_to_any_port(options.host);
  } else if (!http->bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    throw std::runtime_error("sfdc-bulk-emulator: cannot bind " + options.host + ":" +
                             std::to_string(options.port));
  }
  if (*listenFd >= 0) ::listen(*listenFd, 1024);
  impl_->port = port;
  // A wildcard bind is still reached through the loopback address.
  const std::string host =
      options.host == "0.0.0.0" || options.host == "::" ? "127.0.0.1" : options.host;
  impl_->context.baseUrl = "http://" + host + ":" + std::to_string(port);
  impl_->processor.start();
  httplib::Server* raw = http.get();
  impl_->http = std::move(http);
  impl_->listener = std::thread([raw] { raw->listen_after_bind(); });
  while (!raw->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void Emulator::stop() {
  if (!impl_->http) return;
  impl_->http->stop();
  if (impl_->listener.joinable()) impl_->listener.join();
  impl_->http.reset();
  impl_->processor.stop();
}

std::string Emulator::url() const { return impl_->context.baseUrl; }

std::string Emulator::tokenUrl() const { return url() + "/services/oauth2/token"; }

int Emulator::port() const { return impl_->port; }

Org& Emulator::org() { return impl_->context.org; }

void Emulator::expireSessions() { impl_->context.tokens.expireAll(); }

std::string Emulator::issueAccessToken() { return impl_->context.tokens.issue(); }

void Emulator::setFaults(const Faults& faults) { impl_->context.faults.set(faults); }

Faults Emulator::faults() const { return impl_->context.faults.get(); }

nlohmann::json Emulator::stats() const {
  nlohmann::json stats = impl_->context.stats.toJson();
  stats["throughput"] = impl_->processor.stats();
  return stats;
}

void Emulator::resetStats() { impl_->context.stats.reset(); }

void Emulator::reset() {
  impl_->processor.clear();
  impl_->context.jobs.clear();
  impl_->context.bulk2.clear();
  impl_->context.org.clear();
  impl_->context.allocation.clear();
}

const EmulatorOptions& Emulator::options() const { return impl_->context.options; }

}  // namespace sfdc::emulator
