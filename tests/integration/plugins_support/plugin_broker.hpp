// A real hookbroker for the plugin integration tests: ephemeral port,
// transport_socketio for HTTP and Socket.IO, transport_jsonl writing every
// broadcast to a file the test reads, and whatever plugins the test enables.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"
#include "raw_client.hpp"

namespace plugins_it {

/// "--set plugins.NAME.enabled=true"
std::vector<std::string> enable(const std::string& plugin);
/// "--set plugins.NAME.config.KEY=VALUE" (VALUE is JSON text or a plain string)
std::vector<std::string> config(const std::string& plugin, const std::string& key, const std::string& value);
std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b);

class PluginBroker {
 public:
  /// Starts the broker with a heartbeat every `interval` seconds and `extra` flags.
  explicit PluginBroker(std::vector<std::string> extra, const std::string& interval = "0.2");

  hbtest::BrokerProcess& process() { return *process_; }
  /// The HTTP port (waits for the transport to listen); -1 if it never does.
  int port() { return process_->port(); }
  std::string output() const { return process_->output(); }

  /// Every heartbeat broadcast so far (their full envelopes).
  std::vector<nlohmann::json> heartbeats() const;
  /// Waits for a heartbeat whose data satisfies `match`; returns it.
  std::optional<nlohmann::json> wait_heartbeat(const std::function<bool(const nlohmann::json& data)>& match,
                                               std::chrono::milliseconds timeout);
  /// Every system_event broadcast with event == `name` (e.g. "alert").
  std::vector<nlohmann::json> system_events(const std::string& name) const;
  /// Every claude_event broadcast (with data.subtype == `subtype` when given).
  std::vector<nlohmann::json> claude_events(const std::string& subtype = "") const;

  /// POST /api/events with `event`, an X-Hookbroker-Event-Id when `id` is given.
  sio_it::HttpResult post_event(const nlohmann::json& event, const std::string& id = "");
  sio_it::HttpResult get(const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  hbtest::TempDir out_;
  std::string bus_;
  std::unique_ptr<hbtest::BrokerProcess> process_;
};

/// A generic event of `type`/`subtype` in `session`.
nlohmann::json generic_event(const std::string& subtype, const std::string& session = "", int n = 0);

}  // namespace plugins_it
