#include "agent_tree.hpp"

#include <algorithm>

namespace hookbroker::sessions {

const char* to_string(AgentStatus status) {
  switch (status) {
    case AgentStatus::Running: return "running";
    case AgentStatus::Completed: return "completed";
    case AgentStatus::Failed: return "failed";
  }
  return "running";
}

void Agent::finish(AgentStatus how, SystemTime at) {
  status = how;
  ended_at = at;
}

Agent* AgentTree::find(const std::string& agent_id) {
  if (agent_id.empty()) return nullptr;
  for (auto& a : subagents_)
    if (a.agent_id == agent_id) return &a;
  return nullptr;
}

Agent* AgentTree::by_serial(AgentSerial serial) {
  if (serial == 0) return &main_;
  for (auto& a : subagents_)
    if (a.serial == serial) return &a;
  return nullptr;
}

Agent* AgentTree::by_tool_use_id(const std::string& tool_use_id) {
  if (tool_use_id.empty()) return nullptr;
  for (auto& a : subagents_)
    if (a.tool_use_id == tool_use_id) return &a;
  return nullptr;
}

Agent* AgentTree::oldest_unbound(const std::string& type) {
  for (auto& a : subagents_)
    if (a.running() && !a.bound() && (type.empty() || a.agent_type.empty() || a.agent_type == type)) return &a;
  return nullptr;
}

Agent& AgentTree::add(Agent agent, std::size_t max_agents) {
  agent.serial = next_serial_++;
  subagents_.push_back(std::move(agent));
  trim(max_agents);
  return subagents_.back();  // trim never drops the newest
}

void AgentTree::trim(std::size_t max_agents) {
  while (subagents_.size() > std::max<std::size_t>(max_agents, 1)) {
    auto victim = std::find_if(subagents_.begin(), subagents_.end() - 1, [](const Agent& a) { return !a.running(); });
    if (victim == subagents_.end() - 1) victim = subagents_.begin();
    if (victim->bound()) {
      dropped_ids_.emplace_back(victim->serial, victim->agent_id);
      if (dropped_ids_.size() > max_agents) dropped_ids_.pop_front();
    }
    subagents_.erase(victim);
  }
}

std::pair<Agent*, AgentTree::Claim> AgentTree::claim(const std::string& agent_id, const std::string& type,
                                                     SystemTime at, std::size_t max_agents) {
  if (Agent* a = find(agent_id)) {
    if (a->agent_type.empty()) a->agent_type = type;
    return {a, Claim::Known};
  }
  if (Agent* a = oldest_unbound(type)) {
    a->agent_id = agent_id;
    if (a->agent_type.empty()) a->agent_type = type;
    return {a, Claim::Bound};
  }
  Agent a;
  a.agent_id = agent_id;
  a.agent_type = type;
  a.started_at = at;
  return {&add(std::move(a), max_agents), Claim::Added};
}

Agent& AgentTree::agent_for(const std::string& agent_id, const std::string& agent_type, SystemTime at,
                            std::size_t max_agents) {
  if (agent_id.empty()) return main_;
  return *claim(agent_id, agent_type, at, max_agents).first;
}

void AgentTree::launch(const std::string& tool_use_id, const std::string& type, const std::string& parent,
                       SystemTime at, std::size_t max_agents) {
  if (Agent* known = by_tool_use_id(tool_use_id)) {  // its answer came first
    if (known->agent_type.empty()) known->agent_type = type;
    if (known->parent_agent_id.empty()) known->parent_agent_id = parent;
    return;
  }
  Agent a;
  a.agent_type = type;
  a.parent_agent_id = parent;
  a.tool_use_id = tool_use_id;
  a.started_at = at;
  add(std::move(a), max_agents);
}

Agent& AgentTree::started(const std::string& agent_id, const std::string& type, SystemTime at,
                          std::size_t max_agents) {
  auto [agent, how] = claim(agent_id, type, at, max_agents);
  if (how == Claim::Bound) agent->started_at = at;  // its launch was the call; this is its start
  if (!agent->running()) {  // resumed
    agent->status = AgentStatus::Running;
    agent->ended_at = {};
  }
  return *agent;
}

void AgentTree::launch_result(const std::string& tool_use_id, const std::string& agent_id, const std::string& type,
                              const std::string& status, const std::string& resolved_model, SystemTime at,
                              std::size_t max_agents) {
  Agent* target = by_tool_use_id(tool_use_id);
  Agent* by_id = find(agent_id);
  if (target && by_id && target != by_id) {
    // SubagentStart bound this subagent to another launch of the same type;
    // the answer says which call it was: the two trade their launches.
    if (!target->bound()) {
      std::swap(target->tool_use_id, by_id->tool_use_id);
      std::swap(target->parent_agent_id, by_id->parent_agent_id);
      if (target->tool_use_id.empty()) {  // a launch with no call of its own left
        const AgentSerial keep = by_id->serial;
        subagents_.erase(subagents_.begin() + (target - subagents_.data()));
        by_id = nullptr;
        for (auto& a : subagents_)
          if (a.serial == keep) by_id = &a;
      }
    }
    target = by_id;
  } else if (!target) {
    target = by_id;
  }
  if (!target && !agent_id.empty()) {  // neither its launch nor its start was seen
    Agent a;
    a.agent_id = agent_id;
    a.agent_type = type;
    a.tool_use_id = tool_use_id;
    a.started_at = at;
    target = &add(std::move(a), max_agents);
  }
  if (!target && tool_use_id.empty()) target = oldest_unbound(type);  // versions without ids
  if (!target) return;
  if (!agent_id.empty() && !target->bound()) target->agent_id = agent_id;
  if (target->tool_use_id.empty()) target->tool_use_id = tool_use_id;
  if (!resolved_model.empty()) target->resolved_model = resolved_model;
  if (status == "async_launched") {
    target->background = true;
  } else if (!target->running()) {
    return;
  } else if (status == "completed") {
    target->finish(AgentStatus::Completed, at);
  } else if (status == "failed") {
    target->finish(AgentStatus::Failed, at);
  } else if (status.empty() && !target->bound()) {
    target->finish(AgentStatus::Completed, at);
  }
}

Agent* AgentTree::stopped(const std::string& agent_id, const std::string& type, AgentStatus how, SystemTime at) {
  Agent* a = nullptr;
  if (!agent_id.empty()) {
    a = find(agent_id);
    if (!a) {
      if (type.empty() || type == main_.agent_type) return nullptr;  // Claude Code's own internal agents
      a = oldest_unbound(type);
      if (!a) return nullptr;
      a->agent_id = agent_id;
    }
  } else {
    auto first = [&](auto pred) -> Agent* {
      for (auto& x : subagents_)
        if (x.running() && pred(x)) return &x;
      return nullptr;
    };
    if (!type.empty()) {
      a = first([&](const Agent& x) { return !x.bound() && x.agent_type == type; });
      if (!a) a = first([&](const Agent& x) { return x.agent_type == type; });
    } else {
      a = first([](const Agent&) { return true; });
    }
    if (!a) return nullptr;
  }
  if (a->running()) a->finish(how, at);
  return a;
}

void AgentTree::main_turn_ended() {
  for (auto& a : subagents_)
    if (a.running()) a.background = true;
}

void AgentTree::end_all(SystemTime at) {
  if (main_.running()) main_.finish(AgentStatus::Completed, at);
  for (auto& a : subagents_)
    if (a.running()) a.finish(AgentStatus::Completed, at);
}

void AgentTree::clear_subagents() {
  subagents_.clear();
  dropped_ids_.clear();
}

std::size_t AgentTree::running() const {
  return static_cast<std::size_t>(
      std::count_if(subagents_.begin(), subagents_.end(), [](const Agent& a) { return a.running(); }));
}

std::size_t AgentTree::background_running() const {
  return static_cast<std::size_t>(std::count_if(subagents_.begin(), subagents_.end(),
                                                [](const Agent& a) { return a.running() && a.background; }));
}

const Agent* AgentTree::newest_running() const {
  for (auto it = subagents_.rbegin(); it != subagents_.rend(); ++it)
    if (it->running()) return &*it;
  return nullptr;
}

nlohmann::json AgentTree::id_of(AgentSerial serial) const {
  if (serial == 0) return nullptr;
  for (const auto& a : subagents_)
    if (a.serial == serial) return a.bound() ? nlohmann::json(a.agent_id) : nlohmann::json(nullptr);
  for (const auto& [s, id] : dropped_ids_)
    if (s == serial) return id;
  return nullptr;
}

}  // namespace hookbroker::sessions
