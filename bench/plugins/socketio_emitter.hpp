// Emits events to the broker as Socket.IO clients do: `claude_event` over a
// WebSocket that stays open (Engine.IO v4, `?EIO=4&transport=websocket`),
// each with an ack id. The broker acks once the event is ingested, i.e. after
// every event sink (history_sqlite: the batch's commit) called its `done`, as
// it answers 204 to a POST. `clients` threads, each with its own connection
// (Boost.Beast, synchronous) and up to `window` events awaiting their acks.
// Broadcasts the broker sends back (every event goes to every client) are
// read and dropped; pings are answered.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace plugins_bench {

struct EmitResult {
  std::uint64_t acked = 0;    ///< acks carrying {"status":"ok"}
  std::uint64_t refused = 0;  ///< acks carrying an error
  std::uint64_t errors = 0;   ///< clients that failed to connect or lost their connection
  double seconds = 0;         ///< first emit to last ack
  std::string first_problem;
  double per_second() const { return seconds > 0 ? static_cast<double>(acked) / seconds : 0; }
};

/// Emits `event(i)` (a JSON object's text) for i in [0, count), spread over
/// the clients, and returns once every one is acknowledged or a client failed.
EmitResult emit_acked(int port, std::uint64_t count, unsigned clients, unsigned window,
                      const std::function<std::string(std::uint64_t)>& event);

}  // namespace plugins_bench
