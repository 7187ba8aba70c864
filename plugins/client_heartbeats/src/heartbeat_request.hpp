// What a client may say in `client_heartbeat`, checked before it is believed.
//
//   socket.emit("client_heartbeat", {client_id: "ui-1", name: "dashboard",
//                                    rtt_ms: 3.2, sent_at: Date.now()}, ack)
//
// Every field is optional. `rtt_ms` is the round trip the client measured on
// its previous heartbeat (the broker cannot time a round trip it does not
// start); `sent_at` comes back in the ack as `echo`, so the client can time
// this one.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::client_heartbeats {

struct HeartbeatRequest {
  std::optional<std::string> client_id;
  std::optional<std::string> name;
  std::optional<double> rtt_ms;
  nlohmann::json echo;  ///< `sent_at` as given, null when absent
};

struct ParsedRequest {
  std::optional<HeartbeatRequest> request;
  std::string error;  ///< when !request: what was wrong, for the ack
};

/// `args` is the request's argument array (the ack callback not included).
ParsedRequest parse_heartbeat_request(const nlohmann::json& args);

}  // namespace hookbroker::client_heartbeats
