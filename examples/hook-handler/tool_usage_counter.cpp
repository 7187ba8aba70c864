#include "tool_usage_counter.hpp"

#include <algorithm>

namespace tool_usage {

namespace {

// hooks_claude's subtypes for Claude Code's hook names (docs/hooks.md).
constexpr const char* kPreTool = "pre_tool";               // PreToolUse
constexpr const char* kPostTool = "post_tool";             // PostToolUse
constexpr const char* kPostToolFailure = "post_tool_use_failure";  // PostToolUseFailure
constexpr const char* kSessionEnd = "session_end";         // SessionEnd

std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

bool tool_response_failed(const nlohmann::json& data) {
  const auto it = data.find("tool_response");
  if (it == data.end() || !it->is_object()) return false;
  const nlohmann::json& response = *it;
  // Tools report failure in different shapes; these are the ones Claude Code uses.
  if (response.value("is_error", false) == true) return true;
  if (response.contains("success") && response["success"].is_boolean() && !response["success"].get<bool>())
    return true;
  return !string_field(response, "error").empty();
}

ToolUsageCounter::Session& ToolUsageCounter::session(const std::string& id) {
  auto found = sessions_.find(id);
  if (found == sessions_.end()) {
    // Bounded memory: a broker runs for weeks and sessions that never sent
    // SessionEnd would otherwise pile up. Forget the one idle the longest.
    if (sessions_.size() >= max_sessions_ && !sessions_.empty()) {
      const auto stalest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
        return a.second.last_seen < b.second.last_seen;
      });
      sessions_.erase(stalest);
    }
    found = sessions_.emplace(id, Session{}).first;
  }
  found->second.last_seen = ++clock_;
  return found->second;
}

std::optional<RepeatedFailure> ToolUsageCounter::observe(const nlohmann::json& event) {
  if (string_field(event, "type") != "hook") return std::nullopt;  // hooks only, not our own notices
  const std::string subtype = string_field(event, "subtype");
  const std::string session_id = string_field(event, "session_id");
  const nlohmann::json& data = event.contains("data") && event["data"].is_object() ? event["data"] : nlohmann::json::object();

  if (subtype == kSessionEnd) {
    sessions_.erase(session_id);
    return std::nullopt;
  }
  const std::string tool = string_field(data, "tool_name");
  if (tool.empty()) return std::nullopt;

  if (subtype == kPreTool) {
    ++total_calls_;
    ++by_tool_[tool].calls;
    ++session(session_id).by_tool[tool].calls;
    return std::nullopt;
  }
  if (subtype == kPostToolFailure) return record_result(session_id, tool, data, true);
  if (subtype == kPostTool) return record_result(session_id, tool, data, tool_response_failed(data));
  return std::nullopt;
}

std::optional<RepeatedFailure> ToolUsageCounter::record_result(const std::string& session_id, const std::string& tool,
                                                               const nlohmann::json& data, bool failed) {
  Session& s = session(session_id);
  int& streak = s.failure_streak[tool];
  if (!failed) {
    streak = 0;
    return std::nullopt;
  }
  ++total_failures_;
  ++by_tool_[tool].failures;
  ++s.by_tool[tool].failures;
  // Announce once, when the streak reaches the threshold, not on every failure after it.
  if (++streak != failure_threshold_) return std::nullopt;
  RepeatedFailure failure{session_id, tool, streak, nlohmann::json()};
  if (data.contains("error")) failure.last_error = data["error"];
  else if (data.contains("tool_response")) failure.last_error = data["tool_response"];
  return failure;
}

nlohmann::json ToolUsageCounter::snapshot() const {
  const auto tallies = [](const std::map<std::string, Tally>& by_tool) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [tool, t] : by_tool) out[tool] = {{"calls", t.calls}, {"failures", t.failures}};
    return out;
  };
  nlohmann::json by_session = nlohmann::json::object();
  for (const auto& [id, s] : sessions_) by_session[id] = tallies(s.by_tool);
  return {{"total_calls", total_calls_},
          {"total_failures", total_failures_},
          {"by_tool", tallies(by_tool_)},
          {"by_session", by_session}};
}

}  // namespace tool_usage
