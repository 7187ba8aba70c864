// otlp_claude: receives Claude Code's own OpenTelemetry (OTLP/HTTP JSON) on
// the broker's port and joins it with the sessions the hooks describe:
// tokens, dollars and API errors per session, model and agent
// (sessions_memory keeps them: SessionTracker::apply's `usage`), tool results
// the hooks missed. Cheap when idle: three routes and a heartbeat key.
#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "claude_telemetry.hpp"
#include "export_body.hpp"
#include "hookbroker/hookbroker.hpp"
#include "hookbroker/session_tracker.hpp"
#include "hookbroker/time.hpp"
#include "otlp_options.hpp"
#include "spend_counters.hpp"

namespace hookbroker::otlp {

class OtlpClaudePlugin final : public Plugin, public HeartbeatContributor {
 public:
  OtlpClaudePlugin(HostApi& host, const nlohmann::json& config)
      : host_(host), options_(OtlpOptions::from_config(config)), timer_(host.strand()) {}

  void start() override {
    add_route("/v1/logs", [this](const HttpRequest& r, HttpReply reply) { receive_logs(r, reply); });
    add_route("/v1/metrics", [this](const HttpRequest& r, HttpReply reply) { receive_metrics(r, reply); });
    if (options_.traces)
      add_route("/v1/traces", [this](const HttpRequest& r, HttpReply reply) { receive_traces(r, reply); });
    // What arrived, for `hookbroker doctor` (the heartbeat's `telemetry` key).
    host_.add_http_route("GET", "/api/telemetry", [this](const HttpRequest&, HttpReply reply) {
      reply(HttpResponse::json(200, contribute()));
    });
    if (!host_.sessions()) host_.warn("no session tracker is loaded: telemetry is answered but not kept");
  }

  void stop() override {
    stopped_ = true;
    timer_.cancel();
  }

  /// {"telemetry": {...}}: what arrived, so a user (and `hookbroker doctor`)
  /// can see whether Claude Code's exporter reaches the broker.
  nlohmann::json contribute() override {
    return {{"telemetry",
             {{"requests", {{"logs", requests_.logs}, {"metrics", requests_.metrics}, {"traces", requests_.traces}}},
              {"refused_requests", refused_requests_},
              {"records", records_},
              {"rejected_records", rejected_},
              {"ignored_records", ignored_},
              {"dropped_records", dropped_},
              {"spend", spend_.to_json()},
              {"last_received_at", last_received_at_.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(last_received_at_)}}}};
  }

 private:
  struct Requests {
    std::uint64_t logs = 0, metrics = 0, traces = 0;
  };

  void add_route(const char* path, HttpHandler handler) {
    // RouteBody::Any: a protobuf body gets the OTLP answer (415 naming
    // http/json) rather than the core's generic one.
    const HttpRoute route{"POST", path, RouteAccess::Token, RouteBody::Any};
    if (!host_.add_http_route_with_body_limit(route, options_.max_body_bytes, std::move(handler)))
      throw std::runtime_error(std::string("another plugin already serves POST ") + path +
                               "; disable otlp_claude or that plugin");
  }

  /// The parsed body, or false after answering the refusal.
  std::optional<nlohmann::json> body_of(const HttpRequest& request, const HttpReply& reply, const char* name) {
    ExportBody body = read_export_body(request, options_.max_body_bytes, name);
    if (!body.json) {
      ++refused_requests_;
      reply(std::move(body.refusal));
    }
    return std::move(body.json);
  }

  void receive_logs(const HttpRequest& request, const HttpReply& reply) {
    ++requests_.logs;
    const auto body = body_of(request, reply, "ExportLogsServiceRequest");
    if (!body) return;
    Decoded<LogRecord> decoded = decode_logs(*body, options_.limits);
    if (!decoded.ok()) return refuse(reply, decoded.error);
    Outcome outcome{decoded.rejected, decoded.rejection};
    for (const auto& record : decoded.records) take(translate_log(record), outcome);
    rejected_ += outcome.rejected;
    reply(export_answer(outcome.rejected, "rejectedLogRecords", outcome.reason));
  }

  void receive_metrics(const HttpRequest& request, const HttpReply& reply) {
    ++requests_.metrics;
    const auto body = body_of(request, reply, "ExportMetricsServiceRequest");
    if (!body) return;
    Decoded<MetricPoint> decoded = decode_metrics(*body, options_.limits);
    if (!decoded.ok()) return refuse(reply, decoded.error);
    Outcome outcome{decoded.rejected, decoded.rejection};
    ignored_ += decoded.ignored;
    for (const auto& point : decoded.records) take(translate_metric(point, deltas_), outcome);
    rejected_ += outcome.rejected;
    reply(export_answer(outcome.rejected, "rejectedDataPoints", outcome.reason));
  }

  /// Spans are not kept: Claude Code's traces are a beta, and its spend
  /// arrives as logs and metrics. Counted so a user sees they arrive.
  void receive_traces(const HttpRequest& request, const HttpReply& reply) {
    ++requests_.traces;
    const auto body = body_of(request, reply, "ExportTraceServiceRequest");
    if (!body) return;
    if (!body->is_object()) return refuse(reply, "the body must be an OTLP ExportTraceServiceRequest object");
    last_received_at_ = now_iso8601_utc();
    reply(HttpResponse::json(200, nlohmann::json::object()));
  }

  void refuse(const HttpReply& reply, const std::string& error) {
    ++refused_requests_;
    reply(HttpResponse::error(400, error));
  }

  struct Outcome {
    std::size_t rejected = 0;
    std::string reason;
  };

  void take(const Translation& t, Outcome& outcome) {
    last_received_at_ = now_iso8601_utc();
    switch (t.kind) {
      case Translation::Kind::Ignored:
        ++ignored_;
        return;
      case Translation::Kind::Rejected:
        ++outcome.rejected;
        if (outcome.reason.empty()) outcome.reason = t.reason;
        return;
      case Translation::Kind::Change:
        break;
    }
    SessionTracker* tracker = host_.sessions();
    if (!tracker || !tracker->apply(t.change)) {
      // No tracker, or telemetry for a new session while the tracker is
      // full: not the exporter's fault, and a retry would not help.
      ++dropped_;
      return;
    }
    ++records_;
    if (!t.change.contains("usage")) return;
    const std::string& id = t.change["session_id"].get_ref<const std::string&>();
    spend_.add(id, t.change["usage"]);
    mark_changed(id);
  }

  /// Usage updates go out at most once per interval per session, however
  /// many records arrive: the first change arms the timer, and every
  /// session changed until it fires gets one update then.
  void mark_changed(const std::string& session_id) {
    changed_.insert(session_id);
    if (timer_armed_ || stopped_) return;
    timer_armed_ = true;
    timer_.expires_after(options_.usage_broadcast_interval);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      timer_armed_ = false;
      if (!ec && !stopped_) broadcast_usage();
    });
  }

  void broadcast_usage() {
    SessionTracker* tracker = host_.sessions();
    std::set<std::string> changed;
    changed.swap(changed_);
    if (!tracker) return;
    for (const auto& id : changed) {
      const nlohmann::json session = tracker->find(id);
      if (!session.is_object() || !session.contains("usage") || session["usage"].is_null()) continue;
      nlohmann::json usage = session["usage"];
      usage.erase("by_agent");
      usage.erase("errors_by_status");
      Event e;
      e.type = "session";
      e.subtype = "usage";
      e.timestamp = now_iso8601_utc();
      e.session_id = id;
      e.source = "otlp";
      e.data = {{"session_id", id}, {"usage", std::move(usage)}};
      host_.publish(std::move(e));
    }
  }

  HostApi& host_;
  const OtlpOptions options_;
  CumulativeDeltas deltas_;
  SpendCounters spend_;
  boost::asio::steady_timer timer_;
  bool timer_armed_ = false;
  bool stopped_ = false;
  std::set<std::string> changed_;
  Requests requests_;
  std::uint64_t refused_requests_ = 0, records_ = 0, rejected_ = 0, ignored_ = 0, dropped_ = 0;
  std::string last_received_at_;
};

}  // namespace hookbroker::otlp

HOOKBROKER_PLUGIN(hookbroker::otlp::OtlpClaudePlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "otlp_claude";
  info.version = "1.0.0";
  info.description = "Claude Code's OpenTelemetry (OTLP/HTTP JSON at /v1/logs, /v1/metrics): tokens, cost and API "
                     "errors per session, model and agent";
  info.heartbeat_keys = "telemetry";
  info.options = hookbroker::otlp::OtlpOptions::table();
  return info;
}())
