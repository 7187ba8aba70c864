#include "session_state.hpp"

#include <algorithm>

#include "hookbroker/time.hpp"

namespace hookbroker::sessions {

const char* to_string(SessionStatus status) {
  switch (status) {
    case SessionStatus::Active: return "active";
    case SessionStatus::Delegated: return "delegated";
    case SessionStatus::Completed: return "completed";
  }
  return "active";
}

nlohmann::json Delegation::to_json() const {
  return {
      {"agent_id", agent_id},
      {"agent_type", agent_type},
      {"status", running ? "running" : "completed"},
      {"start_time", iso8601_utc(start_time)},
      {"end_time", running ? nlohmann::json(nullptr) : nlohmann::json(iso8601_utc(end_time))},
  };
}

bool SessionState::has_running_delegation() const {
  return std::any_of(delegations.begin(), delegations.end(),
                     [](const Delegation& d) { return d.running; });
}

nlohmann::json SessionState::to_json() const {
  nlohmann::json delegation_list = nlohmann::json::array();
  for (const auto& d : delegations) delegation_list.push_back(d.to_json());
  nlohmann::json j = {
      {"session_id", session_id},
      {"start_time", iso8601_utc(start_time)},
      {"agent", agent},
      {"status", to_string(status)},
      {"last_activity", iso8601_utc(last_activity)},
      {"cwd", cwd},
      {"permission_mode", permission_mode},
      {"event_count", event_count},
      {"activity", activity},
      {"delegations", std::move(delegation_list)},
  };
  if (status == SessionStatus::Completed) j["end_time"] = iso8601_utc(end_time);
  return j;
}

const nlohmann::json& SessionState::cached_json() const {
  if (!json_cache_) json_cache_ = to_json();
  return *json_cache_;
}

}  // namespace hookbroker::sessions
