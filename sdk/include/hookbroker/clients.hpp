// hookbroker SDK — connected clients and the requests they send.
//
// Transports report clients coming and going (HostApi::client_connected /
// client_disconnected); any plugin can watch them (add_client_observer) and
// answer named client requests (add_client_request), e.g. a Socket.IO client
// emitting "client_heartbeat" with an ack.
#pragma once

#include <functional>
#include <string>

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

}  // namespace hookbroker
