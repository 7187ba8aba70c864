// A session tracker built against SDK 3.0 has no SessionTracker::apply slot in
// its vtable (apply was appended in 3.1), so nobody may call apply on it.
// The core hands others this adapter instead: it forwards the 3.0 calls and
// keeps the base's apply, which answers false, so callers fall back to them.
#pragma once

#include "hookbroker/session_tracker.hpp"

namespace hookbroker::core {

class SessionTracker30 final : public SessionTracker {
 public:
  explicit SessionTracker30(SessionTracker& built_against_3_0) : t_(built_against_3_0) {}

  void touch(const SessionActivity& activity) override { t_.touch(activity); }
  void start(const std::string& session_id, const std::string& agent) override { t_.start(session_id, agent); }
  bool delegate(const std::string& session_id, const std::string& agent_type,
                const std::string& agent_id) override {
    return t_.delegate(session_id, agent_type, agent_id);
  }
  bool complete_delegation(const std::string& session_id, const std::string& agent_id,
                           const std::string& agent_type) override {
    return t_.complete_delegation(session_id, agent_id, agent_type);
  }
  bool set_activity(const std::string& session_id, const std::string& activity) override {
    return t_.set_activity(session_id, activity);
  }
  bool end(const std::string& session_id) override { return t_.end(session_id); }
  nlohmann::json list(std::size_t limit) const override { return t_.list(limit); }
  nlohmann::json find(const std::string& session_id) const override { return t_.find(session_id); }
  std::size_t size() const override { return t_.size(); }

 private:
  SessionTracker& t_;
};

}  // namespace hookbroker::core
