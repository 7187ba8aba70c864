#include "event_line.hpp"

namespace hookbroker::monitor {
namespace {

/// "hook/pre_tool": the type and, when there is one, what kind of it.
std::string kind_of(const nlohmann::json& payload) {
  std::string kind = text_of(payload, "type", "?");
  std::string sub = text_of(payload, "subtype", text_of(payload, "event"));
  if (!sub.empty() && sub != kind) kind += "/" + sub;
  return kind;
}

}  // namespace

std::string format_event_line(std::string_view channel, const nlohmann::json& payload, SystemTime now) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const bool object = payload.is_object();
  const auto data_it = object ? payload.find("data") : payload.end();
  const nlohmann::json& data = object && data_it != payload.end() && data_it->is_object() ? *data_it : kEmpty;

  std::string line = clock_time_of(object ? payload.value("timestamp", nlohmann::json()) : nullptr, now);
  line += " ";
  line += channel;
  line += " " + (object ? kind_of(payload) : payload.dump());
  const std::string session = text_of(payload, "session_id", text_of(data, "session_id"));
  if (!session.empty()) line += "  session " + short_id(session);
  if (const std::string tool = text_of(data, "tool_name"); !tool.empty()) line += "  tool " + tool;
  const std::string agent = text_of(data, "agent_type", text_of(data.value("tool_input", kEmpty), "subagent_type"));
  if (!agent.empty()) line += "  agent " + agent;
  const std::string message = text_of(payload, "message", text_of(data, "message"));
  if (!message.empty()) line += "  " + message;
  return line + "\n";
}

}  // namespace hookbroker::monitor
