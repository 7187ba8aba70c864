#include "heartbeat_view.hpp"

namespace hookbroker::sessions {

HeartbeatContribution heartbeat_contribution(const MemorySessionTracker& tracker, std::size_t max_listed,
                                             std::uint64_t& errors_reported) {
  auto [listed, listed_count, summary] = tracker.snapshot(max_listed);
  nlohmann::json usage = summary.usage.to_json();
  usage["sessions"] = summary.sessions_with_usage;
  usage["telemetry_only_sessions"] = summary.telemetry_only;
  usage["api_errors_last_interval"] = summary.api_errors_seen - errors_reported;
  errors_reported = summary.api_errors_seen;
  nlohmann::json values = {
      {"usage", std::move(usage)},
      {"sessions_summary",
       {
           {"total", summary.total},
           {"listed", listed_count},
           {"omitted", summary.total - listed_count},
           {"active", summary.active},
           {"delegated", summary.delegated},
           {"completed", summary.completed},
           {"stale", summary.stale},
           {"background_running", summary.background_running},
           {"by_activity", summary.by_activity},
       }},
  };
  return {std::move(values), {"active_sessions", std::move(listed)}};
}

}  // namespace hookbroker::sessions
