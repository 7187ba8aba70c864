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
  o.limits.expire_after = std::chrono::duration<double>(config.at("expire_after_s").get<double>());
  o.limits.completed_grace = std::chrono::duration<double>(config.at("completed_grace_s").get<double>());
  o.limits.max_sessions = config.at("max_sessions").get<std::size_t>();
  o.limits.max_delegations = config.at("max_delegations").get<std::size_t>();
  o.heartbeat_max_sessions = config.at("heartbeat_max_sessions").get<std::size_t>();
  return o;
}

}  // namespace hookbroker::sessions
