// What Claude Code's telemetry means for its sessions: OTLP records (read by
// otlp_requests) turned into SessionTracker changes ("origin": "telemetry",
// with `usage` or `tool`, session_tracker.hpp). Pure functions, except the
// running totals of cumulative metrics (CumulativeDeltas).
//
// Read: the log events claude_code.api_request (model, cost_usd, tokens,
// query_source, agent.name), claude_code.api_error (status_code) and
// claude_code.tool_result (tool_use_id, success, duration_ms); the metrics
// claude_code.cost.usage and claude_code.token.usage (attribute `type`).
// Event names are taken with or without the "claude_code." prefix. Other
// events and metrics are accepted and ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "otlp_requests.hpp"

namespace hookbroker::otlp {

/// What one record comes to.
struct Translation {
  enum class Kind { Change, Ignored, Rejected };
  Kind kind = Kind::Ignored;
  nlohmann::json change;  ///< with Kind::Change: a tracker change
  std::string reason;     ///< with Kind::Rejected: what was wrong, for partialSuccess
};

Translation translate_log(const LogRecord& record);

/// Cumulative sums (running totals since a start time) into the increments
/// since the previous point of the same series, bounded: past max_series
/// the oldest series is forgotten (its next point then counts from zero,
/// like a restart, which over-counts at most one point; the bound is far
/// above what one Claude Code process reports).
class CumulativeDeltas {
 public:
  explicit CumulativeDeltas(std::size_t max_series = 10000) : max_series_(max_series) {}
  /// The increment `point` adds: its value for a delta point; for a
  /// cumulative one, the growth since the series' last point (all of it for
  /// a new series, or one whose total went down: it restarted).
  double delta(const MetricPoint& point);
  std::size_t size() const { return last_.size(); }

 private:
  std::size_t max_series_;
  std::unordered_map<std::string, double> last_;
  std::deque<std::string> order_;  ///< series keys, oldest first
};

Translation translate_metric(const MetricPoint& point, CumulativeDeltas& deltas);

}  // namespace hookbroker::otlp
