#include "options.hpp"

#include "hookbroker/config.hpp"

namespace hookbroker::sio {

std::vector<hookbroker_config_option> option_table() {
  using hookbroker::ConfigType;
  using hookbroker::option;
  using hookbroker::ranged_option;
  return {
      option("path", ConfigType::String, R"("/socket.io/")",
             "URL path of the Engine.IO/Socket.IO endpoint (clients' `path` option)"),
      ranged_option("ping_interval", ConfigType::Int, "25000",
                    "ms between server pings (Engine.IO pingInterval)", 1, 3600000),
      ranged_option("ping_timeout", ConfigType::Int, "20000",
                    "ms to wait for a pong before closing the client (pingTimeout)", 1, 3600000),
      ranged_option("connect_timeout", ConfigType::Int, "45000",
                    "ms a client may stay without joining a namespace before it is closed", 1, 3600000),
      ranged_option("upgrade_timeout", ConfigType::Int, "10000",
                    "ms a polling client may take to finish its upgrade to WebSocket", 1, 3600000),
      ranged_option(
          "max_payload", ConfigType::Int, "1000000",
          "largest Engine.IO message or polling body in bytes (maxPayload); more -> 413 / close 1009", 64,
          1073741824),
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
  };
}

Options Options::from_json(const nlohmann::json& c, const std::string& data_dir) {
  Options o;
  auto ms = [&](const char* key, std::chrono::milliseconds fallback) {
    return std::chrono::milliseconds(c.value(key, static_cast<std::int64_t>(fallback.count())));
  };
  auto size = [&](const char* key, std::size_t fallback) {
    return static_cast<std::size_t>(c.value(key, static_cast<std::int64_t>(fallback)));
  };
  if (!c.is_object()) return from_json(nlohmann::json::object(), data_dir);
  o.path = c.value("path", o.path);
  if (o.path.empty() || o.path.front() != '/') o.path.insert(o.path.begin(), '/');
  if (o.path.back() != '/') o.path += '/';
  o.ping_interval = ms("ping_interval", o.ping_interval);
  o.ping_timeout = ms("ping_timeout", o.ping_timeout);
  o.connect_timeout = ms("connect_timeout", o.connect_timeout);
  o.upgrade_timeout = ms("upgrade_timeout", o.upgrade_timeout);
  o.max_payload = size("max_payload", o.max_payload);
  o.max_body_bytes = size("max_body_bytes", o.max_body_bytes);
  o.send_queue_bytes = size("send_queue_bytes", o.send_queue_bytes);
  o.coalesce_window = std::chrono::microseconds(c.value("coalesce_window_us", o.coalesce_window.count()));
  o.history_on_connect = size("history_on_connect", o.history_on_connect);
  o.dashboard_dir = c.value("dashboard_dir", std::string());
  if (o.dashboard_dir.empty() && !data_dir.empty()) o.dashboard_dir = data_dir + "/dashboard";
  return o;
}

}  // namespace hookbroker::sio
