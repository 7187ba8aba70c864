#include "socketio_codec/socketio_codec.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "hookbroker/json_input.hpp"

namespace hookbroker::socketio_codec {
namespace {

// Event names a client may not use (the reference decoder refuses them).
constexpr std::array<std::string_view, 6> kReservedEvents = {
    "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_binary_type(PacketType t) { return t == PacketType::BinaryEvent || t == PacketType::BinaryAck; }

// Whether `data` has the shape the reference accepts for the packet type.
bool payload_valid(PacketType type, const nlohmann::json& data) {
  switch (type) {
    case PacketType::Connect:
      return data.is_object();
    case PacketType::Disconnect:
      return false;  // a DISCONNECT carries no data
    case PacketType::ConnectError:
      return data.is_string() || data.is_object();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
      if (!data.is_array() || data.empty()) return false;
      const auto& name = data.front();
      if (name.is_number()) return true;
      if (!name.is_string()) return false;
      const auto& s = name.get_ref<const std::string&>();
      return std::find(kReservedEvents.begin(), kReservedEvents.end(), s) == kReservedEvents.end();
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
      return data.is_array();
  }
  return false;
}

std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// End (one past) of the JSON string token starting at s[i] == '"'.
std::size_t skip_string(std::string_view s, std::size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\')
      ++i;
    else if (s[i] == '"')
      return i + 1;
  }
  return s.size();
}

// End of the JSON scalar (number, literal) starting at s[i].
std::size_t skip_scalar(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] != ',' && s[i] != ']' && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
         s[i] != '\r')
    ++i;
  return i;
}

}  // namespace

std::string decode_packet(std::string_view text, Packet& out, const DecodeLimits& limits) {
  out = Packet{};
  if (text.empty()) return "empty packet";
  if (!is_digit(text[0]) || text[0] > '6') return "unknown packet type";
  out.type = static_cast<PacketType>(text[0] - '0');
  std::size_t i = 1;

  if (is_binary_type(out.type)) {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    if (i == start || i >= text.size() || text[i] != '-' || i - start > 6) return "illegal attachments";
    const std::size_t n = std::stoul(std::string(text.substr(start, i - start)));
    if (n < 1) return "illegal attachments";
    if (n > limits.max_attachments) return "too many attachments";
    out.attachments = n;
    ++i;  // '-'
  }

  if (i < text.size() && text[i] == '/') {
    const std::size_t comma = text.find(',', i);
    const std::size_t end = comma == std::string_view::npos ? text.size() : comma;
    out.nsp.assign(text.substr(i, end - i));
    i = comma == std::string_view::npos ? text.size() : comma + 1;
  }

  if (i < text.size() && is_digit(text[i])) {
    const std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    // Ids are JavaScript numbers: more than 15 digits would lose precision.
    if (i - start > 15) return "ack id too large";
    out.id = std::stoull(std::string(text.substr(start, i - start)));
  }

  if (i < text.size()) {
    const std::string_view json = text.substr(i);
    auto parsed = hookbroker::parse_json_input(json, limits.max_json_depth);
    if (!parsed.ok) return "invalid payload: " + parsed.error;
    if (!payload_valid(out.type, parsed.value)) return "invalid payload for packet type";
    if (is_binary_type(out.type) && !placeholders_valid(parsed.value, out.attachments))
      return "illegal attachments: placeholder out of range";
    out.json.assign(json);
    out.data = std::move(parsed.value);
  }
  return {};
}

std::string encode_packet(const Packet& packet) {
  std::string out;
  out.reserve(16 + packet.nsp.size() + packet.json.size());
  out += static_cast<char>('0' + static_cast<int>(packet.type));
  if (is_binary_type(packet.type)) {
    out += std::to_string(packet.attachments);
    out += '-';
  }
  if (!packet.nsp.empty() && packet.nsp != "/") {
    out += packet.nsp;
    out += ',';
  }
  if (packet.id) out += std::to_string(*packet.id);
  out += packet.json;
  return out;
}

std::string encode_connect(std::string_view auth_json, std::string_view nsp) {
  Packet p;
  p.type = PacketType::Connect;
  p.nsp = std::string(nsp);
  p.json = std::string(auth_json);
  return encode_packet(p);
}

std::string encode_event(std::string_view name, std::string_view args_json, std::size_t attachments) {
  const std::string quoted = nlohmann::json(std::string(name)).dump();
  const std::size_t args_start = skip_ws(args_json, 0) + 1;  // after '['
  const std::size_t rest = skip_ws(args_json, args_start);
  const bool no_args = rest >= args_json.size() || args_json[rest] == ']';

  Packet p;
  p.type = attachments > 0 ? PacketType::BinaryEvent : PacketType::Event;
  p.attachments = attachments;
  p.json.reserve(quoted.size() + args_json.size() + 2);
  p.json += '[';
  p.json += quoted;
  if (!no_args) {
    p.json += ',';
    p.json.append(args_json.substr(std::min(args_start, args_json.size())));
  } else {
    p.json += ']';
  }
  return encode_packet(p);
}

std::string encode_ack(std::uint64_t id, std::string_view args_json, std::size_t attachments,
                       std::string_view nsp) {
  Packet p;
  p.type = attachments > 0 ? PacketType::BinaryAck : PacketType::Ack;
  p.attachments = attachments;
  p.nsp.assign(nsp);
  p.id = id;
  p.json.assign(args_json);
  return encode_packet(p);
}

std::string encode_broadcast_message(std::string_view channel, std::string_view payload_json) {
  const std::string quoted = nlohmann::json(std::string(channel)).dump();
  std::string out;
  out.reserve(5 + quoted.size() + payload_json.size());
  out += "42[";
  out += quoted;
  out += ',';
  out.append(payload_json);
  out += ']';
  return out;
}

std::string event_arguments_json(std::string_view a) {
  std::size_t i = skip_ws(a, 0);
  if (i >= a.size() || a[i] != '[') return "[]";
  i = skip_ws(a, i + 1);
  if (i >= a.size() || a[i] == ']') return "[]";
  i = a[i] == '"' ? skip_string(a, i) : skip_scalar(a, i);
  i = skip_ws(a, i);
  if (i >= a.size() || a[i] != ',') return "[]";
  std::string out = "[";
  out.append(a.substr(i + 1));
  return out;
}

bool placeholders_valid(const nlohmann::json& data, std::size_t attachments) {
  // Iterative walk: `data` came from the network, so no recursion on its depth.
  std::vector<const nlohmann::json*> todo{&data};
  while (!todo.empty()) {
    const nlohmann::json* j = todo.back();
    todo.pop_back();
    if (j->is_object()) {
      const auto ph = j->find("_placeholder");
      if (ph != j->end() && ph->is_boolean() && ph->get<bool>()) {
        const auto num = j->find("num");
        if (num == j->end() || !num->is_number_integer()) return false;
        const auto n = num->get<std::int64_t>();
        if (n < 0 || static_cast<std::uint64_t>(n) >= attachments) return false;
        continue;
      }
      for (const auto& item : j->items()) todo.push_back(&item.value());
    } else if (j->is_array()) {
      for (const auto& item : *j) todo.push_back(&item);
    }
  }
  return true;
}

void BinaryAssembler::begin(Packet packet) {
  packet_ = std::move(packet);
  attachments_.clear();
  attachments_.reserve(packet_.attachments);
  active_ = true;
}

bool BinaryAssembler::add(std::string bytes) {
  attachments_.push_back(std::move(bytes));
  return attachments_.size() >= packet_.attachments;
}

Packet BinaryAssembler::take_packet() {
  active_ = false;
  return std::move(packet_);
}

std::vector<std::string> BinaryAssembler::take_attachments() { return std::move(attachments_); }

void BinaryAssembler::reset() {
  active_ = false;
  packet_ = Packet{};
  attachments_.clear();
}

}  // namespace hookbroker::socketio_codec
