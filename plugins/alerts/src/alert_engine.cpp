#include "alert_engine.hpp"

#include <set>

#include "hookbroker/time.hpp"

namespace hookbroker::alerts {

nlohmann::json Transition::to_json() const {
  nlohmann::json data = observation.details;
  data["alert"] = observation.key;
  data["rule"] = observation.rule;
  data["state"] = state == State::Firing ? "firing" : "resolved";
  data["severity"] = to_string(observation.severity);
  data["message"] = observation.message;
  data["value"] = observation.value;
  data["since"] = since;
  data["at"] = at;
  if (!observation.session_id.empty()) data["session_id"] = observation.session_id;
  return data;
}

std::vector<Transition> AlertEngine::evaluate(std::vector<Observation> observations, Clock::time_point now) {
  const std::string at = iso8601_utc(now);
  evaluated_at_ = at;
  ++evaluations_;
  std::vector<Transition> fired, resolved;
  std::set<std::string> seen;
  for (auto& o : observations) {
    seen.insert(o.key);
    State& s = states_[o.key];
    if (o.met) {
      ++s.consecutive;
      s.latest = std::move(o);
      if (!s.firing && s.consecutive >= s.latest.for_ticks) {
        s.firing = true;
        s.since = at;
        fired.push_back({Transition::State::Firing, s.latest, s.since, at});
      }
    } else {
      s.consecutive = 0;
      if (s.firing) {
        s.latest = std::move(o);
        s.firing = false;
        resolved.push_back({Transition::State::Resolved, s.latest, s.since, at});
      }
    }
  }
  for (auto it = states_.begin(); it != states_.end();) {
    State& s = it->second;
    if (!seen.count(it->first)) {
      // Not observed this time (the plugin stopped failing, the session
      // moved on or ended): the condition no longer holds.
      s.consecutive = 0;
      if (s.firing) {
        s.firing = false;
        s.latest.met = false;
        resolved.push_back({Transition::State::Resolved, s.latest, s.since, at});
      }
    }
    // Keep memory to what matters: alerts firing or on their way to firing.
    it = s.firing || s.consecutive > 0 ? std::next(it) : states_.erase(it);
  }
  fired.insert(fired.end(), std::make_move_iterator(resolved.begin()), std::make_move_iterator(resolved.end()));
  return fired;
}

nlohmann::json AlertEngine::snapshot() const {
  nlohmann::json firing = nlohmann::json::array();
  std::size_t pending = 0;
  for (const auto& [key, s] : states_) {
    if (!s.firing) {
      ++pending;
      continue;
    }
    nlohmann::json entry = {{"alert", key},
                            {"rule", s.latest.rule},
                            {"severity", to_string(s.latest.severity)},
                            {"message", s.latest.message},
                            {"value", s.latest.value},
                            {"since", s.since}};
    if (!s.latest.session_id.empty()) entry["session_id"] = s.latest.session_id;
    firing.push_back(std::move(entry));
  }
  return {{"firing_count", firing.size()},
          {"firing", std::move(firing)},
          {"pending", pending},
          {"evaluations", evaluations_},
          {"evaluated_at", evaluated_at_.empty() ? nlohmann::json(nullptr) : nlohmann::json(evaluated_at_)}};
}

}  // namespace hookbroker::alerts
