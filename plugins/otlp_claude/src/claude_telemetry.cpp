#include "claude_telemetry.hpp"

#include <chrono>
#include <cmath>
#include <optional>
#include <string_view>

#include "hookbroker/session_tracker.hpp"

namespace hookbroker::otlp {
namespace {

/// Above any real figure, below where a double stops counting tokens exactly.
constexpr double kMaxCount = 1e15;
constexpr double kMaxDollars = 1e9;

/// A value quoted in a reason, cut short: reasons go back to the exporter.
std::string quoted(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.size() > 80 ? s.substr(0, 80) + "..." : s;
}

std::string_view short_name(std::string_view name) {
  constexpr std::string_view prefix = "claude_code.";
  return name.substr(0, prefix.size()) == prefix ? name.substr(prefix.size()) : name;
}

const nlohmann::json* find(const nlohmann::json& attributes, const char* key) {
  const auto it = attributes.find(key);
  return it == attributes.end() || it->is_null() ? nullptr : &*it;
}

std::string text(const nlohmann::json& attributes, const char* key) {
  const auto* v = find(attributes, key);
  if (!v) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
  return {};
}

/// A number as an exporter may send it: a number, or its text (a
/// stringValue holding a number).
std::optional<double> number(const nlohmann::json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty() || s.size() > 64) return std::nullopt;
    try {
      std::size_t used = 0;
      const double d = std::stod(s, &used);
      if (used == s.size()) return d;
    } catch (const std::exception&) {
    }
  }
  return std::nullopt;
}

/// Reads a count attribute into `out` (absent = 0); false with `reason` set
/// when it is there but not a whole number of at least 0.
bool read_count(const nlohmann::json& attributes, const char* key, std::uint64_t& out, std::string& reason) {
  const auto* v = find(attributes, key);
  if (!v) return true;
  const auto d = number(*v);
  if (!d || !std::isfinite(*d) || *d < 0 || *d > kMaxCount || std::floor(*d) != *d) {
    reason = std::string(key) + " must be a whole number of at least 0, got " + quoted(*v);
    return false;
  }
  out = static_cast<std::uint64_t>(*d);
  return true;
}

bool read_dollars(const nlohmann::json& attributes, const char* key, double& out, std::string& reason) {
  const auto* v = find(attributes, key);
  if (!v) return true;
  const auto d = number(*v);
  if (!d || !std::isfinite(*d) || *d < 0 || *d > kMaxDollars) {
    reason = std::string(key) + " must be a finite number of dollars of at least 0, got " +
             (d && !std::isfinite(*d) ? std::string(std::isnan(*d) ? "NaN" : "an infinity") : quoted(*v));
    return false;
  }
  out = *d;
  return true;
}

/// The session a record belongs to; "" with `reason` set when it names none
/// usable.
std::string session_of(const nlohmann::json& attributes, std::string& reason) {
  const auto* v = find(attributes, "session.id");
  if (!v || !v->is_string() || v->get_ref<const std::string&>().empty()) {
    reason = "no session.id attribute: hookbroker joins telemetry to sessions by it (leave "
             "OTEL_METRICS_INCLUDE_SESSION_ID at its default, true)";
    return {};
  }
  const auto& id = v->get_ref<const std::string&>();
  if (id.size() > kMaxSessionIdLength) {
    reason = "session.id is longer than " + std::to_string(kMaxSessionIdLength) + " bytes";
    return {};
  }
  return id;
}

/// Whose request it was: agent.name when Claude Code says it; a subagent's
/// type from query_source ("agent:builtin:general-purpose" -> "general-purpose");
/// otherwise the main thread.
std::string agent_of(const nlohmann::json& attributes) {
  std::string name = text(attributes, "agent.name");
  if (!name.empty()) return name;
  const std::string source = text(attributes, "query_source");
  if (source.rfind("agent:", 0) == 0) return source.substr(source.rfind(':') + 1);
  return "main";
}

Translation rejected(std::string reason) {
  Translation t;
  t.kind = Translation::Kind::Rejected;
  t.reason = std::move(reason);
  return t;
}

/// The tracker takes telemetry as of its arrival (SessionStore::apply_telemetry),
/// so the record's time is not sent.
Translation change(const std::string& session_id, const char* key, nlohmann::json value) {
  Translation t;
  t.kind = Translation::Kind::Change;
  t.change = {{"session_id", session_id}, {"origin", "telemetry"}, {key, std::move(value)}};
  return t;
}

Translation api_request(const LogRecord& r, const std::string& session_id) {
  const auto& a = r.attributes;
  std::string reason;
  std::uint64_t input = 0, output = 0, cache_read = 0, cache_creation = 0;
  double cost = 0;
  if (!read_count(a, "input_tokens", input, reason) || !read_count(a, "output_tokens", output, reason) ||
      !read_count(a, "cache_read_tokens", cache_read, reason) ||
      !read_count(a, "cache_creation_tokens", cache_creation, reason) || !read_dollars(a, "cost_usd", cost, reason))
    return rejected("api_request: " + reason);
  return change(session_id, "usage",
                {{"source", "logs"},
                 {"model", text(a, "model")},
                 {"agent", agent_of(a)},
                 {"input_tokens", input},
                 {"output_tokens", output},
                 {"cache_read_tokens", cache_read},
                 {"cache_creation_tokens", cache_creation},
                 {"cost_usd", cost},
                 {"api_requests", 1}});
}

Translation api_error(const LogRecord& r, const std::string& session_id) {
  const auto& a = r.attributes;
  std::string status = text(a, "status_code");
  if (status.empty() || status.size() > 16) status = "unknown";
  return change(session_id, "usage",
                {{"source", "logs"},
                 {"model", text(a, "model")},
                 {"agent", agent_of(a)},
                 {"api_errors", 1},
                 {"status_code", status}});
}

Translation tool_result(const LogRecord& r, const std::string& session_id) {
  const auto& a = r.attributes;
  const std::string id = text(a, "tool_use_id");
  if (id.empty()) return {};  // cannot be paired with a call: by name it could finish the wrong one
  const auto* success = find(a, "success");
  const bool ok = !success || (success->is_boolean() ? success->get<bool>() : text(a, "success") != "false");
  nlohmann::json tool = {{"phase", "end"},
                         {"tool_use_id", id},
                         {"tool_name", text(a, "tool_name")},
                         {"outcome", ok ? "ok" : "failed"}};
  if (const auto* d = find(a, "duration_ms"))
    if (const auto ms = number(*d); ms && std::isfinite(*ms) && *ms >= 0) tool["duration_ms"] = *ms;
  if (!ok) tool["error"] = text(a, "error");
  return change(session_id, "tool", std::move(tool));
}

}  // namespace

Translation translate_log(const LogRecord& record) {
  const std::string_view name = short_name(record.event_name);
  if (name != "api_request" && name != "api_error" && name != "tool_result") return {};
  std::string reason;
  const std::string session_id = session_of(record.attributes, reason);
  if (session_id.empty()) return rejected(std::string(name) + ": " + reason);
  if (name == "api_request") return api_request(record, session_id);
  if (name == "api_error") return api_error(record, session_id);
  return tool_result(record, session_id);
}

double CumulativeDeltas::delta(const MetricPoint& point) {
  if (point.temporality != Temporality::Cumulative) return point.value;
  std::string key = point.name;
  key += '\n';
  key += point.attributes.dump();
  key += '\n';
  key += std::to_string(point.start_unix_nano);
  const auto it = last_.find(key);
  if (it == last_.end()) {
    if (last_.size() >= max_series_ && !order_.empty()) {
      last_.erase(order_.front());
      order_.pop_front();
    }
    last_.emplace(key, point.value);
    order_.push_back(std::move(key));
    return point.value;
  }
  const double grown = point.value >= it->second ? point.value - it->second : point.value;
  it->second = point.value;
  return grown;
}

Translation translate_metric(const MetricPoint& point, CumulativeDeltas& deltas) {
  const std::string_view name = short_name(point.name);
  const bool cost = name == "cost.usage";
  if (!cost && name != "token.usage") return {};
  if (!point.is_sum) return {};
  std::string reason;
  const std::string session_id = session_of(point.attributes, reason);
  if (session_id.empty()) return rejected(point.name + ": " + reason);
  if (!std::isfinite(point.value) || point.value < 0 || point.value > (cost ? kMaxDollars : kMaxCount))
    return rejected(point.name + ": a value must be finite and at least 0");
  nlohmann::json usage = {{"source", "metrics"}, {"model", text(point.attributes, "model")},
                          {"agent", agent_of(point.attributes)}};
  const double grown = deltas.delta(point);
  if (cost) {
    usage["cost_usd"] = grown;
  } else {
    const std::string type = text(point.attributes, "type");
    const char* field = type == "input"           ? "input_tokens"
                        : type == "output"        ? "output_tokens"
                        : type == "cacheRead"     ? "cache_read_tokens"
                        : type == "cacheCreation" ? "cache_creation_tokens"
                                                  : nullptr;
    if (!field) return rejected(point.name + ": type must be input, output, cacheRead or cacheCreation, got \"" + type + "\"");
    usage[field] = static_cast<std::uint64_t>(std::llround(grown));
  }
  return change(session_id, "usage", std::move(usage));
}

}  // namespace hookbroker::otlp
