// sessions_memory: the in-memory session tracker, its heartbeat keys and the
// session API routes.
#include <memory>

#include "heartbeat_view.hpp"
#include "hookbroker/hookbroker.hpp"
#include "memory_session_tracker.hpp"
#include "session_routes.hpp"
#include "tracker_options.hpp"

namespace hookbroker::sessions {

class SessionsMemoryPlugin final : public Plugin, public SessionTracker, public HeartbeatContributor {
 public:
  SessionsMemoryPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host),
        options_(TrackerOptions::from_config(config)),
        tracker_(std::make_shared<MemorySessionTracker>(host, options_.limits)) {}

  void start() override {
    tracker_->start_expiry();
    add_session_routes(host_, *tracker_);
  }
  void stop() override { tracker_->stop_expiry(); }

  nlohmann::json contribute() override {
    auto contribution = heartbeat_contribution(*tracker_, options_.heartbeat_max_sessions, errors_reported_);
    listed_ = std::move(contribution.active_sessions);
    return std::move(contribution.values);
  }
  // The core asks right after contribute(), on this strand.
  std::vector<SerializedValue> contribute_serialized() override {
    std::vector<SerializedValue> out;
    if (listed_.json) out.push_back(std::move(listed_));
    listed_ = {};
    return out;
  }

  // SessionTracker: the tracker is shared with its own timers (they hold a
  // weak reference), so the plugin hands calls on to it.
  void touch(const SessionActivity& activity) override { tracker_->touch(activity); }
  void start(const std::string& id, const std::string& agent) override { tracker_->start(id, agent); }
  bool delegate(const std::string& id, const std::string& type, const std::string& agent_id) override {
    return tracker_->delegate(id, type, agent_id);
  }
  bool complete_delegation(const std::string& id, const std::string& agent_id, const std::string& type) override {
    return tracker_->complete_delegation(id, agent_id, type);
  }
  bool set_activity(const std::string& id, const std::string& activity) override {
    return tracker_->set_activity(id, activity);
  }
  bool end(const std::string& id) override { return tracker_->end(id); }
  bool apply(const nlohmann::json& change) override { return tracker_->apply(change); }
  nlohmann::json list(std::size_t limit) const override { return tracker_->list(limit); }
  nlohmann::json find(const std::string& id) const override { return tracker_->find(id); }
  std::size_t size() const override { return tracker_->size(); }

 private:
  HostApi& host_;
  const TrackerOptions options_;
  std::shared_ptr<MemorySessionTracker> tracker_;
  std::uint64_t errors_reported_ = 0;  ///< API errors the last heartbeat counted
  SerializedValue listed_;  ///< active_sessions from the last contribute(), until asked for
};

}  // namespace hookbroker::sessions

HOOKBROKER_PLUGIN(hookbroker::sessions::SessionsMemoryPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "sessions_memory";
  info.version = "1.1.0";
  info.description = "Tracks agent sessions in memory (agents, tool calls, attention state); adds active_sessions to the heartbeat; "
      "serves /api/sessions and get_session; joins the spend telemetry reports (usage)";
  info.heartbeat_keys = "active_sessions,sessions_summary,usage";
  info.options = hookbroker::sessions::TrackerOptions::table();
  return info;
}())
