// Engine.IO protocol v4 packets, as the reference engine.io 6.x server reads
// and writes them. Pure functions: no sockets, no websocketpp, so they are unit
// tested and fuzzed on their own, and reusable by Socket.IO clients (monitor).
//
//   packet  = type-digit [data]          "4hello", "2", "3probe"
//           | "b" base64                 a binary message, polling only
//   payload = packet *( "\x1e" packet )  an HTTP long-polling body
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hookbroker::socketio_codec {

enum class EnginePacketType : char {
  Open = '0',
  Close = '1',
  Ping = '2',
  Pong = '3',
  Message = '4',
  Upgrade = '5',
  Noop = '6',
};

/// Separates packets in a polling payload (ASCII "record separator").
inline constexpr char kRecordSeparator = '\x1e';

struct EnginePacket {
  EnginePacketType type = EnginePacketType::Noop;
  std::string data;     ///< text after the type digit, or the decoded bytes
  bool binary = false;  ///< a binary message (data holds raw bytes)
};

/// Decodes one text packet (a WebSocket text frame or one payload element).
/// Returns false for an empty string or an unknown type, as the reference
/// parser yields its "parser error" packet; the session is then closed.
bool decode_engine_packet(std::string_view text, EnginePacket& out);

struct DecodedPayload {
  std::vector<EnginePacket> packets;  ///< the packets before the first bad one
  bool error = false;                 ///< a bad packet was met (decoding stopped there)
};

/// Splits a polling POST body on \x1e and decodes each packet.
DecodedPayload decode_engine_payload(std::string_view body);

/// "<type digit><data>".
std::string encode_engine_packet(EnginePacketType type, std::string_view data = {});

/// A binary message as polling carries it: "b" + base64(bytes).
std::string encode_binary_for_polling(std::string_view bytes);

/// Joins already encoded packets into one polling payload.
std::string join_engine_payload(const std::vector<std::string_view>& encoded_packets);

/// The open packet's data: the session the server made and its timers.
struct EngineHandshake {
  std::string sid;
  std::vector<std::string> upgrades;  ///< ["websocket"] over polling, [] over WebSocket
  long long ping_interval_ms = 25000;
  long long ping_timeout_ms = 20000;
  long long max_payload = 1000000;
};

/// The complete open packet, keys in the reference server's order:
/// 0{"sid":..,"upgrades":[..],"pingInterval":..,"pingTimeout":..,"maxPayload":..}
std::string encode_engine_handshake(const EngineHandshake& handshake);

/// Reads an open packet's data (the JSON after the "0") as a client does.
/// Returns "" on success, else what was wrong: not a JSON object, no string
/// "sid", or a timer that is not a positive integer. Missing optional keys
/// keep the defaults above.
std::string parse_engine_handshake(std::string_view data, EngineHandshake& out);

/// Standard base64 (RFC 4648, padded), as Node's Buffer uses for polling.
std::string base64_encode(std::string_view bytes);
/// Lenient like Node's Buffer.from(s, "base64"): stops at '=' or the first
/// character outside the alphabet.
std::string base64_decode(std::string_view text);

}  // namespace hookbroker::socketio_codec
