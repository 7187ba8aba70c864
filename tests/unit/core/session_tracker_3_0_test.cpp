// A tracker built against SDK 3.0 is reached only through SessionTracker30:
// apply (appended in 3.1) must never reach it, the 3.0 calls must.
#include <gtest/gtest.h>

#include "runtime/session_tracker_3_0.hpp"

namespace hookbroker::core {
namespace {

class RecordingTracker : public SessionTracker {
 public:
  void touch(const SessionActivity& a) override { calls.push_back("touch " + a.session_id); }
  void start(const std::string& id, const std::string& agent) override { calls.push_back("start " + id + " " + agent); }
  bool delegate(const std::string& id, const std::string& type, const std::string&) override {
    calls.push_back("delegate " + id + " " + type);
    return true;
  }
  bool complete_delegation(const std::string& id, const std::string& agent_id, const std::string&) override {
    calls.push_back("complete " + id + " " + agent_id);
    return true;
  }
  bool set_activity(const std::string& id, const std::string& activity) override {
    calls.push_back("activity " + id + " " + activity);
    return true;
  }
  bool end(const std::string& id) override {
    calls.push_back("end " + id);
    return true;
  }
  nlohmann::json list(std::size_t limit) const override { return {{"limit", limit}}; }
  nlohmann::json find(const std::string& id) const override { return {{"session_id", id}}; }
  std::size_t size() const override { return 7; }
  bool apply(const nlohmann::json&) override {
    calls.push_back("apply");
    return true;
  }
  std::vector<std::string> calls;
};

TEST(SessionTracker30, ForwardsThe30CallsAndNeverApply) {
  RecordingTracker tracker;
  SessionTracker30 adapter(tracker);
  SessionTracker& seen = adapter;
  EXPECT_FALSE(seen.apply({{"session_id", "s1"}})) << "callers must fall back to the 3.0 calls";
  seen.touch({"s1", "", "", "", ""});
  seen.start("s1", "pm");
  EXPECT_TRUE(seen.delegate("s1", "engineer", ""));
  EXPECT_TRUE(seen.complete_delegation("s1", "a1", "engineer"));
  EXPECT_TRUE(seen.set_activity("s1", "working"));
  EXPECT_TRUE(seen.end("s1"));
  EXPECT_EQ(seen.list(3)["limit"], 3);
  EXPECT_EQ(seen.find("s1")["session_id"], "s1");
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(tracker.calls, (std::vector<std::string>{"touch s1", "start s1 pm", "delegate s1 engineer",
                                                      "complete s1 a1", "activity s1 working", "end s1"}));
}

}  // namespace
}  // namespace hookbroker::core
