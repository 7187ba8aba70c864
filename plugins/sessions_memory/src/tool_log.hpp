// One session's tool calls: those in flight, the last N finished, and counts
// per tool. Calls are paired by tool_use_id; events from Claude Code versions
// without one are paired by tool name within the same agent, oldest first.
//
// Bounded: at most `max_calls` in flight and `max_calls` finished (the oldest
// finished go first), at most kMaxToolNames names counted (the rest are
// counted as "(other)"). A finished call costs about 110 bytes
// (docs/performance.md), so one string holds all of its text.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::sessions {

enum class ToolOutcome : std::uint8_t { Ok, Failed, Denied, Interrupted };
const char* to_string(ToolOutcome outcome);
std::optional<ToolOutcome> tool_outcome_from(std::string_view text);

/// Wall-clock milliseconds since the epoch; kNoTime when unknown.
using EpochMs = std::int64_t;
inline constexpr EpochMs kNoTime = INT64_MIN;
EpochMs epoch_ms(std::chrono::system_clock::time_point t);

/// Agents are referred to by a per-session serial (0 = the main thread).
using AgentSerial = std::uint32_t;

class ToolCall {
 public:
  ToolCall(std::string_view tool_use_id, std::string_view tool_name, AgentSerial agent, EpochMs started);

  std::string_view tool_use_id() const;
  std::string_view tool_name() const;
  std::string_view error() const;
  void set_error(std::string_view error);

  AgentSerial agent = 0;
  EpochMs started_ms = kNoTime;
  EpochMs ended_ms = kNoTime;
  float duration_ms = -1;  ///< < 0: unknown
  ToolOutcome outcome = ToolOutcome::Ok;
  bool awaiting_permission = false;
  /// Ended because its agent's turn ended, not by a result of its own: a
  /// result arriving later (hooks are separate processes) still counts.
  bool inferred = false;

 private:
  std::string text_;  ///< tool_use_id '\0' tool_name '\0' error
};

struct ToolTally {
  std::string name;
  std::uint32_t calls = 0, failed = 0, denied = 0, interrupted = 0;
  double total_ms = 0;  ///< over the calls whose duration is known
};

class ToolLog {
 public:
  static constexpr std::size_t kMaxToolNames = 64;

  /// A call began (PreToolUse). A repeated start of an id in flight changes nothing.
  void start(std::string_view tool_use_id, std::string_view tool_name, AgentSerial agent, EpochMs at,
             std::size_t max_calls);
  /// A call ended. duration_ms < 0: measured from its start when known.
  /// A result for a call never seen starting is kept as finished.
  void finish(std::string_view tool_use_id, std::string_view tool_name, AgentSerial agent, ToolOutcome outcome,
              std::string_view error, double duration_ms, EpochMs at, std::size_t max_calls);
  /// A permission request for `tool_name` in `agent`: its newest call in
  /// flight waits for the user. PermissionRequest carries no tool_use_id.
  void permission_requested(std::string_view tool_name, AgentSerial agent);
  /// The agent's turn ended: its calls still in flight end as interrupted,
  /// or denied when they waited for permission.
  void end_turn(AgentSerial agent, EpochMs at, std::size_t max_calls);
  /// Every call in flight ends (the session ended).
  void end_all(EpochMs at, std::size_t max_calls);
  void add_batch() { ++batches_; }
  /// Forgets everything (a new run under the same session id).
  void clear();

  bool awaiting_permission(AgentSerial agent) const;
  std::size_t in_flight_count() const { return in_flight_.size(); }
  std::uint64_t finished_count() const { return finished_; }
  std::uint64_t failed_count() const { return failed_; }

  /// {"in_flight", "finished", "failed"}: counts for the compact session.
  nlohmann::json counts_json() const;
  /// {"in_flight": [...oldest first], "recent": [...newest first],
  ///  "by_tool": {name: {calls, failed, denied, interrupted, total_ms}},
  ///  "batches", "dropped"}. `agent_id` names an agent serial (null = main).
  nlohmann::json to_json(const std::function<nlohmann::json(AgentSerial)>& agent_id) const;

 private:
  void retire(ToolCall call, std::size_t max_calls);
  ToolTally& tally(std::string_view name);
  void count(const ToolCall& call, int sign);
  std::deque<ToolCall>::iterator find_recent(std::string_view tool_use_id);

  std::vector<ToolCall> in_flight_;  ///< oldest first
  std::deque<ToolCall> recent_;      ///< finished, oldest first
  std::vector<ToolTally> by_tool_;
  std::uint64_t finished_ = 0, failed_ = 0, dropped_ = 0, batches_ = 0;
};

}  // namespace hookbroker::sessions
