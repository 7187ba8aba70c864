// What one heartbeat says about each alert condition. The rules and the
// built-ins each turn the heartbeat (and the session list) into observations;
// the engine turns a run of observations into firing and resolving.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "alert_options.hpp"

namespace hookbroker::alerts {

struct Observation {
  std::string key;       ///< identity of the alert: rule name, or "permission_wait:<session>"
  std::string rule;      ///< rule or built-in name
  Severity severity = Severity::Warning;
  bool met = false;      ///< the condition holds on this heartbeat
  unsigned for_ticks = 1;
  nlohmann::json value;  ///< the observed value (null when unavailable)
  std::string message;   ///< for people
  nlohmann::json details = nlohmann::json::object();  ///< merged into the alert event's data
  std::string session_id;  ///< set for per-session alerts
};

/// One observation per configured rule, met or not.
std::vector<Observation> observe_rules(const std::vector<AlertRule>& rules, const nlohmann::json& data);

/// One met observation per plugin listed in data.plugin_errors.
std::vector<Observation> observe_contributor_errors(const nlohmann::json& data);

/// The no-clients built-in: met when data.connected_clients is 0.
Observation observe_no_clients(const nlohmann::json& data, unsigned for_ticks);

/// One met observation per session whose activity is "waiting_for_permission"
/// since longer than `limit_seconds` (measured from its last_activity).
std::vector<Observation> observe_permission_waits(const nlohmann::json& sessions, double limit_seconds,
                                                  std::chrono::system_clock::time_point now);

}  // namespace hookbroker::alerts
