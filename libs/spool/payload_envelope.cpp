#include "spool/payload_envelope.hpp"

#include <nlohmann/json.hpp>

namespace hookbroker::spool {
namespace {

std::string dump(const nlohmann::json& value) {
  // replace: a cut multi-byte character must not make the envelope invalid.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// `text` as a JSON string value, with invalid UTF-8 replaced. Built through
/// dump() of a one-element array because json string values keep raw bytes
/// until serialized.
nlohmann::json text_value(std::string_view text) {
  const std::string clean = dump(nlohmann::json(std::string(text)));
  return nlohmann::json::parse(clean, nullptr, false);
}

}  // namespace

std::string find_string_field(std::string_view text, std::string_view key) {
  const std::string quoted = "\"" + std::string(key) + "\"";
  std::size_t pos = 0;
  while ((pos = text.find(quoted, pos)) != std::string_view::npos) {
    std::size_t p = pos + quoted.size();
    pos = p;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r')) ++p;
    if (p >= text.size() || text[p] != ':') continue;  // it was a value, not a key
    ++p;
    while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '\n' || text[p] == '\r')) ++p;
    if (p >= text.size() || text[p] != '"') return {};
    const std::size_t start = p;
    for (++p; p < text.size() && p - start <= 258; ++p) {
      if (text[p] == '\\') {
        ++p;
        continue;
      }
      if (text[p] == '"') {
        const auto value = nlohmann::json::parse(text.substr(start, p - start + 1), nullptr, false);
        return value.is_string() ? value.get<std::string>() : std::string();
      }
    }
    return {};
  }
  return {};
}

std::string truncated_envelope(std::string_view prefix, uint64_t received_bytes, bool input_complete,
                               const std::string& reason) {
  nlohmann::json envelope = nlohmann::json::object();
  const std::string event_name = find_string_field(prefix, "hook_event_name");
  if (!event_name.empty()) {
    envelope["hook_event_name"] = event_name;
  } else {
    envelope["type"] = "hook_forwarder";
    envelope["subtype"] = "truncated";
  }
  if (const std::string session = find_string_field(prefix, "session_id"); !session.empty())
    envelope["session_id"] = session;
  envelope["hookbroker_truncated"] = {{"reason", reason},
                                      {"kept_bytes", prefix.size()},
                                      {"received_bytes", received_bytes},
                                      {"input_complete", input_complete},
                                      {"prefix", text_value(prefix)}};
  return dump(envelope);
}

std::string invalid_input_envelope(std::string_view raw, const std::string& error) {
  const std::string_view kept = raw.substr(0, kInvalidInputKeepBytes);
  nlohmann::json envelope = {
      {"type", "hook_forwarder"},
      {"subtype", "invalid_input"},
      {"data", {{"error", text_value(error)}, {"raw_bytes", raw.size()}, {"raw", text_value(kept)}}}};
  return dump(envelope);
}

}  // namespace hookbroker::spool
