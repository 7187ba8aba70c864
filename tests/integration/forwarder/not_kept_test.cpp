// A broker that answers "not kept" (503/507: an event sink failed the event,
// say a full disk): the forwarder spools, spool_replay keeps the events in the
// spool until the broker really takes them, and then every event is stored
// and shown exactly once. And when the forwarder can neither deliver, nor
// spool, nor log, the user hears of it.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "forwarder_world.hpp"
#include "json_lines.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using forwarder_it::ForwarderWorld;
using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> lines;
  const std::string text = hbtest::read_file(path);
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) break;
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

/// A forwarder world whose broker loads the gate sink (tests/fixtures), the
/// gate closed with `how` ("unavailable 1", "full 1").
struct GatedWorld {
  explicit GatedWorld(const std::string& how) {
    hbtest::write_file(gate, how);
    start_broker();
  }
  void start_broker() {
    world.start_broker({"--plugin-dir", std::string(FIXTURE_PLUGIN_ROOT) + "/gate_sink", "--set",
                        "plugins.fixture_gate_sink.config.fail_while=" + gate, "--set",
                        "plugins.fixture_gate_sink.config.stored_log=" + stored});
  }
  void open_gate() const { ::unlink(gate.c_str()); }
  std::vector<std::string> stored_ids() const { return lines_of(stored); }

  ForwarderWorld world;
  hbtest::TempDir files;
  const std::string gate = files.file("gate");
  const std::string stored = files.file("stored.log");
};

void expect_each_exactly_once(const ForwarderWorld& world, const std::string& sender, int n) {
  std::map<int, int> seen;
  for (const auto& e : world.hook_events())
    if (e["data"].value("sender", "") == sender) ++seen[e["data"]["seq"].get<int>()];
  for (int i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << sender << " event " << i << " shown " << seen[i] << " times";
}

TEST(HookForwarderNotKept, A503IsSpooledAndReplayedUntilTheBrokerReallyTakesItThenEachIsStoredOnce) {
  GatedWorld gated("unavailable 1");
  ForwarderWorld& world = gated.world;

  constexpr int kEvents = 12;
  for (int i = 0; i < kEvents; ++i) {
    const auto run = world.run_hook(forwarder_it::hook_payload("gate", "gated", i));
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(run.err, "") << "not kept is not lost: nothing for the user to see";
  }
  EXPECT_FALSE(world.spool_empty()) << "the broker kept none: all wait in the spool";
  EXPECT_NE(hbtest::read_file(world.hook_log()).find("HTTP 503"), std::string::npos)
      << hbtest::read_file(world.hook_log());
  // spool_replay offers the first again and again; the gate fails it every time.
  ASSERT_TRUE(world.broker().wait_for_log("not drained: fixture_gate_sink could not keep the event: the gate is closed",
                                          hbtest::scaled(10s)))
      << world.all_broker_output();
  EXPECT_TRUE(gated.stored_ids().empty());
  EXPECT_FALSE(world.spool_empty());

  gated.open_gate();  // the broker takes events again
  ASSERT_TRUE(hbtest::wait_until([&] { return world.spool_empty() && gated.stored_ids().size() >= kEvents; },
                                 hbtest::scaled(20s), 50ms))
      << gated.stored_ids().size() << " stored\n" << world.all_broker_output();
  std::this_thread::sleep_for(500ms);  // anything late (a second copy) shows up now

  const auto ids = gated.stored_ids();
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << "each stored once";
  expect_each_exactly_once(world, "gated", kEvents);
  EXPECT_EQ(world.broker().count_log("not drained"), 1u) << "logged when it starts, not at every retry";
  EXPECT_TRUE(world.broker().wait_for_log("drains again", 2s)) << world.all_broker_output();
}

TEST(HookForwarderNotKept, A507IsSpooledAsNotDeliveredAndAlsoReplayedAfterABrokerRestart) {
  GatedWorld gated("full 1");
  ForwarderWorld& world = gated.world;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(world.run_hook(forwarder_it::hook_payload("full", "full", i)).exit_code, 0);
  EXPECT_NE(hbtest::read_file(world.hook_log()).find("HTTP 507"), std::string::npos);
  // The broker journaled the first event's id as taken live, but answered
  // 507: after a crash the replay must still store it.
  EXPECT_EQ(lines_of(world.spool_dir() + "/accepted-ids.log").size(), 1u) << "the scenario needs the journaled id";
  world.stop_broker(SIGKILL);
  gated.open_gate();
  gated.start_broker();
  ASSERT_TRUE(hbtest::wait_until([&] { return world.spool_empty() && gated.stored_ids().size() >= 3; },
                                 hbtest::scaled(20s), 50ms))
      << world.all_broker_output();
  const auto ids = gated.stored_ids();
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 3u);
}

TEST(HookForwarderNotKept, AnEventLostWithTheLogUnwritableIsToldOnStderrWithExitCode1) {
  ForwarderWorld world;  // no broker
  hbtest::TempDir files;
  hbtest::write_file(files.file("a-file"), "");
  auto env = world.hook_env();
  env["HOOKBROKER_SPOOL_DIR"] = files.file("a-file") + "/spool";  // under a regular file: cannot exist
  env["HOOKBROKER_HOOK_LOG"] = files.file("a-file") + "/hook.log";
  const auto run = forwarder_it::run_with_input({forwarder_it::bin("hookbroker-hook"), "--emit-continue"},
                                                forwarder_it::hook_payload("lost", "lost", 0), env);
  EXPECT_EQ(run.exit_code, 1) << "non-blocking for Claude Code (2 would block the tool call)";
  EXPECT_NE(run.err.find("hookbroker-hook: event "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("LOST"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("the log cannot be written"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("hookbroker doctor"), std::string::npos) << run.err;
  EXPECT_LT(run.took, 5s);

  // With a log to say it in, the loss goes there and the hook stays silent.
  env["HOOKBROKER_HOOK_LOG"] = files.file("hook.log");
  const auto logged = forwarder_it::run_with_input({forwarder_it::bin("hookbroker-hook")},
                                                   forwarder_it::hook_payload("lost", "lost", 1), env);
  EXPECT_EQ(logged.exit_code, 0);
  EXPECT_EQ(logged.err, "");
  EXPECT_NE(hbtest::read_file(files.file("hook.log")).find("LOST"), std::string::npos);
}

}  // namespace
