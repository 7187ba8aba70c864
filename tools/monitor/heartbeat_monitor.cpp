#include "heartbeat_monitor.hpp"

#include <csignal>

#include "event_line.hpp"
#include "heartbeat_summary.hpp"

namespace hookbroker::monitor {

namespace {

constexpr std::chrono::milliseconds kExitGuard{1500};

std::chrono::milliseconds to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

}  // namespace

HeartbeatMonitor::HeartbeatMonitor(boost::asio::io_context& io, MonitorOptions options, MonitorTarget target,
                                   std::ostream& out, std::ostream& err)
    : io_(io),
      options_(std::move(options)),
      target_(std::move(target)),
      out_(out),
      err_(err),
      auth_json_(target_.token.empty() ? std::string() : nlohmann::json{{"token", target_.token}}.dump()),
      connection_(io, ConnectionEvents{[this] { on_joined(); },
                                       [this](const std::string& name, const nlohmann::json& args) { on_event(name, args); },
                                       [this](const std::string& message) { on_refused(message); },
                                       [this](const std::string& reason) { on_lost(reason); },
                                       [this] { io_.stop(); }}),
      retry_timer_(io),
      once_deadline_(io),
      exit_guard_(io),
      signals_(io, SIGINT, SIGTERM) {}

void HeartbeatMonitor::start() {
  signals_.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) finish(kExitOk);
  });
  if (options_.once) {
    once_deadline_.expires_after(to_ms(options_.timeout_seconds));
    once_deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      err_ << "hookbroker monitor: no heartbeat from " << target_.base_url << " within " << options_.timeout_seconds
           << " s";
      if (joined_)
        err_ << " (connected, but none was sent: the broker's --heartbeat-interval-s may be longer than --timeout)";
      else if (!last_problem_.empty())
        err_ << " (" << last_problem_ << ")";
      err_ << std::endl;
      finish(kExitNoHeartbeat);
    });
  }
  connect();
}

void HeartbeatMonitor::connect() {
  if (!finishing_) connection_.open(target_.ws_uri, auth_json_);
}

void HeartbeatMonitor::on_joined() {
  joined_ = true;
  backoff_.reset();
  err_ << "hookbroker monitor: " << (ever_joined_ ? "reconnected to " : "connected to ") << target_.base_url
       << std::endl;
  ever_joined_ = true;
  outage_reported_ = false;
  last_problem_.clear();
}

void HeartbeatMonitor::on_event(const std::string& name, const nlohmann::json& args) {
  if (finishing_ || args.empty()) return;
  const nlohmann::json& payload = args.front();
  // `heartbeat` is where the mpm_compat plugin sends them (claude-mpm's name).
  if ((name == "system_event" || name == "heartbeat") && is_heartbeat(payload)) {
    print_heartbeat(payload);
    if (options_.once) finish(kExitOk);
    return;
  }
  if (name == "status" && !options_.once) {
    // Sent on every connect: say how long the first heartbeat may take.
    if (payload.is_object() && payload.contains("heartbeat_interval") && payload["heartbeat_interval"].is_number())
      err_ << "hookbroker monitor: the broker sends a heartbeat every " << payload["heartbeat_interval"].get<double>()
           << " s" << std::endl;
    return;
  }
  if (!options_.events || (name != "claude_event" && name != "system_event")) return;
  if (options_.json)
    out_ << payload.dump() << std::endl;
  else
    out_ << format_event_line(name, payload, std::chrono::system_clock::now()) << std::flush;
}

void HeartbeatMonitor::print_heartbeat(const nlohmann::json& payload) {
  if (options_.json)
    out_ << payload.dump() << std::endl;
  else
    out_ << format_heartbeat(payload, std::chrono::system_clock::now()) << std::flush;
}

void HeartbeatMonitor::on_lost(const std::string& reason) {
  const bool was_joined = joined_;
  joined_ = false;
  if (finishing_) return;
  last_problem_ = reason;
  if (!outage_reported_) {
    outage_reported_ = true;
    if (was_joined || ever_joined_)
      err_ << "hookbroker monitor: lost the connection to " << target_.base_url << ": " << reason
           << "; reconnecting" << std::endl;
    else
      err_ << "hookbroker monitor: cannot reach the broker at " << target_.base_url << ": " << reason
           << "; retrying until it is up" << std::endl;
  }
  retry_timer_.expires_after(backoff_.next());
  retry_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) connect();
  });
}

void HeartbeatMonitor::on_refused(const std::string& message) {
  err_ << "hookbroker monitor: the broker at " << target_.base_url << " refused the connection: " << message;
  if (target_.token.empty())
    err_ << " (pass --token or set HOOKBROKER_TOKEN)";
  err_ << std::endl;
  // A refusal repeats on every attempt: report it and stop.
  finish(kExitNoHeartbeat);
}

void HeartbeatMonitor::finish(int code) {
  if (finishing_) return;
  finishing_ = true;
  exit_code_ = code;
  out_.flush();
  retry_timer_.cancel();
  once_deadline_.cancel();
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  if (!connection_.active()) {
    io_.stop();
    return;
  }
  // Say goodbye to the broker (it logs a clean disconnect); on_closed stops
  // the loop, or the guard does if the broker does not answer.
  connection_.close();
  exit_guard_.expires_after(kExitGuard);
  exit_guard_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) io_.stop();
  });
}

}  // namespace hookbroker::monitor
