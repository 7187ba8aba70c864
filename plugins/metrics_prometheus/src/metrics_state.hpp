// What metrics_prometheus gathers between scrapes, from being an event sink
// (events by type) and from each heartbeat (tick duration, contributor
// errors, the numbers other plugins report). Strand-only, like the plugin.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::prometheus {

class Histogram {
 public:
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);
  const std::vector<double>& upper_bounds() const { return bounds_; }
  /// Cumulative count of observations <= each bound, then the total (+Inf).
  std::vector<std::uint64_t> cumulative() const;
  double sum() const { return sum_; }
  std::uint64_t count() const { return count_; }

 private:
  std::vector<double> bounds_;
  std::vector<std::uint64_t> counts_;  ///< per bucket, the last one past every bound
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

class MetricsState {
 public:
  using Clock = std::chrono::steady_clock;
  /// Distinct (type, subtype) label pairs kept; the rest count as "_other".
  static constexpr std::size_t kMaxEventKinds = 200;
  static constexpr std::size_t kMaxPlugins = 100;

  MetricsState();

  void count_event(const nlohmann::json& event);
  /// A tick began (this plugin's contribute() was called).
  void tick_started(Clock::time_point at) { tick_started_ = at; }
  /// A heartbeat went out: ends the tick's timing, records its errors, keeps its data.
  void heartbeat_seen(const nlohmann::json& heartbeat, Clock::time_point at);

  const std::map<std::pair<std::string, std::string>, std::uint64_t>& events_by_kind() const { return events_; }
  const Histogram& tick_seconds() const { return ticks_; }
  std::optional<double> last_tick_seconds() const { return last_tick_; }
  std::uint64_t heartbeats() const { return heartbeats_; }
  const std::map<std::string, std::uint64_t>& contributor_errors() const { return errors_; }
  /// The last heartbeat's data, its session list left out.
  const nlohmann::json& last_data() const { return last_data_; }

 private:
  std::map<std::pair<std::string, std::string>, std::uint64_t> events_;
  Histogram ticks_;
  std::optional<Clock::time_point> tick_started_;
  std::optional<double> last_tick_;
  std::uint64_t heartbeats_ = 0;
  std::map<std::string, std::uint64_t> errors_;
  nlohmann::json last_data_ = nlohmann::json::object();
};

}  // namespace hookbroker::prometheus
