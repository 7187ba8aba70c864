#include "options.hpp"

#include <sys/resource.h>

#include <algorithm>

#include "hookbroker/config.hpp"

namespace hookbroker::sio {

std::vector<hookbroker_config_option> option_table() {
  using hookbroker::ConfigType;
  using hookbroker::option;
  using hookbroker::ranged_option;
  using hookbroker::renamed;
  // A duration in ms, 1 ms to 1 h, that was named without its unit before.
  auto milliseconds = [](const char* name, const char* old_name, const char* default_ms, const char* description) {
    return renamed(ranged_option(name, ConfigType::Int, default_ms, description, 1, 3600000), old_name);
  };
  return {
      option("path", ConfigType::String, R"("/socket.io/")",
             "URL path of the Engine.IO/Socket.IO endpoint (clients' `path` option)"),
      milliseconds("ping_interval_ms", "ping_interval", "25000", "ms between server pings (Engine.IO pingInterval)"),
      milliseconds("ping_timeout_ms", "ping_timeout", "20000",
                   "ms to wait for a pong before closing the client (pingTimeout)"),
      milliseconds("connect_timeout_ms", "connect_timeout", "45000",
                   "ms a client may stay without joining a namespace before it is closed"),
      milliseconds("upgrade_timeout_ms", "upgrade_timeout", "10000",
                   "ms a polling client may take to finish its upgrade to WebSocket"),
      renamed(ranged_option("max_payload_bytes", ConfigType::Int, "1000000",
                            "largest Engine.IO message or polling body in bytes (maxPayload); more -> 413 / "
                            "close 1009",
                            64, 1073741824),
              "max_payload"),
      ranged_option("max_body_bytes", ConfigType::Int, "1048576",
                    "largest POST /api/events body in bytes; more -> 413", 64, 1073741824),
      ranged_option("send_queue_bytes", ConfigType::Int, "8388608",
                    "bytes queued for one client before it is disconnected as too slow", 1024, 1073741824),
      ranged_option("coalesce_window_us", ConfigType::Int, "2000",
                    "microseconds after a write to the clients during which further broadcasts are held and "
                    "written together, one write per client (adds at most this latency, only above "
                    "1/window broadcasts per second); 0 writes each at once",
                    0, 1000000),
      ranged_option("history_on_connect", ConfigType::Int, "50",
                    "events from the history ring sent to each client on connect (`history`)", 0, 100000),
      option("dashboard_dir", ConfigType::String, R"("")",
             "directory served at / (default: <data_dir>/dashboard)"),
      ranged_option("max_connections", ConfigType::Int, "0",
                    "open TCP connections at most (HTTP and WebSocket); one more is answered 503 with "
                    "Retry-After and closed. 0: the open-file limit less a reserve of an eighth of it (32 to "
                    "1024) for the broker's other files",
                    0, 16777216),
      ranged_option("max_sessions", ConfigType::Int, "0",
                    "Engine.IO sessions (Socket.IO clients, joined or not) at most; a handshake past it is "
                    "answered 503 with Retry-After. 0: three quarters of max_connections, so that a quarter "
                    "stays free for hooks' POST /api/events and other short requests",
                    0, 16777216),
      ranged_option("max_pending_sessions", ConfigType::Int, "0",
                    "Engine.IO sessions that have not yet joined with a Socket.IO CONNECT (which carries the "
                    "token) at most; a handshake past it is answered 503 with Retry-After, and each is closed "
                    "after connect_timeout_ms. 0: max_sessions, at most 1000",
                    0, 16777216),
      ranged_option("max_auth_failures", ConfigType::Int, "3",
                    "failed Socket.IO CONNECTs (missing or wrong token) one connection may make: the last is "
                    "answered with its CONNECT_ERROR and the connection is closed",
                    1, 1000),
      ranged_option("limit_log_interval_s", ConfigType::Number, "10",
                    "connections and handshakes refused at those limits, or for want of file descriptors, are "
                    "logged when the refusals start, summarised every this many seconds while they go on, and "
                    "reported over after this long without one",
                    0.1, 86400),
  };
}

Options Options::from_json(const nlohmann::json& c, const std::string& data_dir) {
  Options o;
  auto count = [&](const char* key) { return c.at(key).get<std::size_t>(); };
  o.path = c.at("path").get<std::string>();
  if (o.path.empty() || o.path.front() != '/') o.path.insert(o.path.begin(), '/');
  if (o.path.back() != '/') o.path += '/';
  auto ms = [&](const char* key) { return std::chrono::milliseconds(c.at(key).get<std::int64_t>()); };
  o.ping_interval = ms("ping_interval_ms");
  o.ping_timeout = ms("ping_timeout_ms");
  o.connect_timeout = ms("connect_timeout_ms");
  o.upgrade_timeout = ms("upgrade_timeout_ms");
  o.max_payload = count("max_payload_bytes");
  o.max_body_bytes = count("max_body_bytes");
  o.send_queue_bytes = count("send_queue_bytes");
  o.coalesce_window = std::chrono::microseconds(c.at("coalesce_window_us").get<std::int64_t>());
  o.history_on_connect = count("history_on_connect");
  o.dashboard_dir = c.at("dashboard_dir").get<std::string>();
  if (o.dashboard_dir.empty() && !data_dir.empty()) o.dashboard_dir = data_dir + "/dashboard";
  o.max_connections = count("max_connections");
  o.max_sessions = count("max_sessions");
  o.max_pending_sessions = count("max_pending_sessions");
  o.max_auth_failures = count("max_auth_failures");
  o.limit_log_interval =
      std::chrono::milliseconds(static_cast<std::int64_t>(c.at("limit_log_interval_s").get<double>() * 1000));
  o.resolve_limits(open_file_limit());
  return o;
}

void Options::resolve_limits(std::uint64_t files) {
  if (max_connections == 0) {
    const std::uint64_t reserve = std::clamp<std::uint64_t>(files / 8, 32, 1024);
    max_connections = static_cast<std::size_t>(files > 2 * reserve ? files - reserve : std::max<std::uint64_t>(files / 2, 1));
  }
  if (max_sessions == 0) max_sessions = std::max<std::size_t>(max_connections / 4 * 3, 1);
  if (max_pending_sessions == 0) max_pending_sessions = std::min<std::size_t>(max_sessions, 1000);
}

std::uint64_t open_file_limit() {
  constexpr std::uint64_t kUnlimited = 1u << 20;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kUnlimited;
  return std::min<std::uint64_t>(limit.rlim_cur, kUnlimited);
}

}  // namespace hookbroker::sio
