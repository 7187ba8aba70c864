#include "session_state.hpp"

#include "hookbroker/time.hpp"

namespace hookbroker::sessions {

namespace {

nlohmann::json text_or_null(const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

nlohmann::json agent_json(const Agent& a) {
  const bool main = a.serial == 0;
  return {
      {"agent_id", text_or_null(a.agent_id)},
      {"agent_type", !a.agent_type.empty() ? nlohmann::json(a.agent_type)
                     : main                  ? nlohmann::json("main")
                                             : nlohmann::json(nullptr)},
      {"main", main},
      {"parent_agent_id", text_or_null(a.parent_agent_id)},
      {"status", to_string(a.status)},
      {"activity", a.running() ? nlohmann::json(a.activity) : nlohmann::json(nullptr)},
      {"background", a.background},
      {"started_at", iso8601_utc(a.started_at)},
      {"ended_at", a.running() ? nlohmann::json(nullptr) : nlohmann::json(iso8601_utc(a.ended_at))},
      {"tool_use_id", text_or_null(a.tool_use_id)},
      {"resolved_model", text_or_null(a.resolved_model)},
      {"last_assistant_message", text_or_null(a.last_message)},
  };
}

/// The seed's delegation shape, kept for existing clients: status
/// "running" | "completed" (a failed subagent is also no longer running).
nlohmann::json delegation_json(const Agent& a) {
  return {
      {"agent_id", a.agent_id},
      {"agent_type", a.agent_type.empty() ? "unknown" : a.agent_type},
      {"status", a.running() ? "running" : "completed"},
      {"start_time", iso8601_utc(a.started_at)},
      {"end_time", a.running() ? nlohmann::json(nullptr) : nlohmann::json(iso8601_utc(a.ended_at))},
  };
}

bool waits_for(const Agent& a, const char* activity) { return a.running() && a.activity == activity; }

}  // namespace

const char* to_string(SessionStatus status) {
  switch (status) {
    case SessionStatus::Active: return "active";
    case SessionStatus::Delegated: return "delegated";
    case SessionStatus::Completed: return "completed";
  }
  return "active";
}

void SessionState::settle() {
  if (completed()) {
    activity = "ended";
    agent = root_agent;
    return;
  }
  const Agent* newest = agents.newest_running();
  status = newest ? SessionStatus::Delegated : SessionStatus::Active;
  agent = newest && !newest->agent_type.empty() ? newest->agent_type : root_agent;
  for (const char* asking : {"waiting_for_permission", "waiting_for_answer"}) {
    bool any = waits_for(agents.main(), asking);
    for (const auto& a : agents.subagents()) any = any || waits_for(a, asking);
    if (any) {
      activity = asking;
      return;
    }
  }
  activity = agents.main().activity;
}

void SessionState::restart(SystemTime at) {
  start_time = at;
  status = SessionStatus::Active;
  completed_at = SteadyTime::max();
  const std::string main_type = agents.main().agent_type;
  agents = AgentTree();
  agents.main().agent_type = main_type;
  agents.main().started_at = at;
  tools.clear();
  facts.end_reason.clear();
  stale = false;
  settle();
}

nlohmann::json SessionState::to_json() const {
  nlohmann::json delegations = nlohmann::json::array();
  for (const auto& a : agents.subagents()) delegations.push_back(delegation_json(a));
  nlohmann::json error = nullptr;
  if (!last_error.type.empty())
    error = {{"type", last_error.type}, {"details", text_or_null(last_error.details)}, {"at", iso8601_utc(last_error.at)}};
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
      {"stale", stale},
      {"background_running", agents.background_running()},
      {"delegations", std::move(delegations)},
      {"title", text_or_null(facts.title)},
      {"last_error", std::move(error)},
  };
  if (completed()) j["end_time"] = iso8601_utc(end_time);
  if (!usage.empty()) j["usage"] = usage.compact_json();
  if (!node.empty()) j["node"] = node;
  if (node_lost) j["node_state"] = "lost";
  return j;
}

nlohmann::json SessionState::detail_json() const {
  nlohmann::json j = cached_json();
  j["model"] = text_or_null(facts.model);
  j["prompt_count"] = facts.prompt_count;
  j["tool_calls"] = tools.counts_json();
  j["start_source"] = text_or_null(facts.start_source);
  j["end_reason"] = text_or_null(facts.end_reason);
  j["last_prompt"] = text_or_null(facts.last_prompt);
  j["last_assistant_message"] = text_or_null(agents.main().last_message);
  nlohmann::json list = nlohmann::json::array({agent_json(agents.main())});
  for (const auto& a : agents.subagents()) list.push_back(agent_json(a));
  j["agents"] = std::move(list);
  j["tools"] = tools.to_json([this](AgentSerial serial) { return agents.id_of(serial); });
  j["usage"] = usage.empty() ? nlohmann::json(nullptr) : usage_detail_json();
  return j;
}

nlohmann::json SessionState::usage_detail_json() const {
  nlohmann::json j = usage.detail_json();
  // Telemetry names an agent by its type (agent.name); the tree knows the
  // subagents of that type by id.
  for (auto& entry : j["by_agent"].items()) {
    const std::string& name = entry.key();
    nlohmann::json ids = nlohmann::json::array();
    if (name == "main") {
      ids.push_back(nullptr);
    } else {
      for (const auto& a : agents.subagents())
        if (a.agent_type == name && !a.agent_id.empty()) ids.push_back(a.agent_id);
    }
    entry.value()["agent_ids"] = std::move(ids);
  }
  return j;
}

const nlohmann::json& SessionState::cached_json() const {
  if (!json_cache_) json_cache_ = to_json();
  return *json_cache_;
}

const std::string& SessionState::cached_text() const {
  if (text_cache_.empty()) text_cache_ = json_cache_ ? json_cache_->dump() : to_json().dump();
  return text_cache_;
}

}  // namespace hookbroker::sessions
