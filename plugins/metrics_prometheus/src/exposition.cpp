#include "exposition.hpp"

#include <map>
#include <optional>

#include "prom_writer.hpp"

namespace hookbroker::prometheus {
namespace {

std::optional<double> number_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

/// Every number (and boolean) in nested objects, by dotted path. Arrays are
/// left out: their elements (sessions, clients) have no stable identity.
void numeric_leaves(const nlohmann::json& node, const std::string& prefix,
                    std::vector<std::pair<std::string, double>>& out) {
  for (auto it = node.begin(); it != node.end() && out.size() < kMaxHeartbeatPaths; ++it) {
    const std::string path = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it->is_object()) numeric_leaves(*it, path, out);
    else if (it->is_number()) out.emplace_back(path, it->get<double>());
    else if (it->is_boolean()) out.emplace_back(path, it->get<bool>() ? 1.0 : 0.0);
  }
}

void core_metrics(PromWriter& w, const ScrapeInputs& in) {
  w.family("hookbroker_build_info", "gauge", "Always 1; the broker's version as a label");
  w.sample("hookbroker_build_info", {{"version", in.version}}, 1);
  w.family("hookbroker_uptime_seconds", "gauge", "Seconds since the broker started");
  w.sample("hookbroker_uptime_seconds", in.counters.uptime_seconds);
  w.family("hookbroker_events_total", "counter", "Events accepted since the broker started");
  w.sample("hookbroker_events_total", static_cast<double>(in.counters.total_events));
  w.family("hookbroker_connected_clients", "gauge", "Clients connected to the transports");
  w.sample("hookbroker_connected_clients", static_cast<double>(in.counters.connected_clients));
}

void event_metrics(PromWriter& w, const MetricsState& s) {
  w.family("hookbroker_events_by_type_total", "counter",
           "Events accepted since this plugin started, by type and subtype");
  for (const auto& [kind, count] : s.events_by_kind())
    w.sample("hookbroker_events_by_type_total", {{"type", kind.first}, {"subtype", kind.second}},
             static_cast<double>(count));
}

void session_metrics(PromWriter& w, const nlohmann::json& sessions) {
  if (!sessions.is_array()) return;  // no tracker loaded
  std::map<std::string, double> by_status = {{"active", 0}, {"delegated", 0}, {"completed", 0}};
  for (const auto& session : sessions)
    if (session.is_object() && session.contains("status") && session["status"].is_string())
      ++by_status[session["status"].get<std::string>()];
  w.family("hookbroker_sessions", "gauge", "Sessions the tracker lists, by status");
  for (const auto& [status, count] : by_status) w.sample("hookbroker_sessions", {{"status", status}}, count);
}

void heartbeat_metrics(PromWriter& w, const MetricsState& s) {
  w.family("hookbroker_heartbeats_total", "counter", "Heartbeats sent since this plugin started");
  w.sample("hookbroker_heartbeats_total", static_cast<double>(s.heartbeats()));

  const Histogram& h = s.tick_seconds();
  w.family("hookbroker_heartbeat_tick_duration_seconds", "histogram",
           "Time from a heartbeat tick asking its contributors to the heartbeat having been sent");
  const auto cumulative = h.cumulative();
  for (std::size_t i = 0; i < h.upper_bounds().size(); ++i)
    w.sample("hookbroker_heartbeat_tick_duration_seconds_bucket",
             {{"le", PromWriter::format_value(h.upper_bounds()[i])}}, static_cast<double>(cumulative[i]));
  w.sample("hookbroker_heartbeat_tick_duration_seconds_bucket", {{"le", "+Inf"}},
           static_cast<double>(cumulative.back()));
  w.sample("hookbroker_heartbeat_tick_duration_seconds_sum", h.sum());
  w.sample("hookbroker_heartbeat_tick_duration_seconds_count", static_cast<double>(h.count()));

  w.family("hookbroker_heartbeat_contributor_errors_total", "counter",
           "Heartbeat contributions that failed (threw, missed the deadline), by plugin");
  for (const auto& [plugin, count] : s.contributor_errors())
    w.sample("hookbroker_heartbeat_contributor_errors_total", {{"plugin", plugin}}, static_cast<double>(count));
}

/// Numbers other plugins report in the heartbeat, under conventional names:
/// any plugin key holding "dropped_slow_clients" or "http_requests", and
/// spool_replay's counters.
void reported_metrics(PromWriter& w, const nlohmann::json& data) {
  std::vector<std::pair<std::string, double>> dropped;
  std::vector<std::pair<Labels, double>> requests;
  for (auto it = data.begin(); it != data.end(); ++it) {
    if (!it->is_object()) continue;
    if (const auto n = number_at(*it, "dropped_slow_clients")) dropped.emplace_back(it.key(), *n);
    const auto http = it->find("http_requests");
    if (http == it->end() || !http->is_array()) continue;
    for (const auto& r : *http) {
      if (!r.is_object() || !number_at(r, "count")) continue;
      const auto code = r.find("code");
      const std::string code_text = code == r.end()           ? ""
                                    : code->is_number_integer() ? std::to_string(code->get<long long>())
                                    : code->is_string()         ? code->get<std::string>()
                                                                : "";
      requests.push_back({{{"plugin", it.key()},
                           {"method", r.value("method", "")},
                           {"route", r.value("route", "")},
                           {"code", code_text}},
                          *number_at(r, "count")});
    }
  }
  if (!dropped.empty()) {
    w.family("hookbroker_dropped_slow_clients_total", "counter",
             "Clients disconnected because they read too slowly, by transport");
    for (const auto& [plugin, n] : dropped) w.sample("hookbroker_dropped_slow_clients_total", {{"plugin", plugin}}, n);
  }
  if (!requests.empty()) {
    w.family("hookbroker_http_requests_total", "counter", "HTTP requests served, by transport, route and status");
    for (const auto& [labels, n] : requests) w.sample("hookbroker_http_requests_total", labels, n);
  }
  const auto spool = data.find("spool_replay");
  if (spool != data.end() && spool->is_object()) {
    if (const auto n = number_at(*spool, "replayed")) {
      w.family("hookbroker_spool_replayed_total", "counter", "Spooled events replayed into the broker");
      w.sample("hookbroker_spool_replayed_total", *n);
    }
    if (const auto n = number_at(*spool, "pending_bytes")) {
      w.family("hookbroker_spool_pending_bytes", "gauge", "Bytes of spooled events waiting to be replayed");
      w.sample("hookbroker_spool_pending_bytes", *n);
    }
  }
}

}  // namespace

/// The spend otlp_claude reports (heartbeat key `telemetry`, `spend`):
/// counters since it started, by token type and model.
void spend_metrics(PromWriter& w, const nlohmann::json& data) {
  const auto telemetry = data.find("telemetry");
  if (telemetry == data.end() || !telemetry->is_object()) return;
  const auto spend = telemetry->find("spend");
  if (spend == telemetry->end() || !spend->is_object()) return;
  if (const auto cost = number_at(*spend, "cost_usd")) {
    w.family("hookbroker_cost_usd_total", "counter",
             "Dollars Claude Code reported spending (its own estimate), since the broker started");
    w.sample("hookbroker_cost_usd_total", *cost);
  }
  const auto tokens = spend->find("tokens");
  if (tokens == spend->end() || !tokens->is_array()) return;
  w.family("hookbroker_tokens_total", "counter", "Tokens Claude Code reported, by type and model");
  for (const auto& t : *tokens)
    if (const auto n = t.is_object() ? number_at(t, "count") : std::nullopt)
      w.sample("hookbroker_tokens_total", {{"type", t.value("type", "")}, {"model", t.value("model", "")}}, *n);
}

std::string render_metrics(const ScrapeInputs& in) {
  PromWriter w;
  core_metrics(w, in);
  event_metrics(w, in.state);
  session_metrics(w, in.sessions);
  heartbeat_metrics(w, in.state);
  reported_metrics(w, in.state.last_data());
  spend_metrics(w, in.state.last_data());

  std::vector<std::pair<std::string, double>> leaves;
  numeric_leaves(in.state.last_data(), "", leaves);
  w.family("hookbroker_heartbeat_value", "gauge",
           "Every number in the last heartbeat's data (plugins' keys included), by dotted path");
  for (const auto& [path, value] : leaves) w.sample("hookbroker_heartbeat_value", {{"path", path}}, value);

  w.family("hookbroker_metrics_scrapes_total", "counter", "Requests for this page, this one included");
  w.sample("hookbroker_metrics_scrapes_total", static_cast<double>(in.scrapes));
  return w.text();
}

}  // namespace hookbroker::prometheus
