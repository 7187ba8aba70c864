#include "options.hpp"

#include <algorithm>

#include "hookbroker/config.hpp"

namespace hookbroker::sio {

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
