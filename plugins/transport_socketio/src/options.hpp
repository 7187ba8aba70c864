// The plugin's configuration: the option table the core validates and prints
// (--describe-plugin transport_socketio), and the typed values read from it.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hookbroker/manifest.hpp"

namespace hookbroker::sio {

struct Options {
  std::string path = "/socket.io/";  ///< Engine.IO endpoint, always with a trailing '/'
  std::chrono::milliseconds ping_interval{25000};
  std::chrono::milliseconds ping_timeout{20000};
  std::chrono::milliseconds connect_timeout{45000};
  std::chrono::milliseconds upgrade_timeout{10000};
  std::size_t max_payload = 1000000;       ///< Engine.IO maxPayload (maxHttpBufferSize)
  std::size_t max_body_bytes = 1048576;    ///< POST /api/events
  std::size_t send_queue_bytes = 8388608;  ///< per client, then it is dropped
  /// Broadcasts within this long of the previous flush are held and written
  /// together (0: each at once). See broadcast_coalescer.hpp.
  std::chrono::microseconds coalesce_window{2000};
  std::size_t history_on_connect = 50;
  std::string dashboard_dir;  ///< "" = <data_dir>/dashboard

  /// Reads a config object already validated (and completed with defaults) by
  /// the core; keys it lacks keep the defaults above.
  static Options from_json(const nlohmann::json& config, const std::string& data_dir);
};

/// The option table for the manifest.
std::vector<hookbroker_config_option> option_table();

}  // namespace hookbroker::sio
