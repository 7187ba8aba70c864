// The plugin's configuration: the option table the core validates and prints
// (--describe-plugin transport_socketio), and the typed values read from it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
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
  std::string dashboard_dir;  ///< "" = <data_dir>/dashboard

  // Floods. from_json() resolves the 0s that mean "derive": none is 0 after it.
  std::size_t max_connections = 0;       ///< open TCP connections; one more gets 503
  std::size_t max_sessions = 0;          ///< Engine.IO sessions, joined or not
  std::size_t max_pending_sessions = 0;  ///< sessions that have not joined "/" yet
  std::size_t max_auth_failures = 0;     ///< failed CONNECTs on one connection, then it is closed
  /// Refusals at those limits are logged when they start, summarised this
  /// often, and reported over after this long without one (libs/spell_log).
  std::chrono::milliseconds limit_log_interval{};

  /// Reads a complete config object: validated and completed with the table's
  /// defaults by the core (tests: hookbroker::with_defaults(option_table(), ...)).
  static Options from_json(const nlohmann::json& config, const std::string& data_dir);

  /// Replaces the limits left at 0 by what the open-file limit allows:
  /// max_connections keeps a reserve of descriptors for the rest of the
  /// broker (files, plugins, outgoing connections): an eighth of the limit,
  /// at least 32 and at most 1024; max_sessions is three quarters of
  /// max_connections, so the last quarter stays free for requests that come
  /// and go (hooks' POST /api/events, /health, the API) while long-lived
  /// connections (WebSocket, long polls) are at their cap;
  /// max_pending_sessions is max_sessions, at most 1000.
  void resolve_limits(std::uint64_t open_file_limit);
};

/// The process's open-file limit (RLIMIT_NOFILE, soft); 1,048,576 when unlimited.
std::uint64_t open_file_limit();

/// The option table for the manifest.
std::vector<hookbroker_config_option> option_table();

}  // namespace hookbroker::sio
