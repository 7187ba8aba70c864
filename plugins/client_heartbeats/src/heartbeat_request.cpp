#include "heartbeat_request.hpp"

namespace hookbroker::client_heartbeats {
namespace {

constexpr std::size_t kMaxText = 128;
constexpr double kMaxRttMs = 3600.0 * 1000.0;

std::string check_text(const nlohmann::json& payload, const char* key, std::optional<std::string>& out) {
  const auto it = payload.find(key);
  if (it == payload.end() || it->is_null()) return {};
  if (!it->is_string()) return std::string("\"") + key + "\" must be a string";
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() > kMaxText)
    return std::string("\"") + key + "\" is " + std::to_string(text.size()) + " characters long; at most " +
           std::to_string(kMaxText) + " are kept";
  out = text;
  return {};
}

}  // namespace

ParsedRequest parse_heartbeat_request(const nlohmann::json& args) {
  ParsedRequest parsed;
  HeartbeatRequest request;
  const nlohmann::json payload =
      args.is_array() && !args.empty() ? args.front() : nlohmann::json(nlohmann::json::value_t::null);
  if (payload.is_null()) {
    parsed.request = request;  // a bare heartbeat: "still here"
    return parsed;
  }
  if (!payload.is_object()) {
    parsed.error = "client_heartbeat takes an object such as {\"client_id\": \"ui-1\", \"name\": \"dashboard\"}, "
                   "got " + std::string(payload.type_name());
    return parsed;
  }
  parsed.error = check_text(payload, "client_id", request.client_id);
  if (parsed.error.empty()) parsed.error = check_text(payload, "name", request.name);
  if (!parsed.error.empty()) return parsed;
  if (const auto it = payload.find("rtt_ms"); it != payload.end() && !it->is_null()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > kMaxRttMs) {
      parsed.error = "\"rtt_ms\" must be a number of milliseconds from 0 to 3600000";
      return parsed;
    }
    request.rtt_ms = it->get<double>();
  }
  if (const auto it = payload.find("sent_at"); it != payload.end()) {
    if (!it->is_number() && !it->is_string() && !it->is_null()) {
      parsed.error = "\"sent_at\" must be a number or a string (it is echoed back for timing)";
      return parsed;
    }
    if (it->is_string() && it->get_ref<const std::string&>().size() > kMaxText) {
      parsed.error = "\"sent_at\" is too long; send a timestamp";
      return parsed;
    }
    request.echo = *it;
  }
  parsed.request = std::move(request);
  return parsed;
}

}  // namespace hookbroker::client_heartbeats
