// The heartbeat scheduler: a steady timer without cumulative drift (each
// deadline is the previous deadline plus the interval, never "now" plus the
// interval), contributors asked on their own strands under a deadline, and a
// tick that always goes out.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

#include "hookbroker/heartbeat_contributor.hpp"
#include "hookbroker/host_api.hpp"

namespace hookbroker::core {

struct ContributorRef {
  std::string plugin;
  HeartbeatContributor* object = nullptr;
  Strand* strand = nullptr;
  std::vector<std::string> keys;  ///< the keys its manifest declares
  /// Built against SDK 3.3 or later: has contribute_serialized().
  bool serialized = false;
  /// Set while a call is running; a late call keeps it set past its tick.
  std::shared_ptr<std::atomic<bool>> busy = std::make_shared<std::atomic<bool>>(false);
};

struct HeartbeatHooks {
  std::function<nlohmann::json()> core_data;          ///< uptime, totals, server_info, clients
  std::function<std::size_t()> session_count;         ///< for the log line
  /// Broadcast the envelope, serialised once (compact JSON).
  std::function<void(std::shared_ptr<const std::string>)> send;
  /// Tell plugins it went out: the whole heartbeat as JSON.
  std::function<void(nlohmann::json)> after;
};

class Heartbeat {
 public:
  using Clock = std::chrono::steady_clock;

  Heartbeat(boost::asio::io_context& io, double interval_s, double contributor_timeout_s,
            HeartbeatHooks hooks, std::shared_ptr<spdlog::logger> log);

  void set_contributors(std::vector<ContributorRef> contributors);
  void start();
  /// Cancels the timer; `stopped` runs once no tick is in flight.
  void stop(std::function<void()> stopped);

  /// The deadline each contributor gets: the configured timeout, but at most
  /// half the interval so ticks never overlap.
  Clock::duration contributor_deadline() const { return contributor_deadline_; }

 private:
  struct Tick;
  void arm();
  void begin_tick();
  void collect(const std::shared_ptr<Tick>& tick, std::size_t index, nlohmann::json result,
               std::vector<SerializedValue> serialized, std::string error);
  void finish_tick(const std::shared_ptr<Tick>& tick);
  /// Whether a contributor's text is JSON; remembers the last good one per key.
  bool valid_json(const std::string& plugin, const SerializedValue& value);

  Strand strand_;
  boost::asio::steady_timer timer_;
  const Clock::duration interval_;
  Clock::duration contributor_deadline_;
  HeartbeatHooks hooks_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<ContributorRef> contributors_;
  /// Per plugin and key, the last text found valid (strand only).
  std::unordered_map<std::string, std::shared_ptr<const std::string>> validated_;
  Clock::time_point next_deadline_;
  std::shared_ptr<Tick> in_flight_;
  /// How long the last tick took, from the timer firing to the broadcast
  /// handed to the transports; negative before the first one.
  double previous_tick_ms_ = -1;
  bool stopping_ = false;
  std::function<void()> on_stopped_;
};

/// The key under which each heartbeat's data carries the previous tick's
/// duration in milliseconds (absent from the first heartbeat).
inline constexpr const char* kPreviousTickKey = "previous_tick_ms";

}  // namespace hookbroker::core
