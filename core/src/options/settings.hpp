// The broker's own settings, after file, environment and flags were merged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::core {

struct Settings {
  std::string host = "127.0.0.1";
  uint16_t port = 8765;
  std::string token;
  std::vector<std::string> allowed_hosts;  ///< Host header names besides loopback and `host`
  std::vector<std::string> cors_origins;   ///< browser origins allowed (CORS and the Origin check)
  double heartbeat_interval = 60;
  double contributor_timeout = 0.25;
  unsigned threads = 0;  ///< 0 = one per core
  std::size_t history_size = 1000;
  std::string log_level = "info";
  std::vector<std::string> plugin_dirs;  ///< scanned after the install plugin dir
  bool builtin_plugin_dir = true;        ///< scan the install/build plugin dir
  std::string state_dir;
  std::string data_dir;
  std::string config_file;  ///< the file that was read, "" if none
  /// plugins.<name> → {"enabled", "required", "config"} as the user wrote it.
  nlohmann::json plugins = nlohmann::json::object();
};

}  // namespace hookbroker::core
