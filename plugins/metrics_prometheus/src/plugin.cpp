// metrics_prometheus: GET /metrics in the Prometheus text format. Counts
// events by type as an event sink (acknowledging at once: it stores
// nothing), times each heartbeat tick, and exports the broker's counters,
// sessions by status and every number the heartbeat carries.
#include <memory>

#include "exposition.hpp"
#include "hookbroker/hookbroker.hpp"
#include "hookbroker/session_tracker.hpp"
#include "metrics_state.hpp"

namespace hookbroker::prometheus {

class MetricsPrometheusPlugin final : public Plugin, public EventSink, public HeartbeatContributor {
 public:
  MetricsPrometheusPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host), path_(config.at("path").get<std::string>()) {
    if (path_.empty() || path_.front() != '/')
      throw ConfigError("metrics_prometheus path \"" + path_ + "\" must start with '/', e.g. \"/metrics\"");
  }


  void start() override {
    if (!host_.add_http_route("GET", path_, [this](const HttpRequest& r, HttpReply reply) { scrape(r, reply); }))
      throw std::runtime_error("another plugin already serves GET " + path_ +
                               "; set plugins.metrics_prometheus.config.path to another path");
    host_.info("Prometheus metrics at GET " + path_);
  }

  void consume(std::shared_ptr<const nlohmann::json> event, std::function<void()> done) override {
    state_.count_event(*event);
    done();
  }

  /// Called when a tick starts asking its contributors: the start of the
  /// tick as this plugin can see it. Reports the previous tick's duration.
  nlohmann::json contribute() override {
    state_.tick_started(MetricsState::Clock::now());
    nlohmann::json own = {{"scrapes", scrapes_}};
    if (const auto last = state_.last_tick_seconds()) own["previous_tick_ms"] = *last * 1000.0;
    return {{"metrics_prometheus", std::move(own)}};
  }

  void on_heartbeat(const nlohmann::json& heartbeat) override {
    state_.heartbeat_seen(heartbeat, MetricsState::Clock::now());
  }

 private:
  void scrape(const HttpRequest&, const HttpReply& reply) {
    ++scrapes_;
    SessionTracker* tracker = host_.sessions();
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = render_metrics({state_, host_.counters(), host_.settings().version,
                             tracker ? tracker->list() : nlohmann::json(nullptr), scrapes_});
    reply(std::move(r));
  }

  HostApi& host_;
  const std::string path_;
  MetricsState state_;
  std::uint64_t scrapes_ = 0;
};

}  // namespace hookbroker::prometheus

HOOKBROKER_PLUGIN(hookbroker::prometheus::MetricsPrometheusPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "metrics_prometheus";
  info.version = "1.0.0";
  info.description = "GET /metrics in the Prometheus text format: events by type, clients, sessions, heartbeat timing";
  info.enabled_by_default = false;
  info.heartbeat_keys = "metrics_prometheus";
  info.options = {
      hookbroker::option("path", hookbroker::ConfigType::String, R"("/metrics")", "URL path of the metrics page"),
  };
  return info;
}())
