// What `hookbroker monitor` was asked to do, and where to find the broker.
#pragma once

#include <cstdint>
#include <string>

#include "broker_client/broker_endpoint.hpp"

namespace CLI {
class App;
}

namespace hookbroker::monitor {

/// Default for --once's wait: a bit more than the broker's default 60 s
/// heartbeat interval, so a default broker always makes it in time.
inline constexpr double kDefaultOnceTimeoutSeconds = 70;

struct MonitorOptions {
  std::string url;          ///< --url; "" = the tools' usual resolution (config file, HOOKBROKER_*)
  std::string token;        ///< --token; "" = the configured token, if any
  std::string socketio_path = "/socket.io/";
  bool json = false;        ///< raw JSON lines instead of summaries
  bool events = false;      ///< also print claude_event / non-heartbeat system_event
  bool once = false;        ///< exit after the first heartbeat
  double timeout_seconds = kDefaultOnceTimeoutSeconds;  ///< --once's wait
};

/// Declares the options on `app`, writing into `options`.
void add_monitor_options(CLI::App& app, MonitorOptions& options);

/// Where to connect, everything resolved.
struct MonitorTarget {
  std::string host;
  std::uint16_t port = 0;
  std::string base_url;    ///< "http://host:port[/prefix]", for messages
  std::string ws_uri;      ///< "ws://host:port/socket.io/?EIO=4&transport=websocket"
  std::string token;       ///< sent as CONNECT auth {"token": ...} when not empty
};

/// Applies --url / --token over `configured` (what the other tools would
/// use). Returns "" or what is wrong with the options (then exit 2).
std::string resolve_target(const MonitorOptions& options, broker_client::BrokerEndpoint configured, MonitorTarget& out);

}  // namespace hookbroker::monitor
