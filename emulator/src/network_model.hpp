#pragma once

// The network between a client and a real org, which loopback hides: a round-trip time
// (each API answer arrives one RTT after its request left, and a new connection costs one
// more RTT for its TCP handshake) and a bandwidth per connection in each direction
// (request bytes are read and response bytes written no faster than it allows, so N
// connections move N x the bandwidth). Off (zero) by default.
//
// Bandwidth is paced where the bytes cross the socket, by a server whose connections
// read and write through a pacing stream, so headers, chunked bodies and gzip count as on
// the wire and keep-alive works as usual. Each connection paces only itself and sleeps
// without holding any lock. The RTT is charged by the API handlers (half before handling,
// half before answering), so the /_emulator control routes, which answer the harness and
// tests rather than a client, are neither delayed nor paced.

#include <httplib.h>

#include <chrono>
#include <cstdint>

#include "sfdc/emulator/emulator.hpp"

namespace sfdc::emulator::server {

struct NetworkModel {
  std::chrono::milliseconds roundTrip{0};
  std::uint64_t bytesPerSecond = 0;  ///< per connection and direction; 0 = unlimited

  static NetworkModel of(const EmulatorOptions& options) {
    return {options.roundTripTime, options.bandwidthBytesPerSecond};
  }
  bool active() const { return roundTrip.count() > 0 || bytesPerSecond > 0; }
};

/// An httplib server whose connections go through the network model. Used only when the
/// model is active, so that the default emulator serves exactly as cpp-httplib does.
class PacedServer final : public httplib::Server {
 public:
  explicit PacedServer(NetworkModel model);

 private:
  // cpp-httplib calls this on a pool thread for each accepted connection; this version
  // serves the connection's keep-alive requests through a pacing stream.
  bool process_and_close_socket(socket_t sock) override;
  /// Waits for the next request on a kept-alive connection; false when it stays idle past
  /// the keep-alive timeout, closes, or the server stops.
  bool waitForRequest(socket_t sock) const;

  NetworkModel model_;
};

/// Called by an API handler before it handles its request: sleeps half the RTT (the
/// request's way to the server), plus one RTT for the handshake of a connection's first
/// API request when the connection is served by a PacedServer.
void delayRequestArrival(const NetworkModel& model);
/// Called by an API handler before it writes its answer: sleeps the other half.
void delayAnswer(const NetworkModel& model);
/// Called for the control routes before their body is read: their bytes are not paced.
void exemptCurrentRequest();

}  // namespace sfdc::emulator::server
