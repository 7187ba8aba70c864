#include "codec/engineio_codec.hpp"

#include <boost/beast/core/detail/base64.hpp>

namespace hookbroker::sio {

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

}  // namespace hookbroker::sio
