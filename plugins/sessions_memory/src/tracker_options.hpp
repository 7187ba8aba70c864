// sessions_memory's configuration: the option table the core validates and
// documents (--describe-plugin sessions_memory), and its parsed form.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/config.hpp"
#include "session_store.hpp"

namespace hookbroker::sessions {

struct TrackerOptions {
  StoreLimits limits;
  /// Sessions listed in the heartbeat's active_sessions (newest first);
  /// 0 lists all. The rest are only counted in sessions_summary.
  std::size_t heartbeat_max_sessions = 0;

  /// Reads a complete config object: the core filled in the table's defaults,
  /// their one home (tests: hookbroker::with_defaults(table(), ...)).
  static TrackerOptions from_config(const nlohmann::json& config);
  /// The option table, a constant for the manifest (config.hpp).
  static constexpr auto table() {
    constexpr double kThirtyDays = 30.0 * 24 * 3600;
    return hookbroker::config_table(
        renamed(ranged_option("expire_after_s", ConfigType::Number, "3600",
                              "Seconds without activity after which a session is removed (from last_activity)",
                              0.05, kThirtyDays),
                "expire_after"),
        renamed(ranged_option("completed_grace_s", ConfigType::Number, "300",
                              "Seconds a completed session stays listed so dashboards see the end", 0, kThirtyDays),
                "completed_grace"),
        ranged_option("stale_after_s", ConfigType::Number, "600",
                      "Seconds a session may show \"working\" with no event before it is marked stale "
                      "(Claude Code sends no hook when the user interrupts with Esc)",
                      0.05, kThirtyDays),
        ranged_option("max_sessions", ConfigType::Int, "10000",
                      "Most sessions kept; beyond it the least recently active is evicted (logged)", 1,
                      10000000),
        renamed(ranged_option("max_agents", ConfigType::Int, "32",
                              "Most subagents kept per session; the oldest finished ones go first", 1, 100000),
                "max_delegations"),
        ranged_option("max_tool_calls", ConfigType::Int, "200",
                      "Finished tool calls kept per session (the oldest go first), and most calls in flight", 1,
                      100000),
        ranged_option("last_message_max_chars", ConfigType::Int, "500",
                      "Characters kept of each agent's last assistant message (0 = none)", 0, 1000000),
        ranged_option("last_prompt_max_chars", ConfigType::Int, "200",
                      "Characters kept of a session's last prompt (0 = none; hooks_claude's redact_prompts "
                      "keeps prompts from reaching the tracker at all)",
                      0, 1000000),
        ranged_option("heartbeat_max_sessions", ConfigType::Int, "100",
                      "Sessions listed in the heartbeat's active_sessions, newest first (0 = all); "
                      "sessions_summary always counts them all",
                      0, 10000000));
  }
};

}  // namespace hookbroker::sessions
