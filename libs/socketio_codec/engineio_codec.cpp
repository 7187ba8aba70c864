#include "socketio_codec/engineio_codec.hpp"

#include <boost/beast/core/detail/base64.hpp>
#include <nlohmann/json.hpp>

namespace hookbroker::socketio_codec {

namespace base64 = boost::beast::detail::base64;

bool decode_engine_packet(std::string_view text, EnginePacket& out) {
  if (text.empty()) return false;
  const char type = text.front();
  if (type == 'b') {
    out.type = EnginePacketType::Message;
    out.binary = true;
    out.data = base64_decode(text.substr(1));
    return true;
  }
  if (type < '0' || type > '6') return false;
  out.type = static_cast<EnginePacketType>(type);
  out.binary = false;
  out.data.assign(text.substr(1));
  return true;
}

DecodedPayload decode_engine_payload(std::string_view body) {
  DecodedPayload result;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = body.find(kRecordSeparator, start);
    const std::string_view piece =
        body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    EnginePacket packet;
    if (!decode_engine_packet(piece, packet)) {
      result.error = true;
      return result;
    }
    result.packets.push_back(std::move(packet));
    if (end == std::string_view::npos) return result;
    start = end + 1;
  }
}

std::string encode_engine_packet(EnginePacketType type, std::string_view data) {
  std::string out;
  out.reserve(1 + data.size());
  out += static_cast<char>(type);
  out.append(data);
  return out;
}

std::string encode_binary_for_polling(std::string_view bytes) { return "b" + base64_encode(bytes); }

std::string join_engine_payload(const std::vector<std::string_view>& encoded_packets) {
  std::size_t size = 0;
  for (const auto& p : encoded_packets) size += p.size() + 1;
  std::string out;
  out.reserve(size);
  for (std::size_t i = 0; i < encoded_packets.size(); ++i) {
    if (i != 0) out += kRecordSeparator;
    out.append(encoded_packets[i]);
  }
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(base64::encoded_size(bytes.size()), '\0');
  out.resize(base64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

std::string base64_decode(std::string_view text) {
  // Beast's decoded_size() assumes padded input; unpadded text ("AQI") still
  // decodes up to 3 bytes per 4 characters rounded up.
  std::string out((text.size() + 3) / 4 * 3, '\0');
  out.resize(base64::decode(out.data(), text.data(), text.size()).first);
  return out;
}

std::string encode_engine_handshake(const EngineHandshake& h) {
  // Written by hand to keep the reference's key order (clients may log it).
  std::string upgrades = "[";
  for (const auto& u : h.upgrades) upgrades += (upgrades.size() > 1 ? "," : "") + nlohmann::json(u).dump();
  upgrades += "]";
  return encode_engine_packet(EnginePacketType::Open,
                              "{\"sid\":" + nlohmann::json(h.sid).dump() + ",\"upgrades\":" + upgrades +
                                  ",\"pingInterval\":" + std::to_string(h.ping_interval_ms) +
                                  ",\"pingTimeout\":" + std::to_string(h.ping_timeout_ms) +
                                  ",\"maxPayload\":" + std::to_string(h.max_payload) + "}");
}

std::string parse_engine_handshake(std::string_view data, EngineHandshake& out) {
  const auto j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return "the open packet's data is not a JSON object";
  const auto sid = j.find("sid");
  if (sid == j.end() || !sid->is_string() || sid->get_ref<const std::string&>().empty())
    return "the open packet has no \"sid\"";
  EngineHandshake h;
  h.sid = sid->get<std::string>();
  if (const auto u = j.find("upgrades"); u != j.end()) {
    if (!u->is_array()) return "the open packet's \"upgrades\" is not an array";
    for (const auto& name : *u)
      if (name.is_string()) h.upgrades.push_back(name.get<std::string>());
  }
  const std::pair<const char*, long long*> timers[] = {
      {"pingInterval", &h.ping_interval_ms}, {"pingTimeout", &h.ping_timeout_ms}, {"maxPayload", &h.max_payload}};
  for (const auto& [key, field] : timers) {
    const auto it = j.find(key);
    if (it == j.end()) continue;
    if (!it->is_number_integer() || it->get<long long>() <= 0)
      return std::string("the open packet's \"") + key + "\" is not a positive integer";
    *field = it->get<long long>();
  }
  out = std::move(h);
  return {};
}

}  // namespace hookbroker::socketio_codec
