// The /metrics page: the broker's counters, what MetricsState gathered, the
// session tracker's sessions by status, and every number the last heartbeat
// carried, in the Prometheus text format.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/host_api.hpp"
#include "metrics_state.hpp"

namespace hookbroker::prometheus {

struct ScrapeInputs {
  const MetricsState& state;
  Counters counters;
  std::string version;
  /// The tracker's sessions (list()), or null without a tracker.
  nlohmann::json sessions;
  std::uint64_t scrapes = 0;
};

/// Numeric leaves of the heartbeat listed under hookbroker_heartbeat_value at most.
inline constexpr std::size_t kMaxHeartbeatPaths = 500;

std::string render_metrics(const ScrapeInputs& in);

}  // namespace hookbroker::prometheus
