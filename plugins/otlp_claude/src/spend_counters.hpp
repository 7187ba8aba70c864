// Spend since the broker started, for counters that only grow (/metrics:
// hookbroker_cost_usd_total, hookbroker_tokens_total{type,model}), reported
// in the heartbeat's `telemetry.spend`. Sessions' own figures can shrink
// (they expire); these cannot.
//
// The tracker shows a session's logs or its metrics, never both
// (session_usage.hpp); here likewise, a session's metrics count until its
// first log event does, and from then on only its logs. A session whose
// metrics came first keeps them counted (a counter cannot go back), so a
// session that sends both, metrics first, may count one export twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <unordered_set>
#include <utility>

#include <nlohmann/json.hpp>

namespace hookbroker::otlp {

class SpendCounters {
 public:
  static constexpr std::size_t kMaxModels = 64;         ///< then "_other"
  static constexpr std::size_t kMaxSessions = 10000;    ///< remembered as sending logs

  /// Adds a tracker change's `usage` (claude_telemetry.hpp) for `session_id`.
  void add(const std::string& session_id, const nlohmann::json& usage);
  /// {"cost_usd", "tokens": [{"type", "model", "count"}, ...]}.
  nlohmann::json to_json() const;

 private:
  double cost_usd_ = 0;
  std::map<std::pair<std::string, std::string>, std::uint64_t> tokens_;  ///< (type, model)
  std::unordered_set<std::string> with_logs_;
  std::deque<std::string> with_logs_order_;
  std::unordered_set<std::string> models_seen_;
};

}  // namespace hookbroker::otlp
