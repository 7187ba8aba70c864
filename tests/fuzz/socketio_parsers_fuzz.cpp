// libFuzzer target: everything transport_socketio parses from the network.
// Each input goes through every parser, and what decodes must re-encode to
// the same packet:
//   - an Engine.IO polling payload (\x1e-separated packets, base64 binary),
//     each message then as a Socket.IO packet, binary attachments assembled;
//   - the whole input as one Socket.IO packet (a WebSocket text frame);
//   - the whole input as a chunked HTTP body, fed in pieces;
//   - the whole input as a JSON request body (POST /api/events);
//   - the whole input as a URL path for the dashboard's static files and for
//     the core's route patterns, and as the Host, Origin, Authorization and
//     Content-Type headers the core's HTTP policy reads.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "chunked_body.hpp"
#include "socketio_codec/engineio_codec.hpp"
#include "socketio_codec/socketio_codec.hpp"
#include "http/http_policy.hpp"
#include "hookbroker/json_input.hpp"
#include "static_files.hpp"

namespace codec = hookbroker::socketio_codec;
namespace sio = hookbroker::sio;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void round_trip(const codec::Packet& p) {
  codec::Packet again;
  check(codec::decode_packet(codec::encode_packet(p), again).empty());
  check(again.type == p.type && again.nsp == p.nsp && again.id == p.id &&
        again.attachments == p.attachments && again.json == p.json);
  if ((p.type == codec::PacketType::Event || p.type == codec::PacketType::BinaryEvent) && p.data.is_array()) {
    // The byte-level argument cut must agree with the parsed data.
    auto expected = p.data;
    expected.erase(expected.begin());
    check(nlohmann::json::parse(codec::event_arguments_json(p.json)) == expected);
  }
}

void socketio_packet(std::string_view text, codec::BinaryAssembler& assembler) {
  codec::Packet p;
  if (!codec::decode_packet(text, p).empty()) return;
  round_trip(p);
  if (p.type == codec::PacketType::BinaryEvent || p.type == codec::PacketType::BinaryAck)
    assembler.begin(std::move(p));
}

void engine_payload(std::string_view body) {
  const codec::DecodedPayload payload = codec::decode_engine_payload(body);
  codec::BinaryAssembler assembler;
  for (const auto& packet : payload.packets) {
    check(codec::encode_engine_packet(packet.type, "").size() == 1);
    if (packet.type != codec::EnginePacketType::Message) continue;
    if (packet.binary) {
      if (assembler.active() && assembler.add(packet.data)) {
        check(assembler.take_attachments().size() == assembler.take_packet().attachments);
      }
      check(codec::base64_decode(codec::base64_encode(packet.data)) == packet.data);
    } else {
      socketio_packet(packet.data, assembler);
    }
  }
}

void chunked_body(std::string_view wire) {
  // Feed in pieces whose sizes come from the input itself.
  sio::ChunkedBodyDecoder decoder(1 << 16);
  std::string body;
  std::size_t at = 0;
  while (at < wire.size() && !decoder.done() && !decoder.failed()) {
    const std::size_t piece = 1 + static_cast<unsigned char>(wire[at]) % 17;
    const std::size_t n = std::min(piece, wire.size() - at);
    const std::size_t used = decoder.feed(wire.data() + at, n, body);
    check(used <= n);
    if (used < n && !decoder.done() && !decoder.failed()) std::abort();  // stops early only when finished
    at += used;
    if (used == 0) break;
  }
  check(body.size() <= (1u << 16));
}

void json_body(std::string_view body) {
  const auto input = hookbroker::parse_json_input(body, 64);
  if (input.ok)
    check(!input.value.dump().empty());
  else
    check(!input.error.empty());
}

void url_path(const std::string& path) {
  const std::string resolved = sio::StaticFiles::resolve("/srv/dash", path);
  if (resolved.empty()) return;
  check(resolved.rfind("/srv/dash/", 0) == 0);
  check(resolved.find("/../") == std::string::npos && resolved.find('\0') == std::string::npos);
  check(resolved.size() < 3 || resolved.compare(resolved.size() - 3, 3, "/..") != 0);
}

void http_policy(const std::string& input) {
  static const hookbroker::core::HttpPolicy policy(
      {"s3cret", "127.0.0.1", {"*.example.test"}, {"http://localhost:*", "http://127.0.0.1:*"}});
  hookbroker::HttpRequest request;
  request.method = "POST";
  request.path = "/api/events";
  request.body = "{}";
  request.headers = {{"host", input}, {"origin", input}, {"authorization", input}, {"content-type", input}};
  if (!policy.check_origin(request) && !input.empty())
    // Host and Origin are the same text here, so it is never the broker's own
    // origin (that would be "http://" + Host): only the patterns can allow it.
    check(input.rfind("http://localhost", 0) == 0 || input.rfind("http://127.0.0.1", 0) == 0);
  (void)policy.check_host(request);
  check(static_cast<bool>(policy.check_token(request)) != (input == "Bearer s3cret"));
  (void)hookbroker::core::HttpPolicy::check_json_body(request);
  // The edge's UTF-8 check agrees with nlohmann/json's (whose dump throws on
  // what the check lets through otherwise), and a refusal is always JSON.
  bool dumps = true;
  try {
    (void)nlohmann::json(input).dump();
  } catch (const nlohmann::json::exception&) {
    dumps = false;
  }
  check(hookbroker::core::is_valid_utf8(input) == dumps);
  if (auto refused = hookbroker::core::HttpPolicy::check_text(request))
    check(!nlohmann::json::parse(refused->body, nullptr, false).is_discarded());
  std::vector<std::pair<std::string, std::string>> params;
  if (hookbroker::match_route_path("/api/sessions/{id}/start", input, &params)) check(params.size() == 1);
  (void)hookbroker::match_route_path("/socket.io/*", input, &params);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  engine_payload(input);
  codec::BinaryAssembler assembler;
  socketio_packet(input, assembler);
  chunked_body(input);
  json_body(input);
  url_path(input);
  http_policy(input);
  return 0;
}
