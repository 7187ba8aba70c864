#include "stream_entry.hpp"

#include <stdexcept>

namespace hookbroker::cluster {

std::vector<std::string> xadd_command(const std::string& stream, std::size_t max_events, const StreamEntry& entry) {
  return {"XADD", stream, "MAXLEN", "~", std::to_string(max_events), "*",  "node",  entry.node,
          "boot", entry.boot, "seq", std::to_string(entry.seq), "event", entry.event};
}

namespace {

std::optional<StreamEntry> entry_of(const RedisReply& fields) {
  if (!fields.is_array() || fields.elements.size() % 2 != 0) return std::nullopt;
  StreamEntry e;
  bool has_seq = false;
  bool has_event = false;
  for (std::size_t i = 0; i + 1 < fields.elements.size(); i += 2) {
    const std::string& key = fields.elements[i].text;
    const std::string& value = fields.elements[i + 1].text;
    if (key == "node") {
      e.node = value;
    } else if (key == "boot") {
      e.boot = value;
    } else if (key == "seq") {
      try {
        std::size_t used = 0;
        e.seq = std::stoull(value, &used);
        has_seq = used == value.size();
      } catch (const std::exception&) {
        return std::nullopt;
      }
    } else if (key == "event") {
      e.event = value;
      has_event = true;
    }
  }
  if (e.node.empty() || e.boot.empty() || !has_seq || !has_event) return std::nullopt;
  return e;
}

}  // namespace

std::vector<ReadEntry> read_entries(const RedisReply& reply) {
  std::vector<ReadEntry> out;
  // [[stream, [[id, [field, value, ...]], ...]]]
  if (!reply.is_array() || reply.elements.empty()) return out;
  const RedisReply& stream = reply.elements[0];
  if (!stream.is_array() || stream.elements.size() != 2 || !stream.elements[1].is_array()) return out;
  for (const RedisReply& item : stream.elements[1].elements) {
    if (!item.is_array() || item.elements.size() != 2) continue;
    out.push_back({item.elements[0].text, entry_of(item.elements[1])});
  }
  return out;
}

}  // namespace hookbroker::cluster
