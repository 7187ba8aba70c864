// The broker's own settings, after file, environment and flags were merged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::core {

/// Every value comes from the option table (core_options.cpp), the one home
/// of the defaults; load_settings() fills each member.
struct Settings {
  std::string host;
  uint16_t port = 0;
  std::string token;
  std::vector<std::string> allowed_hosts;  ///< Host header names besides loopback and `host`
  std::vector<std::string> cors_origins;   ///< browser origins allowed (CORS and the Origin check)
  double auth_failure_log_interval = 0;    ///< seconds between summaries of failed authentications
  double heartbeat_interval = 0;   ///< seconds (heartbeat.interval_s)
  double contributor_timeout = 0;  ///< seconds (heartbeat.contributor_timeout_s)
  unsigned threads = 0;  ///< 0 = one per core
  std::size_t history_size = 0;
  std::string log_level;
  std::vector<std::string> plugin_dirs;  ///< scanned after the install plugin dir
  bool builtin_plugin_dir = false;       ///< scan the install/build plugin dir
  /// Load plugins from places others could change (development only; warned per place).
  bool allow_insecure_plugin_paths = false;
  std::string state_dir;
  std::string data_dir;
  std::string config_file;  ///< the file that was read, "" if none
  /// plugins.<name> → {"enabled", "required", "config"} as the user wrote it.
  nlohmann::json plugins = nlohmann::json::object();
};

}  // namespace hookbroker::core
