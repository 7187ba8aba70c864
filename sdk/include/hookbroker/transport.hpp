// hookbroker SDK — Transport: accepts events from outside, delivers broadcasts.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace hookbroker {

/// One broadcast, serialized once by the core. Transports frame it once and
/// share that frame among all recipients; they must not copy it per client.
struct Broadcast {
  std::string channel;                          ///< event name, e.g. "claude_event"
  std::shared_ptr<const std::string> payload;   ///< serialized JSON object
};

class Transport {
 public:
  virtual ~Transport() = default;

  /// Deliver to every connected client. Called on the plugin's strand; must
  /// not block (queue and return). Each client's queue is bounded: a client
  /// over its limit is dropped and logged, never allowed to slow the others.
  virtual void broadcast(const Broadcast& message) = 0;

  /// Clients connected right now. Called from any thread (use an atomic).
  virtual std::size_t connected_clients() const = 0;
};

}  // namespace hookbroker
