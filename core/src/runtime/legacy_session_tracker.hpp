// A session tracker built against SDK 2.0 has no SessionTracker::apply in
// its vtable, while plugins built against 2.1 call it. The core hands those
// plugins this adapter instead of such a tracker: it forwards the 2.0 calls
// and answers apply() with false, so callers fall back to the 2.0 calls.
#pragma once

#include <cstdint>

#include "hookbroker/session_tracker.hpp"

namespace hookbroker::core {

/// The SDK minor that added SessionTracker::apply.
inline constexpr std::uint16_t kTrackerApplyMinor = 1;

class LegacySessionTracker final : public SessionTracker {
 public:
  explicit LegacySessionTracker(SessionTracker& tracker) : tracker_(tracker) {}

  void touch(const SessionActivity& activity) override { tracker_.touch(activity); }
  void start(const std::string& id, const std::string& agent) override { tracker_.start(id, agent); }
  bool delegate(const std::string& id, const std::string& type, const std::string& agent_id) override {
    return tracker_.delegate(id, type, agent_id);
  }
  bool complete_delegation(const std::string& id, const std::string& agent_id, const std::string& type) override {
    return tracker_.complete_delegation(id, agent_id, type);
  }
  bool set_activity(const std::string& id, const std::string& activity) override {
    return tracker_.set_activity(id, activity);
  }
  bool end(const std::string& id) override { return tracker_.end(id); }
  nlohmann::json list(std::size_t limit) const override { return tracker_.list(limit); }
  nlohmann::json find(const std::string& id) const override { return tracker_.find(id); }
  std::size_t size() const override { return tracker_.size(); }
  // apply(): the SDK's default, false. Never forwarded: the slot does not exist.

 private:
  SessionTracker& tracker_;
};

}  // namespace hookbroker::core
