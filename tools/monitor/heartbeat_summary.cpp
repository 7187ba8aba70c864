#include "heartbeat_summary.hpp"

#include <optional>
#include <utility>
#include <vector>

namespace hookbroker::monitor {
namespace {

std::optional<std::int64_t> integer_of(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->is_number_float() ? static_cast<std::int64_t>(it->get<double>()) : it->get<std::int64_t>();
}

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

/// "engineer (running), qa x2": subagent types in order of delegation,
/// repeats of the same type and state folded into a count.
std::string subagents_of(const nlohmann::json& delegations) {
  if (!delegations.is_array()) return {};
  std::vector<std::pair<std::string, int>> folded;
  for (const auto& d : delegations) {
    std::string name = text_of(d, "agent_type", "?");
    if (text_of(d, "status") == "running") name += " (running)";
    if (!folded.empty() && folded.back().first == name)
      ++folded.back().second;
    else
      folded.emplace_back(std::move(name), 1);
  }
  std::string out;
  for (const auto& [name, count] : folded) {
    if (!out.empty()) out += ", ";
    out += name;
    if (count > 1) out += " x" + std::to_string(count);
  }
  return out;
}

/// Sessions in total: the tracker's summary counts all of them, the list
/// may be cut at heartbeat_max_sessions.
std::optional<std::int64_t> session_total(const nlohmann::json& data) {
  if (const auto it = data.find("sessions_summary"); it != data.end())
    if (const auto total = integer_of(*it, "total")) return total;
  if (const auto it = data.find("active_sessions"); it != data.end() && it->is_array())
    return static_cast<std::int64_t>(it->size());
  return std::nullopt;
}

}  // namespace

bool is_heartbeat(const nlohmann::json& payload) {
  return payload.is_object() && text_of(payload, "type") == "system" && text_of(payload, "event") == "heartbeat";
}

std::string format_session_line(const nlohmann::json& session, SystemTime now) {
  std::string line = "  " + padded(short_id(text_of(session, "session_id", "?")), 8) + "  " +
                     padded(text_of(session, "agent", "?"), 10) + "  " + padded(text_of(session, "status", "?"), 9) +
                     "  " + padded(text_of(session, "activity", "-"), 17);
  const auto delegations = session.is_object() ? session.find("delegations") : session.end();
  const std::string subagents = delegations != session.end() ? subagents_of(*delegations) : std::string();
  if (!subagents.empty()) line += "  subagents " + subagents;
  const auto last = session.is_object() ? session.find("last_activity") : session.end();
  if (last != session.end()) line += "  last activity " + format_age(*last, now);
  return line + "\n";
}

std::string format_cluster(const nlohmann::json& cluster, SystemTime now) {
  if (!cluster.is_object()) return "";
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const auto redis_it = cluster.find("redis");
  const nlohmann::json& redis = redis_it != cluster.end() && redis_it->is_object() ? *redis_it : kEmpty;
  const std::string self = text_of(cluster, "node_id", "?");
  std::string out = "  cluster: node " + self + ", redis " + text_of(redis, "state", "?");
  if (const auto it = redis.find("latency_ms"); it != redis.end() && it->is_number() && it->get<double>() >= 0) {
    char ms[32];
    std::snprintf(ms, sizeof ms, " %.1f ms", it->get<double>());
    out += ms;
  }
  if (const auto pending = integer_of(redis, "pending"); pending && *pending > 0)
    out += ", " + std::to_string(*pending) + " waiting";
  if (const auto dropped = integer_of(redis, "dropped"); dropped && *dropped > 0)
    out += ", " + std::to_string(*dropped) + " dropped";
  if (const std::string error = text_of(redis, "error"); !error.empty()) out += " (" + error + ")";
  out += "\n";
  if (const auto nodes = cluster.find("nodes"); nodes != cluster.end() && nodes->is_array())
    for (const auto& node : *nodes) {
      const std::string id = text_of(node, "node_id", "?");
      out += "    node " + padded(id + (id == self ? " (this)" : ""), 16) + "  " + padded(text_of(node, "state", "?"), 4);
      if (const auto port = integer_of(node, "port"))
        out += "  " + text_of(node, "host", "?") + ":" + std::to_string(*port);
      if (const auto clients = integer_of(node, "clients")) out += "  clients " + std::to_string(*clients);
      if (const auto events = integer_of(node, "events")) out += "  events " + std::to_string(*events);
      if (const auto seen = node.find("last_seen"); seen != node.end()) out += "  seen " + format_age(*seen, now);
      out += "\n";
    }
  return out;
}

std::string format_heartbeat(const nlohmann::json& heartbeat, SystemTime now) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const auto data_it = heartbeat.is_object() ? heartbeat.find("data") : heartbeat.end();
  const nlohmann::json& data = data_it != heartbeat.end() && data_it->is_object() ? *data_it : kEmpty;

  std::string out = clock_time_of(heartbeat.is_object() ? heartbeat.value("timestamp", nlohmann::json()) : nullptr, now);
  if (const auto up = integer_of(data, "uptime_seconds")) out += " up " + format_uptime(*up);
  if (const auto clients = integer_of(data, "connected_clients")) out += "  clients " + std::to_string(*clients);
  if (const auto events = integer_of(data, "total_events")) out += "  events " + std::to_string(*events);
  const auto total = session_total(data);
  if (total) out += "  sessions " + std::to_string(*total);
  out += "\n";

  std::int64_t listed = 0;
  if (const auto it = data.find("active_sessions"); it != data.end() && it->is_array()) {
    for (const auto& session : *it) out += format_session_line(session, now);
    listed = static_cast<std::int64_t>(it->size());
  }
  if (total && *total > listed)
    out += "  ... " + std::to_string(*total - listed) + " more session(s) not listed in the heartbeat\n";

  if (const auto it = data.find("cluster"); it != data.end()) out += format_cluster(*it, now);

  if (const auto it = data.find("plugin_errors"); it != data.end() && it->is_array())
    for (const auto& error : *it)
      out += "  plugin error: " + text_of(error, "plugin", "?") + ": " + text_of(error, "error", error.dump()) + "\n";
  return out;
}

}  // namespace hookbroker::monitor
