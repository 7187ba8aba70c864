#include "observations.hpp"

#include <cmath>
#include <ctime>
#include <optional>
#include <set>
#include <sstream>

namespace hookbroker::alerts {
namespace {

std::string format_number(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

/// The whole seconds of the ISO-8601 UTC timestamps the broker writes
/// ("2026-01-17T12:00:00.123Z"); the fraction does not matter for waits
/// measured in seconds.
std::optional<std::chrono::system_clock::time_point> parse_utc_seconds(const std::string& text) {
  std::tm tm{};
  const char* end = ::strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::vector<Observation> observe_rules(const std::vector<AlertRule>& rules, const nlohmann::json& data) {
  std::vector<Observation> out;
  out.reserve(rules.size());
  for (const auto& rule : rules) {
    Observation o;
    o.key = o.rule = rule.name;
    o.severity = rule.severity;
    o.for_ticks = rule.for_ticks;
    const std::optional<double> value = metric_value(data, rule.path);
    o.met = value && compare(*value, rule.op, rule.threshold);
    o.value = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    const std::string condition = rule.metric + " " + to_string(rule.op) + " " + format_number(rule.threshold);
    o.message = !rule.message.empty() ? rule.message
                : value              ? rule.metric + " is " + format_number(*value) + " (rule: " + condition + ")"
                                     : rule.metric + " is not in the heartbeat (rule: " + condition + ")";
    o.details = {{"metric", rule.metric}, {"op", to_string(rule.op)}, {"threshold", rule.threshold}};
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<Observation> observe_contributor_errors(const nlohmann::json& data) {
  std::vector<Observation> out;
  const auto errors = data.find("plugin_errors");
  if (errors == data.end() || !errors->is_array()) return out;
  std::set<std::string> seen;
  for (const auto& e : *errors) {
    if (!e.is_object()) continue;
    const std::string plugin = string_at(e, "plugin");
    if (plugin.empty()) continue;
    if (!seen.insert(plugin).second) continue;  // one alert per plugin, whatever its number of errors
    Observation o;
    o.key = "contributor_errors:" + plugin;
    o.rule = "contributor_errors";
    o.severity = Severity::Warning;
    o.met = true;
    o.value = e.value("error", "");
    o.message = "heartbeat contributor '" + plugin + "' failed: " + string_at(e, "error");
    o.details = {{"plugin", plugin}};
    out.push_back(std::move(o));
  }
  return out;
}

Observation observe_no_clients(const nlohmann::json& data, unsigned for_ticks) {
  Observation o;
  o.key = o.rule = "no_clients";
  o.severity = Severity::Info;
  o.for_ticks = for_ticks;
  const auto clients = data.find("connected_clients");
  o.value = clients != data.end() && clients->is_number() ? *clients : nlohmann::json(nullptr);
  o.met = o.value.is_number() && o.value.get<double>() == 0;
  o.message = "no client connected for " + std::to_string(for_ticks) + " heartbeats";
  return o;
}

std::vector<Observation> observe_permission_waits(const nlohmann::json& sessions, double limit_seconds,
                                                  std::chrono::system_clock::time_point now) {
  std::vector<Observation> out;
  if (!sessions.is_array()) return out;
  for (const auto& s : sessions) {
    if (!s.is_object() || string_at(s, "activity") != "waiting_for_permission") continue;
    const auto since = parse_utc_seconds(string_at(s, "last_activity"));
    if (!since) continue;
    const double waited = std::floor(std::chrono::duration<double>(now - *since).count());
    if (waited <= limit_seconds) continue;
    const std::string id = string_at(s, "session_id");
    Observation o;
    o.key = "permission_wait:" + id;
    o.rule = "permission_wait";
    o.severity = Severity::Warning;
    o.met = true;
    o.value = waited;
    o.session_id = id;
    o.message = "session " + id + " (" + string_at(s, "agent") + ") has waited " + format_number(waited) +
                " s for permission (limit " + format_number(limit_seconds) + " s)";
    o.details = {{"waiting_since", string_at(s, "last_activity")}, {"limit_seconds", limit_seconds}};
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace hookbroker::alerts
