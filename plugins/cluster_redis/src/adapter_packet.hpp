// The @socket.io/redis-adapter (v8) broadcast format, which
// @socket.io/redis-emitter (v5) also publishes: a MessagePack array
//   [uid, {type: 2 (EVENT), data: [event, ...args], nsp}, {rooms, except, flags}]
// PUBLISHed on "<key>#<nsp>#" (all clients of the namespace) or
// "<key>#<nsp>#<room>#" (one room). Node servers with the stock adapter
// PSUBSCRIBE "<key>#<nsp>#*".
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::cluster {

/// The channel a broadcast to every client of namespace "/" goes on.
std::string adapter_channel(const std::string& key);
/// The pattern that hears every broadcast of namespace "/".
std::string adapter_pattern(const std::string& key);

/// The message for `event` with one argument `payload`, sent by `uid`.
std::string encode_adapter_broadcast(const std::string& uid, const std::string& event, const nlohmann::json& payload);

struct AdapterBroadcast {
  std::string uid;
  std::string event;
  nlohmann::json args = nlohmann::json::array();
  bool to_rooms = false;  ///< only to some rooms (ours are in none)
  bool local_only = false;
};

struct AdapterDecode {
  std::optional<AdapterBroadcast> broadcast;
  std::string error;  ///< why it is not one we can deliver ("" with a broadcast)
};

/// The sender's uid of a message (its first element), read without decoding
/// the rest; "" when the message does not start with [uid (a string), ...].
/// Every node hears every node's packets: the uid alone says to drop them.
std::string adapter_sender(const std::string& message);

/// Reads a message heard on `channel` (namespace "/" only; binary packets
/// and acknowledgements are not supported and say so).
AdapterDecode decode_adapter_broadcast(const std::string& key, const std::string& channel, const std::string& message);

}  // namespace hookbroker::cluster
