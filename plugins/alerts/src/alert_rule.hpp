// A user's threshold rule over the heartbeat, e.g.
//   {"name": "cpu_hot", "metric": "system_metrics.cpu_percent", "op": ">",
//    "value": 80, "for_ticks": 2, "severity": "warning"}
// checked completely at load time: a rule the plugin would misread is a
// configuration error naming the rule, never a silent no-op at run time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::alerts {

enum class Severity { Info, Warning, Critical };
const char* to_string(Severity s);

enum class CompareOp { Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual };
const char* to_string(CompareOp op);
bool compare(double left, CompareOp op, double right);

struct AlertRule {
  std::string name;
  std::string metric;               ///< dotted path into the heartbeat's data
  std::vector<std::string> path;    ///< the same path, split at the dots
  CompareOp op = CompareOp::Greater;
  double threshold = 0;
  unsigned for_ticks = 1;           ///< consecutive ticks the condition must hold
  Severity severity = Severity::Warning;
  std::string message;              ///< optional text for people; "" = generated
};

/// Parses rule number `index` of the `rules` option. Throws
/// hookbroker::ConfigError naming the rule and what to write instead.
AlertRule parse_rule(const nlohmann::json& rule, std::size_t index);

/// Reads a metric: numbers as they are, booleans as 1/0, arrays and objects
/// as their element count (so "plugin_errors" > 0 works). nullopt when the
/// path is missing or holds a string or null.
/// A segment of digits indexes an array ("active_sessions.0.event_count").
std::optional<double> metric_value(const nlohmann::json& data, const std::vector<std::string>& path);

/// "system_metrics.cpu_percent" -> {"system_metrics", "cpu_percent"}.
std::vector<std::string> split_metric_path(const std::string& dotted);

}  // namespace hookbroker::alerts
