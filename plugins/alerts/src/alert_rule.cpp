#include "alert_rule.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "hookbroker/config.hpp"

namespace hookbroker::alerts {
namespace {

constexpr std::array<std::pair<const char*, CompareOp>, 6> kOps{{{">", CompareOp::Greater},
                                                                 {">=", CompareOp::GreaterEqual},
                                                                 {"<", CompareOp::Less},
                                                                 {"<=", CompareOp::LessEqual},
                                                                 {"==", CompareOp::Equal},
                                                                 {"!=", CompareOp::NotEqual}}};

constexpr std::array<std::pair<const char*, Severity>, 3> kSeverities{
    {{"info", Severity::Info}, {"warning", Severity::Warning}, {"critical", Severity::Critical}}};

const char* const kKeys[] = {"name", "metric", "op", "value", "for_ticks", "severity", "message"};

}  // namespace

const char* to_string(Severity s) {
  for (const auto& [name, value] : kSeverities)
    if (value == s) return name;
  return "warning";
}

const char* to_string(CompareOp op) {
  for (const auto& [name, value] : kOps)
    if (value == op) return name;
  return ">";
}

bool compare(double left, CompareOp op, double right) {
  switch (op) {
    case CompareOp::Greater: return left > right;
    case CompareOp::GreaterEqual: return left >= right;
    case CompareOp::Less: return left < right;
    case CompareOp::LessEqual: return left <= right;
    case CompareOp::Equal: return left == right;
    case CompareOp::NotEqual: return left != right;
  }
  return false;
}

std::vector<std::string> split_metric_path(const std::string& dotted) {
  std::vector<std::string> path;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const std::size_t end = std::min(dotted.find('.', start), dotted.size());
    path.push_back(dotted.substr(start, end - start));
    start = end + 1;
  }
  return path;
}

std::optional<double> metric_value(const nlohmann::json& data, const std::vector<std::string>& path) {
  const nlohmann::json* node = &data;
  // Walked by hand rather than with a json_pointer, whose lookups throw on
  // a non-numeric array index: a rule must never throw at run time.
  for (const auto& token : path) {
    if (node->is_object()) {
      const auto it = node->find(token);
      if (it == node->end()) return std::nullopt;
      node = &*it;
    } else if (node->is_array()) {
      if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos || token.size() > 9)
        return std::nullopt;
      const std::size_t index = std::stoul(token);
      if (index >= node->size()) return std::nullopt;
      node = &(*node)[index];
    } else {
      return std::nullopt;
    }
  }
  if (node->is_number()) {
    const double v = node->get<double>();
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
  }
  if (node->is_boolean()) return node->get<bool>() ? 1.0 : 0.0;
  if (node->is_array() || node->is_object()) return static_cast<double>(node->size());
  return std::nullopt;
}

AlertRule parse_rule(const nlohmann::json& rule, std::size_t index) {
  std::string label = "alerts rule #" + std::to_string(index + 1);
  if (rule.is_object()) {
    if (const auto it = rule.find("name"); it != rule.end() && it->is_string())
      label += " (\"" + it->get<std::string>() + "\")";
  }
  auto fail = [&](const std::string& what) { throw ConfigError(label + ": " + what); };
  if (!rule.is_object())
    fail("must be an object like {\"metric\": \"system_metrics.cpu_percent\", \"op\": \">\", \"value\": 80}");
  for (auto it = rule.begin(); it != rule.end(); ++it) {
    bool known = false;
    for (const char* k : kKeys) known = known || it.key() == k;
    if (!known)
      fail("unknown key \"" + it.key() +
           "\"; a rule has name, metric, op, value, for_ticks, severity and message");
  }

  AlertRule r;
  const auto metric = rule.find("metric");
  if (metric == rule.end() || !metric->is_string() || metric->get<std::string>().empty())
    fail("\"metric\" is required: a dotted path into the heartbeat data, e.g. \"system_metrics.cpu_percent\"");
  r.metric = metric->get<std::string>();
  if (r.metric.front() == '.' || r.metric.back() == '.' || r.metric.find("..") != std::string::npos)
    fail("\"metric\" \"" + r.metric + "\" has an empty path segment; write it like \"clients.stale\"");
  r.path = split_metric_path(r.metric);

  const auto op = rule.find("op");
  if (op == rule.end() || !op->is_string()) fail("\"op\" is required: one of > >= < <= == !=");
  bool op_known = false;
  for (const auto& [name, value] : kOps)
    if (op->get<std::string>() == name) {
      r.op = value;
      op_known = true;
    }
  if (!op_known) fail("\"op\" \"" + op->get<std::string>() + "\" is not one of > >= < <= == !=");

  const auto value = rule.find("value");
  if (value == rule.end() || !value->is_number())
    fail("\"value\" is required and must be a number (the threshold)");
  r.threshold = value->get<double>();

  if (const auto it = rule.find("for_ticks"); it != rule.end()) {
    if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 100000)
      fail("\"for_ticks\" must be a whole number from 1 to 100000 (consecutive heartbeats)");
    r.for_ticks = it->get<unsigned>();
  }
  if (const auto it = rule.find("severity"); it != rule.end()) {
    bool known = false;
    for (const auto& [name, sev] : kSeverities)
      if (it->is_string() && it->get<std::string>() == name) {
        r.severity = sev;
        known = true;
      }
    if (!known) fail("\"severity\" must be \"info\", \"warning\" or \"critical\"");
  }
  if (const auto it = rule.find("message"); it != rule.end()) {
    if (!it->is_string()) fail("\"message\" must be a string");
    r.message = it->get<std::string>();
  }
  if (const auto it = rule.find("name"); it != rule.end()) {
    if (!it->is_string() || it->get<std::string>().empty() || it->get<std::string>().size() > 100)
      fail("\"name\" must be a non-empty string of at most 100 characters");
    r.name = it->get<std::string>();
  } else {
    r.name = r.metric + " " + to_string(r.op) + " " + value->dump();
  }
  return r;
}

}  // namespace hookbroker::alerts
