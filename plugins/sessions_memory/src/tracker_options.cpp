#include "tracker_options.hpp"

namespace hookbroker::sessions {

namespace {
constexpr double kThirtyDays = 30.0 * 24 * 3600;
}

std::vector<hookbroker_config_option> TrackerOptions::table() {
  return {
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
                    0, 10000000),
  };
}

TrackerOptions TrackerOptions::from_config(const nlohmann::json& config) {
  TrackerOptions o;
  o.limits.expire_after = std::chrono::duration<double>(config.at("expire_after_s").get<double>());
  o.limits.completed_grace = std::chrono::duration<double>(config.at("completed_grace_s").get<double>());
  o.limits.stale_after = std::chrono::duration<double>(config.at("stale_after_s").get<double>());
  o.limits.max_sessions = config.at("max_sessions").get<std::size_t>();
  o.limits.session.max_agents = config.at("max_agents").get<std::size_t>();
  o.limits.session.max_tool_calls = config.at("max_tool_calls").get<std::size_t>();
  o.limits.session.message_chars = config.at("last_message_max_chars").get<std::size_t>();
  o.limits.session.prompt_chars = config.at("last_prompt_max_chars").get<std::size_t>();
  o.heartbeat_max_sessions = config.at("heartbeat_max_sessions").get<std::size_t>();
  return o;
}

}  // namespace hookbroker::sessions
