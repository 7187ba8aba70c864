// `hookbroker monitor`'s behaviour: stay connected to the broker (reconnecting
// with backoff, one stderr line per outage), print heartbeats and events, and
// decide the exit code (--once, refusals, signals).
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "monitor_options.hpp"
#include "reconnect_backoff.hpp"
#include "socketio_client_connection.hpp"

namespace hookbroker::monitor {

/// Exit codes, documented in --help and docs/operations.md.
enum ExitCode : int {
  kExitOk = 0,           ///< --once got a heartbeat; or stopped by SIGINT/SIGTERM
  kExitNoHeartbeat = 1,  ///< --once timed out, or the broker refused the connection
  kExitUsage = 2,        ///< bad options (CLI11's code)
};

class HeartbeatMonitor {
 public:
  /// `out` gets the heartbeats and events, `err` the diagnostics.
  HeartbeatMonitor(boost::asio::io_context& io, MonitorOptions options, MonitorTarget target, std::ostream& out,
                   std::ostream& err);

  /// Connects and arms signals and the --once deadline; then run `io`.
  /// When io.run() returns, exit_code() is the process's exit code.
  void start();
  int exit_code() const { return exit_code_; }

 private:
  void connect();
  void on_joined();
  void on_event(const std::string& name, const nlohmann::json& args);
  void on_lost(const std::string& reason);
  void on_refused(const std::string& message);
  void print_heartbeat(const nlohmann::json& payload);
  /// Stops everything and ends io.run(): at once, or after the WebSocket
  /// close when connected (bounded by a short guard).
  void finish(int code);

  boost::asio::io_context& io_;
  MonitorOptions options_;
  MonitorTarget target_;
  std::ostream& out_;
  std::ostream& err_;
  std::string auth_json_;
  SocketIoClientConnection connection_;
  ReconnectBackoff backoff_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer once_deadline_;
  boost::asio::steady_timer exit_guard_;
  boost::asio::signal_set signals_;
  bool joined_ = false;
  bool ever_joined_ = false;
  bool outage_reported_ = false;
  bool finishing_ = false;
  std::string last_problem_;  ///< why the last attempt failed, for --once's timeout message
  int exit_code_ = kExitOk;
};

}  // namespace hookbroker::monitor
