// The agents of one session: the main thread and its subagents, as a tree
// (parent_agent_id), bound to the tool calls that launched them.
//
// A subagent becomes known from whichever of its hooks comes first, in any
// order: the launching Agent/Task call (PreToolUse: its tool_use_id and the
// type it asks for), SubagentStart (its agent_id and type), the call's answer
// (PostToolUse: tool_response.agentId for that tool_use_id, and
// "async_launched" for a background run), or any event carrying its
// agent_id. Bounded: at most `max_agents` subagents per session; the oldest
// finished ones go first.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tool_log.hpp"

namespace hookbroker::sessions {

using SystemTime = std::chrono::system_clock::time_point;

enum class AgentStatus : std::uint8_t { Running, Completed, Failed };
const char* to_string(AgentStatus status);

struct Agent {
  AgentSerial serial = 0;  ///< per session, never reused; 0 = the main thread
  std::string agent_id;    ///< "" for the main thread, and for a launch whose subagent is not known yet
  std::string agent_type;
  std::string parent_agent_id;  ///< "" = the main thread
  std::string tool_use_id;      ///< of the call that launched it
  std::string resolved_model;
  std::string last_message;
  std::string activity = "working";
  AgentStatus status = AgentStatus::Running;
  bool background = false;
  SystemTime started_at{};
  SystemTime ended_at{};

  bool running() const { return status == AgentStatus::Running; }
  bool bound() const { return !agent_id.empty(); }
  void finish(AgentStatus how, SystemTime at);
};

class AgentTree {
 public:
  AgentTree() = default;

  Agent& main() { return main_; }
  const Agent& main() const { return main_; }
  const std::vector<Agent>& subagents() const { return subagents_; }

  /// The agent an event with `agent_id` happened in: the main thread for "",
  /// else that subagent, created (running) when unknown.
  Agent& agent_for(const std::string& agent_id, const std::string& agent_type, SystemTime at, std::size_t max_agents);
  Agent* find(const std::string& agent_id);
  /// The agent of `serial` (0 = the main thread), or nullptr when dropped.
  Agent* by_serial(AgentSerial serial);

  /// A call of `parent` asks for a subagent of `type` (PreToolUse Agent/Task).
  void launch(const std::string& tool_use_id, const std::string& type, const std::string& parent, SystemTime at,
              std::size_t max_agents);
  /// SubagentStart: the subagent announced by a launch of its type (the
  /// oldest unbound), else a new one. A stopped subagent that starts again
  /// (resumed) runs again.
  Agent& started(const std::string& agent_id, const std::string& type, SystemTime at, std::size_t max_agents);
  /// What the launching call answered (PostToolUse/PostToolUseFailure of
  /// Agent/Task). status "async_launched": background; "completed"/"failed":
  /// finished; "" (versions without it): finishes the launch only when no
  /// subagent claimed it, i.e. its subagent hooks are not configured.
  void launch_result(const std::string& tool_use_id, const std::string& agent_id, const std::string& type,
                     const std::string& status, const std::string& resolved_model, SystemTime at,
                     std::size_t max_agents);
  /// SubagentStop and the like: the running subagent with that id; when its
  /// start was never seen, the launch of its type no subagent claimed; with
  /// no id, the running one of that type (unclaimed first), else the oldest
  /// running one. Nullptr when none matches (e.g. Claude Code's own internal
  /// agents, whose stops carry an empty or the session's own agent_type).
  Agent* stopped(const std::string& agent_id, const std::string& type, AgentStatus how, SystemTime at);

  /// The main thread's turn ended: subagents still running outlive it, so
  /// they run in the background.
  void main_turn_ended();
  /// The session ended: every running agent completes.
  void end_all(SystemTime at);
  /// Forgets the subagents (a new run under the same session id).
  void clear_subagents();

  std::size_t running() const;
  std::size_t background_running() const;
  /// The newest running subagent, or nullptr.
  const Agent* newest_running() const;
  /// The agent_id of `serial`, also for subagents already dropped; null for the main thread.
  nlohmann::json id_of(AgentSerial serial) const;

 private:
  enum class Claim { Known, Bound, Added };
  /// The subagent `agent_id` names: the known one, else the oldest launch of
  /// its type no subagent claimed (its SubagentStart may not have been seen:
  /// not installed, or the broker started later), else a new running one.
  std::pair<Agent*, Claim> claim(const std::string& agent_id, const std::string& type, SystemTime at,
                                 std::size_t max_agents);
  Agent& add(Agent agent, std::size_t max_agents);
  Agent* by_tool_use_id(const std::string& tool_use_id);
  Agent* oldest_unbound(const std::string& type);
  void trim(std::size_t max_agents);

  Agent main_;
  std::vector<Agent> subagents_;  ///< oldest first
  std::deque<std::pair<AgentSerial, std::string>> dropped_ids_;
  AgentSerial next_serial_ = 1;
};

}  // namespace hookbroker::sessions
