// The clients the broker knows, as the heartbeat lists them under `clients`:
// who they are, how they are connected, when they were last heard from, the
// round trip they measured, and whether they have gone silent (stale).
//
// Not thread-safe: the plugin calls it on its strand only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "heartbeat_request.hpp"
#include "hookbroker/clients.hpp"

namespace hookbroker::client_heartbeats {

struct RegistryLimits {
  // Set from the plugin's option table, the one home of the defaults.
  std::chrono::milliseconds stale_after{};  ///< silence before a client is flagged stale (stale_after_s)
  std::size_t max_listed = 0;               ///< clients listed in the heartbeat; 0 = all
  std::size_t max_clients = 0;              ///< records kept; the longest-silent one goes first
};

class ClientRegistry {
 public:
  using Clock = std::chrono::system_clock;

  explicit ClientRegistry(RegistryLimits limits) : limits_(limits) {}

  void connected(const ClientInfo& client, Clock::time_point now);
  void disconnected(const std::string& id);
  /// Records a heartbeat (creating the record if the client's arrival was
  /// missed) and returns the ack's object.
  nlohmann::json heartbeat(const ClientInfo& client, const HeartbeatRequest& request, Clock::time_point now);

  /// The heartbeat's `clients` object. `newly_stale` receives a line for
  /// every client that went stale since the previous call.
  nlohmann::json snapshot(Clock::time_point now, std::vector<std::string>* newly_stale = nullptr);

  std::size_t size() const { return clients_.size(); }

 private:
  struct Record {
    ClientInfo info;
    std::string client_id, name;
    Clock::time_point last_seen;
    std::optional<double> rtt_ms;
    std::uint64_t heartbeats = 0;
    bool stale = false;
  };
  Record& ensure(const ClientInfo& client, Clock::time_point now);
  bool is_stale(const Record& r, Clock::time_point now) const { return now - r.last_seen > limits_.stale_after; }

  RegistryLimits limits_;
  std::map<std::string, Record> clients_;  ///< by connection id
};

}  // namespace hookbroker::client_heartbeats
