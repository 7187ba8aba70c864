#include "options.hpp"

#include <sys/resource.h>

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
  o.coalesce_window_min = std::chrono::microseconds(c.at("coalesce_window_min_us").get<std::int64_t>());
  o.history_on_connect = count("history_on_connect");
  o.history_on_connect_bytes = std::min(count("history_on_connect_bytes"), o.send_queue_bytes / 2);
  o.dashboard_dir = c.at("dashboard_dir").get<std::string>();
  if (o.dashboard_dir.empty() && !data_dir.empty()) o.dashboard_dir = data_dir + "/dashboard";
  o.keepalive_timeout = ms("keepalive_timeout_ms");
  o.request_timeout = ms("request_timeout_ms");
  o.max_requests_per_connection = count("max_requests_per_connection");
  o.max_header_bytes = count("max_header_bytes");
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
