#include "tracker_options.hpp"

namespace hookbroker::sessions {

namespace {
constexpr double kThirtyDays = 30.0 * 24 * 3600;
}

std::vector<hookbroker_config_option> TrackerOptions::table() {
  return {
      ranged_option("expire_after", ConfigType::Number, "3600",
                    "Seconds without activity after which a session is removed (from last_activity)",
                    0.05, kThirtyDays),
      ranged_option("completed_grace", ConfigType::Number, "300",
                    "Seconds a completed session stays listed so dashboards see the end", 0,
                    kThirtyDays),
      ranged_option("max_sessions", ConfigType::Int, "10000",
                    "Most sessions kept; beyond it the least recently active is evicted (logged)", 1,
                    10000000),
      ranged_option("max_delegations", ConfigType::Int, "32",
                    "Most delegations kept per session; the oldest completed ones go first", 1,
                    100000),
      ranged_option("heartbeat_max_sessions", ConfigType::Int, "100",
                    "Sessions listed in the heartbeat's active_sessions, newest first (0 = all); "
                    "sessions_summary always counts them all",
                    0, 10000000),
  };
}

TrackerOptions TrackerOptions::from_config(const nlohmann::json& config) {
  TrackerOptions o;
  if (!config.is_object()) return o;
  o.limits.expire_after = std::chrono::duration<double>(config.value("expire_after", 3600.0));
  o.limits.completed_grace = std::chrono::duration<double>(config.value("completed_grace", 300.0));
  o.limits.max_sessions = config.value("max_sessions", std::size_t{10000});
  o.limits.max_delegations = config.value("max_delegations", std::size_t{32});
  o.heartbeat_max_sessions = config.value("heartbeat_max_sessions", std::size_t{100});
  return o;
}

}  // namespace hookbroker::sessions
