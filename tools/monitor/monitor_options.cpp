#include "monitor_options.hpp"

#include <CLI/CLI.hpp>

#include "http_client/http_url.hpp"

namespace hookbroker::monitor {

void add_monitor_options(CLI::App& app, MonitorOptions& o) {
  app.add_option("--url", o.url,
                 "Broker to watch, http://HOST[:PORT] (default: the address the other tools use: HOOKBROKER_URL, "
                 "HOOKBROKER_HOST/_PORT or the config file, else http://127.0.0.1:8765)")
      ->type_name("URL");
  app.add_option("--token", o.token,
                 "Shared secret the broker requires (default: HOOKBROKER_TOKEN or the config file's token)")
      ->type_name("TOKEN");
  app.add_flag("--json", o.json,
               "Print each heartbeat as one raw JSON line (nothing else on stdout; diagnostics on stderr)");
  app.add_flag("--events", o.events, "Also print every claude_event and non-heartbeat system_event");
  app.add_flag("--once", o.once, "Exit 0 after the first heartbeat, or 1 if none arrives within --timeout");
  app.add_option("--timeout", o.timeout_seconds, "Seconds --once waits for a heartbeat")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  app.add_option("--socketio-path", o.socketio_path,
                 "The broker's Socket.IO path (plugins.transport_socketio.config.path)")
      ->capture_default_str();
}

std::string resolve_target(const MonitorOptions& options, broker_client::BrokerEndpoint endpoint, MonitorTarget& out) {
  if (!options.url.empty()) {
    if (const std::string error = broker_client::apply_broker_url(endpoint, options.url); !error.empty())
      return "--url " + options.url + " is not http://HOST[:PORT] (for example http://127.0.0.1:8765): it " + error;
  }
  std::string path = options.socketio_path;
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  if (path.back() != '/') path += '/';

  out.host = endpoint.host;
  out.port = endpoint.port;
  out.base_url = endpoint.base_url();
  out.ws_uri = "ws://" + http_client::authority(endpoint.host, endpoint.port) + endpoint.base_path + path + "?EIO=4&transport=websocket";
  out.token = options.token.empty() ? endpoint.token : options.token;
  return {};
}

}  // namespace hookbroker::monitor
