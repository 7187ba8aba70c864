// hookbroker SDK — connected clients and the requests they send.
//
// Transports report clients coming and going (HostApi::client_connected /
// client_disconnected); any plugin can watch them (add_client_observer) and
// answer named client requests (add_client_request), e.g. a Socket.IO client
// emitting "client_heartbeat" with an ack. A plugin can also greet a client
// that just connected (add_client_greeting, ABI 3.1).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker {

struct ClientInfo {
  std::string id;            ///< unique while connected (Socket.IO: the socket id)
  std::string transport;     ///< "websocket", "polling", ...
  std::string remote;        ///< peer address
  std::string connected_at;  ///< ISO-8601
};

/// Answer to a client request: the ack's arguments as a JSON array. Call at
/// most once, from any thread. Not calling it means "no answer".
using ClientReply = std::function<void(nlohmann::json ack_args)>;
/// Runs on the registering plugin's strand. `args` is the JSON array of the
/// request's arguments (binary attachments are not passed to plugins).
using ClientRequestHandler =
    std::function<void(const ClientInfo& client, const nlohmann::json& args, ClientReply reply)>;
/// Runs on the observing plugin's strand.
using ClientObserver = std::function<void(const ClientInfo& client, bool connected)>;

/// One message for one client: a Socket.IO event name and its argument.
struct ClientMessage {
  std::string name;
  nlohmann::json payload;
};

/// ABI 3.1. What a plugin sends a client that just connected, after the
/// transport's own `status` and `history`. `history` is the `history`
/// payload that client was just sent ({"events": [...oldest first...],
/// "count": N}), so a greeting that repeats it under another name keeps the
/// transport's bounds. Runs on the transport's strand, not the registering
/// plugin's: it must not block, and may read only what is safe to read from
/// any thread (best: a pure function of its arguments).
using ClientGreeting =
    std::function<std::vector<ClientMessage>(const ClientInfo& client, const nlohmann::json& history)>;

}  // namespace hookbroker
