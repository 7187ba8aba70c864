// alerts: evaluates threshold rules and built-in health checks on every
// heartbeat. Each firing and each resolution is published once as a
// system_event {type: "system", event: "alert", ...}, logged at WARN, POSTed
// to the configured webhooks, and what is firing shows under `alerts` in the
// next heartbeat.
//
// Evaluation runs in on_heartbeat, after the heartbeat went out, on this
// plugin's strand: it never lengthens a tick. So `alerts` in heartbeat N
// shows the state as of heartbeat N-1.
#include "alert_engine.hpp"
#include "alert_options.hpp"
#include "hookbroker/hookbroker.hpp"
#include "hookbroker/time.hpp"
#include "observations.hpp"
#include "webhook_sender.hpp"

namespace hookbroker::alerts {

class AlertsPlugin final : public Plugin, public HeartbeatContributor {
 public:
  AlertsPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host),
        options_(AlertOptions::from_config(config)),
        sender_(host.strand(), options_.webhooks, "hookbroker/" + host.settings().version + " alerts",
                [h = &host](LogLevel level, const std::string& line) { h->log(level, line); }) {}


  void start() override {
    std::string builtins;
    if (options_.contributor_errors) builtins += " contributor_errors";
    if (options_.no_clients_ticks) builtins += " no_clients";
    if (options_.permission_wait_seconds > 0) builtins += " permission_wait";
    host_.info(std::to_string(options_.rules.size()) + " rule(s), built-ins:" + (builtins.empty() ? " none" : builtins) +
               ", " + std::to_string(options_.webhooks.urls.size()) + " webhook(s)");
  }

  void stop() override {
    stopped_ = true;
    sender_.stop();
  }

  nlohmann::json contribute() override {
    nlohmann::json alerts = engine_.snapshot();
    alerts["rules"] = options_.rules.size();
    alerts["webhooks"] = sender_.stats();
    return {{"alerts", std::move(alerts)}};
  }

  void on_heartbeat(const nlohmann::json& heartbeat) override {
    if (stopped_) return;
    const auto data_it = heartbeat.find("data");
    if (data_it == heartbeat.end() || !data_it->is_object()) return;
    const nlohmann::json& data = *data_it;
    const auto now = AlertEngine::Clock::now();

    std::vector<Observation> observations = observe_rules(options_.rules, data);
    if (options_.contributor_errors) {
      auto errors = observe_contributor_errors(data);
      observations.insert(observations.end(), errors.begin(), errors.end());
    }
    if (options_.no_clients_ticks > 0) observations.push_back(observe_no_clients(data, options_.no_clients_ticks));
    if (options_.permission_wait_seconds > 0 && some_session_waits(data)) {
      // The tracker's full list; the heartbeat's may be capped.
      SessionTracker* tracker = host_.sessions();
      const nlohmann::json sessions = tracker ? tracker->list() : data.value("active_sessions", nlohmann::json::array());
      auto waits = observe_permission_waits(sessions, options_.permission_wait_seconds, now);
      observations.insert(observations.end(), waits.begin(), waits.end());
    }

    for (const Transition& t : engine_.evaluate(std::move(observations), now)) announce(t);
  }

 private:
  /// Listing every session costs a JSON object each; the summary's counts
  /// say whether any is waiting at all (or firing alerts need resolving).
  bool some_session_waits(const nlohmann::json& data) const {
    const auto summary = data.find("sessions_summary");
    if (summary == data.end() || !summary->is_object()) return true;  // no summary: look
    const auto waiting = summary->value("by_activity", nlohmann::json::object()).value("waiting_for_permission", 0);
    return waiting > 0 || engine_.snapshot()["firing_count"] > 0;
  }

  void announce(const Transition& t) {
    const bool firing = t.state == Transition::State::Firing;
    host_.warn("alert " + t.observation.key + (firing ? " firing (" : " resolved (") +
               to_string(t.observation.severity) + "): " + t.observation.message);
    Event event;
    event.type = "system";
    event.subtype = "alert";
    event.timestamp = t.at;
    event.session_id = t.observation.session_id;
    event.source = "alerts";
    event.channel = kSystemChannel;
    event.data = t.to_json();
    // Clients match system events on `event`, as they do for "heartbeat".
    event.extra = {{"event", "alert"}};
    if (!options_.webhooks.urls.empty()) sender_.send(event.to_json().dump());
    host_.publish(std::move(event));
  }

  HostApi& host_;
  const AlertOptions options_;
  AlertEngine engine_;
  WebhookSender sender_;
  bool stopped_ = false;
};

}  // namespace hookbroker::alerts

HOOKBROKER_PLUGIN(hookbroker::alerts::AlertsPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "alerts";
  info.version = "1.0.0";
  info.description = "Threshold rules and built-in health alerts over the heartbeat; system_event alerts and webhooks";
  info.enabled_by_default = false;
  info.heartbeat_keys = "alerts";
  info.options = hookbroker::alerts::AlertOptions::table();
  return info;
}())
