// LegacySessionTracker: what plugins get in place of a tracker built against
// SDK 2.0. It must never call apply() on it (the slot is not in its vtable),
// answer false so callers fall back, and pass everything else through.
#include <gtest/gtest.h>

#include <vector>

#include "runtime/legacy_session_tracker.hpp"

namespace hookbroker::core {
namespace {

/// Records the calls it gets; apply() must stay untouched.
class RecordingTracker final : public SessionTracker {
 public:
  void touch(const SessionActivity& a) override { calls.push_back("touch " + a.session_id); }
  void start(const std::string& id, const std::string& agent) override { calls.push_back("start " + id + " " + agent); }
  bool delegate(const std::string& id, const std::string& type, const std::string& agent_id) override {
    calls.push_back("delegate " + id + " " + type + " " + agent_id);
    return true;
  }
  bool complete_delegation(const std::string& id, const std::string& agent_id, const std::string& type) override {
    calls.push_back("complete " + id + " " + agent_id + " " + type);
    return true;
  }
  bool set_activity(const std::string& id, const std::string& activity) override {
    calls.push_back("activity " + id + " " + activity);
    return false;
  }
  bool end(const std::string& id) override {
    calls.push_back("end " + id);
    return true;
  }
  nlohmann::json list(std::size_t limit) const override { return {{"limit", limit}}; }
  nlohmann::json find(const std::string& id) const override { return {{"id", id}}; }
  std::size_t size() const override { return 7; }
  bool apply(const nlohmann::json&) override {
    calls.push_back("apply");
    return true;
  }
  std::vector<std::string> calls;
};

TEST(LegacySessionTracker, AnswersApplyWithFalseWithoutCallingTheOldTracker) {
  RecordingTracker old;
  LegacySessionTracker adapter(old);
  SessionTracker& seen = adapter;
  EXPECT_FALSE(seen.apply({{"session_id", "s1"}, {"activity", "working"}}));
  EXPECT_TRUE(old.calls.empty());
}

TEST(LegacySessionTracker, PassesEveryOlderCallThrough) {
  RecordingTracker old;
  LegacySessionTracker adapter(old);
  SessionTracker& seen = adapter;
  seen.touch({"s1", "", "", "", ""});
  seen.start("s1", "pm");
  EXPECT_TRUE(seen.delegate("s1", "qa", "a1"));
  EXPECT_TRUE(seen.complete_delegation("s1", "a1", "qa"));
  EXPECT_FALSE(seen.set_activity("s1", "working"));
  EXPECT_TRUE(seen.end("s1"));
  EXPECT_EQ(old.calls, (std::vector<std::string>{"touch s1", "start s1 pm", "delegate s1 qa a1", "complete s1 a1 qa",
                                                 "activity s1 working", "end s1"}));
  EXPECT_EQ(seen.list(3), (nlohmann::json{{"limit", 3}}));
  EXPECT_EQ(seen.find("s9"), (nlohmann::json{{"id", "s9"}}));
  EXPECT_EQ(seen.size(), 7u);
}

}  // namespace
}  // namespace hookbroker::core
