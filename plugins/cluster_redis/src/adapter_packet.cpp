#include "adapter_packet.hpp"

#include <cstdint>
#include <vector>

namespace hookbroker::cluster {

namespace {

constexpr int kEventPacket = 2;  // socket.io-parser PacketType.EVENT

AdapterDecode refuse(std::string why) { return {std::nullopt, std::move(why)}; }

}  // namespace

std::string adapter_channel(const std::string& key) { return key + "#/#"; }
std::string adapter_pattern(const std::string& key) { return key + "#/#*"; }

std::string encode_adapter_broadcast(const std::string& uid, const std::string& event, const nlohmann::json& payload) {
  const nlohmann::json message = nlohmann::json::array(
      {uid,
       {{"type", kEventPacket}, {"data", nlohmann::json::array({event, payload})}, {"nsp", "/"}},
       {{"rooms", nlohmann::json::array()}, {"except", nlohmann::json::array()}, {"flags", nlohmann::json::object()}}});
  const std::vector<std::uint8_t> bytes = nlohmann::json::to_msgpack(message);
  return std::string(bytes.begin(), bytes.end());
}

std::string adapter_sender(const std::string& message) {
  const auto byte = [&](std::size_t at) { return static_cast<std::uint8_t>(message[at]); };
  // MessagePack: an array header (fixarray, array 16, array 32), then a str
  // (fixstr, str 8, str 16, str 32) with a big-endian length.
  std::size_t at = 0;
  if (message.empty()) return {};
  if ((byte(0) & 0xf0) == 0x90) at = 1;
  else if (byte(0) == 0xdc) at = 3;
  else if (byte(0) == 0xdd) at = 5;
  else return {};
  if (message.size() <= at) return {};
  std::size_t length = 0;
  std::size_t width = 0;
  const std::uint8_t tag = byte(at++);
  if ((tag & 0xe0) == 0xa0) length = tag & 0x1f;
  else if (tag == 0xd9) width = 1;
  else if (tag == 0xda) width = 2;
  else if (tag == 0xdb) width = 4;
  else return {};
  if (message.size() < at + width) return {};
  for (std::size_t i = 0; i < width; ++i) length = length << 8 | byte(at++);
  if (message.size() - at < length) return {};
  return message.substr(at, length);
}

AdapterDecode decode_adapter_broadcast(const std::string& key, const std::string& channel, const std::string& message) {
  const std::string prefix = adapter_channel(key);
  if (channel.rfind(prefix, 0) != 0) return refuse("not a broadcast of namespace \"/\" (channel " + channel + ")");
  nlohmann::json decoded;
  try {
    decoded = nlohmann::json::from_msgpack(message);
  } catch (const nlohmann::json::exception& e) {
    return refuse(std::string("not MessagePack: ") + e.what());
  }
  if (!decoded.is_array() || decoded.size() < 2 || !decoded[1].is_object())
    return refuse("not [uid, packet, opts]");
  AdapterBroadcast b;
  if (decoded[0].is_string()) b.uid = decoded[0].get<std::string>();
  const nlohmann::json& packet = decoded[1];
  if (packet.value("nsp", std::string("/")) != "/") return refuse("namespace " + packet.value("nsp", std::string()));
  if (packet.value("type", -1) != kEventPacket)
    return refuse("packet type " + std::to_string(packet.value("type", -1)) +
                  " (only plain events: binary arguments are not supported)");
  const auto data = packet.find("data");
  if (data == packet.end() || !data->is_array() || data->empty() || !(*data)[0].is_string())
    return refuse("an event packet without an event name");
  b.event = (*data)[0].get<std::string>();
  for (std::size_t i = 1; i < data->size(); ++i) b.args.push_back((*data)[i]);
  b.to_rooms = channel.size() > prefix.size();
  if (decoded.size() > 2 && decoded[2].is_object()) {
    const nlohmann::json& opts = decoded[2];
    // "except" rooms exclude no client of ours: they are in no room.
    if (opts.contains("rooms") && opts["rooms"].is_array() && !opts["rooms"].empty()) b.to_rooms = true;
    if (opts.contains("flags") && opts["flags"].is_object()) b.local_only = opts["flags"].value("local", false);
  }
  return {std::move(b), {}};
}

}  // namespace hookbroker::cluster
