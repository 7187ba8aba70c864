// MemorySessionTracker: its own expiry timer and thread safety, on a FakeHost.
#include <gtest/gtest.h>

#include <thread>

#include "hookbroker/testing/fake_host.hpp"
#include "memory_session_tracker.hpp"
#include "tracker_options.hpp"

namespace hookbroker::sessions {
namespace {

using namespace std::chrono_literals;
using hookbroker::testing::FakeHost;

StoreLimits short_limits(double expire_after_s, double grace_s, std::size_t max_sessions = 1000) {
  StoreLimits l = TrackerOptions::from_config(with_defaults(TrackerOptions::table())).limits;
  l.expire_after = std::chrono::duration<double>(expire_after_s);
  l.completed_grace = std::chrono::duration<double>(grace_s);
  l.max_sessions = max_sessions;
  return l;
}

TEST(MemorySessionTracker, IdleSessionIsRemovedByItsOwnTimerMeasuredFromLastActivity) {
  FakeHost host("sessions_memory");
  auto tracker = std::make_shared<MemorySessionTracker>(host, short_limits(0.6, 60));
  host.on_strand([&] { tracker->start_expiry(); });

  const auto t0 = std::chrono::steady_clock::now();
  tracker->touch({"idle", "", "", "", ""});
  tracker->touch({"busy", "", "", "", ""});
  // Keep "busy" active past idle's deadline; nothing else calls the tracker.
  ASSERT_TRUE(host.run_until([&] { return std::chrono::steady_clock::now() - t0 >= 300ms; }));
  tracker->touch({"busy", "", "", "", ""});
  const auto busy_touched = std::chrono::steady_clock::now();

  ASSERT_TRUE(host.run_until([&] { return tracker->find("idle").is_null(); }, 3s));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 600ms);
  EXPECT_FALSE(tracker->find("busy").is_null()) << "expired by start time, not last activity";

  ASSERT_TRUE(host.run_until([&] { return tracker->size() == 0; }, 3s));
  EXPECT_GE(std::chrono::steady_clock::now() - busy_touched, 600ms);
  EXPECT_TRUE(host.has_log(LogLevel::Info, "expired 1 idle session(s)"));
  host.on_strand([&] { tracker->stop_expiry(); });
}

TEST(MemorySessionTracker, EndingASessionBringsTheTimerForwardForItsGrace) {
  FakeHost host("sessions_memory");
  auto tracker = std::make_shared<MemorySessionTracker>(host, short_limits(3600, 0.2));
  host.on_strand([&] { tracker->start_expiry(); });
  tracker->touch({"s1", "", "", "", ""});
  tracker->touch({"s2", "", "", "", ""});
  host.poll();  // the timer is now armed for an hour away

  const auto ended = std::chrono::steady_clock::now();
  ASSERT_TRUE(tracker->end("s1"));
  EXPECT_EQ(tracker->find("s1")["status"], "completed");
  ASSERT_TRUE(host.run_until([&] { return tracker->find("s1").is_null(); }, 3s));
  EXPECT_GE(std::chrono::steady_clock::now() - ended, 200ms);
  EXPECT_EQ(tracker->size(), 1u);
  EXPECT_TRUE(host.has_log(LogLevel::Info, "removed 1 completed session(s)"));
  host.on_strand([&] { tracker->stop_expiry(); });
}

TEST(MemorySessionTracker, EvictionAtTheCapIsLoggedWithTheReason) {
  FakeHost host("sessions_memory");
  auto tracker = std::make_shared<MemorySessionTracker>(host, short_limits(3600, 300, 2));
  tracker->touch({"first", "", "", "", ""});
  tracker->touch({"second", "", "", "", ""});
  tracker->touch({"third", "", "", "", ""});
  EXPECT_EQ(tracker->size(), 2u);
  EXPECT_TRUE(tracker->find("first").is_null());
  EXPECT_TRUE(host.has_log(LogLevel::Warn, "session first evicted: max_sessions (2) reached"));
}

TEST(MemorySessionTracker, StoppedTrackerSweepsNothingMore) {
  FakeHost host("sessions_memory");
  auto tracker = std::make_shared<MemorySessionTracker>(host, short_limits(0.1, 0));
  host.on_strand([&] { tracker->start_expiry(); });
  host.on_strand([&] { tracker->stop_expiry(); });
  tracker->touch({"s1", "", "", "", ""});
  const auto t0 = std::chrono::steady_clock::now();
  host.run_until([&] { return std::chrono::steady_clock::now() - t0 >= 300ms; });
  EXPECT_EQ(tracker->size(), 1u);
}

TEST(MemorySessionTracker, ConcurrentCallersFromSeveralThreadsLoseNoUpdate) {
  FakeHost host("sessions_memory");
  auto tracker = std::make_shared<MemorySessionTracker>(host, short_limits(3600, 300));
  host.start_threads(2);
  host.on_strand([&] { tracker->start_expiry(); });

  constexpr int kThreads = 4, kPerThread = 2000, kSessions = 20;
  std::vector<std::thread> callers;
  for (int t = 0; t < kThreads; ++t)
    callers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "s" + std::to_string(i % kSessions);
        tracker->touch({id, "", "/w" + std::to_string(t), "", ""});
        if (i % 7 == 0) tracker->delegate(id, "engineer", "a" + std::to_string(t));
        if (i % 11 == 0) tracker->complete_delegation(id, "a" + std::to_string(t), "engineer");
        if (i % 13 == 0) (void)tracker->list(5);
      }
    });
  for (auto& c : callers) c.join();

  const auto all = tracker->list();
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kSessions));
  std::uint64_t events = 0;
  for (const auto& s : all) events += s["event_count"].get<std::uint64_t>();
  EXPECT_EQ(events, static_cast<std::uint64_t>(kThreads * kPerThread));
  host.on_strand([&] { tracker->stop_expiry(); });
  host.stop_threads();
}

}  // namespace
}  // namespace hookbroker::sessions
