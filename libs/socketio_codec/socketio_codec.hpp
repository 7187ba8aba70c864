// Socket.IO protocol v5 packets, as the reference socket.io-parser 4.x reads
// and writes them (socket.io 4.8). Pure functions: no sockets, no websocketpp.
//
//   packet = type-digit [attachments "-"] [nsp ","] [ack-id] [json]
//   e.g.  40{"token":"t"}   CONNECT "/" with an auth payload
//         42["chat",1]      EVENT
//         2/admin,7["x"]    EVENT in namespace /admin asking for ack 7
//         451-["up",{"_placeholder":true,"num":0}]   BINARY_EVENT, 1 attachment
//
// Binary attachments travel as separate Engine.IO binary messages after the
// packet text; BinaryAssembler collects them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hookbroker::socketio_codec {

enum class PacketType : int {
  Connect = 0,
  Disconnect = 1,
  Event = 2,
  Ack = 3,
  ConnectError = 4,
  BinaryEvent = 5,
  BinaryAck = 6,
};

struct Packet {
  PacketType type = PacketType::Event;
  std::string nsp = "/";
  std::optional<std::uint64_t> id;  ///< ack id
  std::size_t attachments = 0;      ///< binary types only
  /// The JSON data exactly as received, or as to be sent; "" = no data.
  std::string json;
  /// `json` parsed (decode only); null when there is no data.
  nlohmann::json data;
};

struct DecodeLimits {
  std::size_t max_attachments = 10;  ///< the reference decoder's default
  std::size_t max_json_depth = 64;   ///< deeper data is refused, not parsed
};

/// Decodes a packet's text part with the reference decoder's validation:
/// known type, attachment count 1..max, a JSON payload of the right shape for
/// the type (CONNECT: object, DISCONNECT: none, EVENT: array whose first
/// element is a non-reserved name or a number, ACK: array). Returns "" on
/// success, else what was wrong (for logs; the connection is then closed).
std::string decode_packet(std::string_view text, Packet& out, const DecodeLimits& limits = DecodeLimits{});

/// Encodes a packet's text part from type, nsp, id, attachments and `json`.
std::string encode_packet(const Packet& packet);

/// A CONNECT to `nsp` as a client sends it: 40 or 40{"token":"t"}.
/// `auth_json` is the auth object's JSON text, "" for none.
std::string encode_connect(std::string_view auth_json = {}, std::string_view nsp = "/");

/// An EVENT (or BINARY_EVENT when attachments > 0) for namespace "/":
/// 2["name",arg...]. `args_json` is the JSON text of the arguments array.
std::string encode_event(std::string_view name, std::string_view args_json = "[]",
                         std::size_t attachments = 0);

/// An ACK (or BINARY_ACK) answering `id` on "/": 3<id>[args...].
std::string encode_ack(std::uint64_t id, std::string_view args_json, std::size_t attachments = 0,
                       std::string_view nsp = "/");

/// The complete Engine.IO message a broadcast becomes, built once and shared
/// by every recipient: 42["<channel>",<payload>].
std::string encode_broadcast_message(std::string_view channel, std::string_view payload_json);

/// For an EVENT's data array text, the array of its arguments (the event name
/// removed), byte for byte: ["echo",1,{"a":2}] -> [1,{"a":2}]. The input must
/// be valid JSON (as decode_packet guarantees). Lets `echo` answer exactly
/// what it got without re-serializing.
std::string event_arguments_json(std::string_view event_array_json);

/// True when every {"_placeholder":true,"num":N} in `data` has a valid N
/// (integer, 0 <= N < attachments), as reconstructing the packet requires.
bool placeholders_valid(const nlohmann::json& data, std::size_t attachments);

/// Collects the binary attachments that follow a BINARY_EVENT/BINARY_ACK.
class BinaryAssembler {
 public:
  bool active() const { return active_; }
  void begin(Packet packet);
  /// Adds one attachment; true when the packet is complete (then take() it).
  bool add(std::string bytes);
  Packet take_packet();
  std::vector<std::string> take_attachments();
  void reset();

 private:
  bool active_ = false;
  Packet packet_;
  std::vector<std::string> attachments_;
};

}  // namespace hookbroker::socketio_codec
