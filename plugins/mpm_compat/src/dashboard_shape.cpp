#include "dashboard_shape.hpp"

#include "claude_events/mpm_fields.hpp"
#include "hookbroker/event.hpp"

namespace hookbroker::mpm {
namespace {

bool is_heartbeat(const nlohmann::json& message) {
  if (!message.is_object()) return false;
  for (const char* key : {"subtype", "event"}) {
    const auto it = message.find(key);
    if (it != message.end() && *it == "heartbeat") return true;
  }
  return false;
}

}  // namespace

nlohmann::json event_history_payload(const nlohmann::json& history) {
  nlohmann::json events = nlohmann::json::array();
  if (history.is_object()) {
    const auto it = history.find("events");
    if (it != history.end() && it->is_array()) events = *it;
  }
  const std::size_t count = events.size();
  return {{"events", std::move(events)}, {"count", count}, {"total_available", count}};
}

void shape_broadcast(std::string& channel, nlohmann::json& message) {
  if (channel == kSystemChannel && is_heartbeat(message)) {
    channel = kHeartbeatChannel;
    return;
  }
  if (channel == kHookChannel) claude_events::add_mpm_tool_fields(message);
}

void shape_status(nlohmann::json& status) {
  if (!status.is_object()) return;
  status["service"] = kMonitorService;
  const auto uptime = status.find("uptime_seconds");
  if (uptime != status.end() && uptime->is_number()) status["uptime"] = *uptime;
}

}  // namespace hookbroker::mpm
