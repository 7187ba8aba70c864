#include "runtime/heartbeat_envelope.hpp"

namespace hookbroker::core {

nlohmann::json heartbeat_envelope(nlohmann::json data, const std::string& timestamp) {
  nlohmann::json envelope = {{"type", "system"}, {"event", "heartbeat"}, {"subtype", "heartbeat"}, {"timestamp", timestamp}};
  envelope["data"] = std::move(data);
  return envelope;
}

namespace {

/// `data` serialised with each of `serialized` appended as "key":text.
void append_data(std::string& out, const nlohmann::json& data, const std::vector<SerializedValue>& serialized) {
  const std::size_t open = out.size();
  out += data.dump();
  out.pop_back();  // its closing brace
  for (const auto& value : serialized) {
    if (out.size() > open + 1) out += ',';
    out += nlohmann::json(value.key).dump();
    out += ':';
    out += *value.json;
  }
  out += '}';
}

}  // namespace

std::string serialize_heartbeat(const nlohmann::json& envelope, const std::vector<SerializedValue>& serialized) {
  if (serialized.empty()) return envelope.dump();
  std::size_t extra = 0;
  for (const auto& value : serialized) extra += value.key.size() + value.json->size() + 4;
  std::string out = "{";
  out.reserve(extra + 4096);
  for (auto it = envelope.begin(); it != envelope.end(); ++it) {
    if (out.size() > 1) out += ',';
    out += nlohmann::json(it.key()).dump();
    out += ':';
    if (it.key() == "data" && it->is_object()) append_data(out, *it, serialized);
    else out += it->dump();
  }
  out += '}';
  return out;
}

nlohmann::json with_serialized_values(nlohmann::json envelope, const std::vector<SerializedValue>& serialized) {
  auto& data = envelope["data"];
  for (const auto& value : serialized) data[value.key] = nlohmann::json::parse(*value.json, nullptr, false);
  return envelope;
}

}  // namespace hookbroker::core
