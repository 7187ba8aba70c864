#include "heartbeat_view.hpp"

namespace hookbroker::sessions {

nlohmann::json heartbeat_contribution(const MemorySessionTracker& tracker, std::size_t max_listed) {
  auto [listed, summary] = tracker.snapshot(max_listed);
  const std::size_t listed_count = listed.size();
  return {
      {"active_sessions", std::move(listed)},
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
}

}  // namespace hookbroker::sessions
