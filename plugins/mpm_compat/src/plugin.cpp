// mpm_compat: claude-mpm's Svelte dashboard, unchanged, on hookbroker. Off by
// default (`--set plugins.mpm_compat.enabled=true`). claude-mpm's hook
// events need nothing of it: hooks_claude reads them in any case.
//
// With it on, a Socket.IO client also gets `event_history` on connect (the
// transport's connect-time history, as claude-mpm shapes it), heartbeats
// arrive on `heartbeat` instead of `system_event`, hook tool events carry
// claude-mpm's `correlation_id` and `data.tool_parameters`, GET /health
// answers as claude-mpm's monitor, and the dashboard's file and git routes
// answer, below the known sessions' working directories only.
#include "dashboard_shape.hpp"
#include "hookbroker/hookbroker.hpp"
#include "mpm_routes.hpp"

namespace hookbroker::mpm {

class MpmCompatPlugin final : public Plugin {
 public:
  MpmCompatPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host), routes_(host, Options::from_config(config)) {}

  void start() override {
    routes_.add();
    // Pure functions: they run on the transport's and the core's threads.
    host_.add_client_greeting([](const ClientInfo&, const nlohmann::json& history) {
      return std::vector<ClientMessage>{{kEventHistoryChannel, event_history_payload(history)}};
    });
    host_.add_broadcast_filter(&shape_broadcast);
    host_.add_status_filter(&shape_status);
    host_.info("serving claude-mpm's dashboard: event_history on connect, heartbeats on `heartbeat`, "
               "correlation_id and tool_parameters on tool events, /health as claude-mpm-monitor, file routes "
               "below the sessions' working directories");
  }

 private:
  HostApi& host_;
  MpmRoutes routes_;
};

}  // namespace hookbroker::mpm

HOOKBROKER_PLUGIN(hookbroker::mpm::MpmCompatPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "mpm_compat";
  info.version = "1.0.0";
  info.description =
      "claude-mpm's dashboard unchanged: event_history, `heartbeat` events, correlation_id/tool_parameters, "
      "its /health and file routes (below the sessions' working directories)";
  info.enabled_by_default = false;
  info.options = hookbroker::mpm::Options::table();
  return info;
}())
