// The plugin's configuration: the option table the core validates and prints
// (--describe-plugin transport_socketio), and the typed values read from it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hookbroker/config.hpp"

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
  /// Broadcasts within the window of the previous flush are held and written
  /// together; the window follows the load between these two (max 0: each
  /// at once). See broadcast_coalescer.hpp, adaptive_window.hpp.
  std::chrono::microseconds coalesce_window_min{};
  std::chrono::microseconds coalesce_window{};
  std::size_t history_on_connect = 0;
  std::size_t history_on_connect_bytes = 0;  ///< already at most send_queue_bytes / 2
  std::string dashboard_dir;  ///< "" = <data_dir>/dashboard

  // The HTTP front (http_front.hpp).
  std::chrono::milliseconds keepalive_timeout{};  ///< idle between requests, then closed
  std::chrono::milliseconds request_timeout{};    ///< first byte to last of a request (408), and its answer's write
  std::size_t max_requests_per_connection = 0;    ///< the last one is answered with Connection: close
  std::size_t max_header_bytes = 0;               ///< a larger request head: 431

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

/// The option table, a constant for the manifest (config.hpp).
constexpr auto option_table() {
  using hookbroker::ConfigType;
  using hookbroker::option;
  using hookbroker::ranged_option;
  using hookbroker::renamed;
  // A duration in ms, 1 ms to 1 h, that was named without its unit before.
  auto milliseconds = [](const char* name, const char* old_name, const char* default_ms, const char* description) {
    return renamed(ranged_option(name, ConfigType::Int, default_ms, description, 1, 3600000), old_name);
  };
  return hookbroker::config_table(
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
                    "longest window, in microseconds after a write to the clients, during which further "
                    "broadcasts are held and written together, one write per client: the window used under heavy "
                    "load (adds at most this latency, only above 1/window broadcasts per second); 0 writes each at "
                    "once",
                    0, 1000000),
      ranged_option("coalesce_window_min_us", ConfigType::Int, "500",
                    "shortest window, used at light loads; the window doubles towards coalesce_window_us while "
                    "writing to the clients takes over 80 % of the transport's thread or broadcasts come three or "
                    "more per window, and halves back as the load falls. Capped at coalesce_window_us; equal to "
                    "it: a fixed window",
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
      ranged_option("keepalive_timeout_ms", ConfigType::Int, "5000",
                    "ms an HTTP connection may wait for its next request (keep-alive) before the broker closes it",
                    1, 3600000),
      ranged_option("request_timeout_ms", ConfigType::Int, "10000",
                    "ms from a request's first byte to its last (else 408 and the connection closes); also how "
                    "long a client may take to read an answer",
                    1, 3600000),
      ranged_option("max_requests_per_connection", ConfigType::Int, "10000",
                    "HTTP requests served on one keep-alive connection; the last is answered with "
                    "Connection: close",
                    1, 100000000),
      ranged_option("max_header_bytes", ConfigType::Int, "8000",
                    "largest HTTP request head (request line and headers) in bytes; more -> 431", 1024, 1048576),
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
                    0.1, 86400));
}

/// The process's open-file limit (RLIMIT_NOFILE, soft); 1,048,576 when unlimited.
std::uint64_t open_file_limit();

}  // namespace hookbroker::sio
