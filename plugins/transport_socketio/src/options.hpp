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

/// The typed form of the config; every default lives in option_table() only.
struct Options {
  std::string path;  ///< Engine.IO endpoint, always with a trailing '/'
  std::chrono::milliseconds ping_interval{};
  std::chrono::milliseconds ping_timeout{};
  std::chrono::milliseconds connect_timeout{};
  std::chrono::milliseconds upgrade_timeout{};
  std::size_t max_payload = 0;       ///< Engine.IO maxPayload (maxHttpBufferSize)
  std::size_t max_body_bytes = 0;    ///< POST /api/events
  std::size_t send_queue_bytes = 0;  ///< per client, then it is dropped
  /// Broadcasts within this long of the previous flush are held and written
  /// together (0: each at once). See broadcast_coalescer.hpp.
  std::chrono::microseconds coalesce_window{};
  std::size_t history_on_connect = 0;
  std::size_t history_on_connect_bytes = 0;  ///< already at most send_queue_bytes / 2
  std::string dashboard_dir;  ///< "" = <data_dir>/dashboard

  /// Reads a complete config object: validated and completed with the table's
  /// defaults by the core (tests: hookbroker::with_defaults(option_table(), ...)).
  static Options from_json(const nlohmann::json& config, const std::string& data_dir);
};

/// The option table for the manifest.
std::vector<hookbroker_config_option> option_table();

}  // namespace hookbroker::sio
