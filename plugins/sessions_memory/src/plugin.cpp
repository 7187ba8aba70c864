// sessions_memory: the in-memory session tracker and its heartbeat keys.
#include <memory>

#include "heartbeat_view.hpp"
#include "hookbroker/hookbroker.hpp"
#include "memory_session_tracker.hpp"
#include "tracker_options.hpp"

namespace hookbroker::sessions {

class SessionsMemoryPlugin final : public Plugin, public HeartbeatContributor {
 public:
  SessionsMemoryPlugin(HostApi& host, const nlohmann::json& config)
      : options_(TrackerOptions::from_config(config)),
        tracker_(std::make_shared<MemorySessionTracker>(host, options_.limits)) {}

  void start() override { tracker_->start_expiry(); }
  void stop() override { tracker_->stop_expiry(); }

  SessionTracker* as_session_tracker() override { return tracker_.get(); }
  HeartbeatContributor* as_heartbeat_contributor() override { return this; }

  nlohmann::json contribute() override {
    return heartbeat_contribution(*tracker_, options_.heartbeat_max_sessions);
  }

 private:
  const TrackerOptions options_;
  // Shared so that timer handlers still queued after stop() find it gone
  // (they hold a weak reference) instead of touching a freed object.
  std::shared_ptr<MemorySessionTracker> tracker_;
};

}  // namespace hookbroker::sessions

HOOKBROKER_PLUGIN(hookbroker::sessions::SessionsMemoryPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "sessions_memory";
  info.version = "1.0.0";
  info.description = "Tracks agent sessions in memory; adds active_sessions to the heartbeat";
  info.kinds = HOOKBROKER_KIND_SESSION_TRACKER | HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR;
  info.heartbeat_keys = "active_sessions,sessions_summary";
  info.options = hookbroker::sessions::TrackerOptions::table();
  return info;
}())
