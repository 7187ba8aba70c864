// hookbroker SDK — Transport: accepts events from outside, delivers broadcasts;
// TransportHost: what the core offers transports only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/clients.hpp"
#include "hookbroker/http.hpp"

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

/// The core's side of a transport: HTTP policy and routing, client
/// authentication, client requests and presence. HostApi::transport_host()
/// returns it to plugins that provide a Transport (nullptr to the others), so
/// only transports see these calls. Every function may be called from any
/// thread.
class TransportHost {
 public:
  virtual ~TransportHost() = default;

  /// Serves an HTTP request that is not a WebSocket upgrade: the core applies
  /// its policy (Host allow-list, Origin, token, content type, CORS; see
  /// http.hpp), answers preflights and errors itself, and otherwise runs the
  /// matching route's handler on its owner's strand. `reply` is called exactly
  /// once, from any thread; the response already carries the CORS headers.
  virtual void serve_http(const HttpRequest& request, HttpReply reply) = 0;

  /// The pattern of the route `method` and `path` reach ("/api/sessions/{id}"),
  /// or "" when none: a bounded label for metrics.
  virtual std::string route_of(const std::string& method, const std::string& path) const = 0;

  /// Checks a WebSocket upgrade request against the policy (Host and Origin;
  /// the token is checked when the client joins, see check_client_auth).
  /// nullopt: go ahead; otherwise the response to refuse it with.
  virtual std::optional<HttpResponse> check_upgrade(const HttpRequest& request) const = 0;

  /// Checks the credentials a client presents when it joins (Socket.IO
  /// CONNECT `auth`: {"token": "..."}). "" when accepted, else the reason to
  /// send back.
  virtual std::string check_client_auth(const nlohmann::json& auth, const std::string& remote) = 0;

  /// Dispatches a named client request to the plugin that registered it.
  /// False when nobody handles it.
  virtual bool handle_client_request(const std::string& name, const ClientInfo& client,
                                     const nlohmann::json& args, ClientReply reply) = 0;
  /// Reports clients arriving and leaving (observers are told).
  virtual void client_connected(const ClientInfo& client) = 0;
  virtual void client_disconnected(const ClientInfo& client) = 0;

  /// The port actually bound once listening (with port 0 the kernel picks
  /// one). The first transport to report it becomes the broker's port in
  /// `status` and the heartbeat's `server_info.port`.
  virtual void report_listening_port(uint16_t port) = 0;

  /// ABI 3.1. What plugins' greetings (HostApi::add_client_greeting) send a
  /// client that just connected, in order; the transport sends them after its
  /// `status` and `history`, passing the `history` payload it sent.
  virtual std::vector<ClientMessage> greetings_for(const ClientInfo& client, const nlohmann::json& history) = 0;

  /// ABI 3.2. The body limit the route `method` and `path` reach declared
  /// (HostApi::add_http_route_with_body_limit), 0 when it declared none (or
  /// there is no such route): the transport then applies its own. Ask once
  /// the request head is read, before the body is: read bodies up to twice
  /// the limit and hand them to serve_http, which answers 413 over the
  /// limit (a client still sending gets the answer, not a reset); refuse
  /// larger ones with 413 unread.
  virtual std::size_t max_body_bytes(const std::string& method, const std::string& path) const = 0;
};

}  // namespace hookbroker
