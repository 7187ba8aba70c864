#include "hook_fields.hpp"

#include <algorithm>
#include <cctype>

namespace hookbroker::claude {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string text_at(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return {};
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_delegation_tool(const nlohmann::json& payload) {
  const std::string tool = text_at(payload, "tool_name");
  return tool == "Task" || tool == "Agent";
}

std::string delegated_agent_type(const nlohmann::json& payload) {
  std::string type = text_at(payload.value("tool_input", nlohmann::json::object()), "subagent_type");
  if (type.empty()) type = text_at(payload.value("delegation_details", nlohmann::json::object()), "agent_type");
  return type;
}

bool is_permission_prompt(const nlohmann::json& payload) {
  const std::string type = text_at(payload, "notification_type");
  if (!type.empty()) return type == "permission_prompt";
  const std::string message = lower(text_at(payload, "message"));
  return message.find("needs your permission") != std::string::npos ||
         message.find("permission to use") != std::string::npos;
}

bool is_idle_prompt(const nlohmann::json& payload) {
  const std::string type = text_at(payload, "notification_type");
  if (!type.empty()) return type == "idle_prompt";
  return lower(text_at(payload, "message")).find("waiting for your input") != std::string::npos;
}

std::string notification_activity(const nlohmann::json& payload) {
  if (is_permission_prompt(payload)) return "waiting_for_permission";
  if (is_idle_prompt(payload)) return "waiting_for_input";
  const std::string type = text_at(payload, "notification_type");
  if (type == "elicitation_dialog" || type == "elicitation_url_dialog") return "waiting_for_answer";
  if (type == "elicitation_complete" || type == "elicitation_response") return "working";
  return {};
}

}  // namespace hookbroker::claude
