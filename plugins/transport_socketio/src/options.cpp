#include "options.hpp"

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
      ranged_option("history_on_connect_bytes", ConfigType::Int, "1048576",
                    "bytes of event JSON the `history` sent on connect carries at most (the newest events "
                    "that fit; at most half of send_queue_bytes), so big events cannot make a client look "
                    "like a slow reader the moment it connects",
                    0, 1073741824),
      option("dashboard_dir", ConfigType::String, R"("")",
             "directory served at / (default: <data_dir>/dashboard)"),
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
  o.history_on_connect_bytes = std::min(count("history_on_connect_bytes"), o.send_queue_bytes / 2);
  o.dashboard_dir = c.at("dashboard_dir").get<std::string>();
  if (o.dashboard_dir.empty() && !data_dir.empty()) o.dashboard_dir = data_dir + "/dashboard";
  return o;
}

}  // namespace hookbroker::sio
