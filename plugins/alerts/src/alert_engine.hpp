// Turns each heartbeat's observations into alert transitions: an alert fires
// once its condition has held for `for_ticks` consecutive heartbeats, and
// resolves on the first heartbeat where it no longer holds (or is no longer
// observed at all, e.g. the session ended). Each transition is reported once;
// an alert that stays firing is not reported again.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "observations.hpp"

namespace hookbroker::alerts {

struct Transition {
  enum class State { Firing, Resolved };
  State state;
  Observation observation;  ///< the latest one for this alert
  std::string since;        ///< when it started firing (ISO-8601)
  std::string at;           ///< when this transition happened (ISO-8601)

  /// The alert event's `data`: {alert, rule, state, severity, message,
  /// value, since, at, session_id?, ...details}.
  nlohmann::json to_json() const;
};

class AlertEngine {
 public:
  using Clock = std::chrono::system_clock;

  /// Applies one heartbeat's observations; returns the transitions, firing ones first.
  std::vector<Transition> evaluate(std::vector<Observation> observations, Clock::time_point now);

  /// The heartbeat's `alerts` object: what is firing after the last evaluation.
  nlohmann::json snapshot() const;

 private:
  struct State {
    Observation latest;
    unsigned consecutive = 0;
    bool firing = false;
    std::string since;
  };
  std::map<std::string, State> states_;
  std::string evaluated_at_;
  std::size_t evaluations_ = 0;
};

}  // namespace hookbroker::alerts
