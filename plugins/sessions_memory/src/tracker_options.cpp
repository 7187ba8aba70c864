#include "tracker_options.hpp"

namespace hookbroker::sessions {

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
