// hookbroker-hook as Claude Code runs it, against the real broker: it always
// exits 0 and prints nothing (or exactly one {"continue": true}), whatever
// happens, and every event reaches the broker, now or after a replay.
#include <gtest/gtest.h>

#include "forwarder_world.hpp"
#include "json_lines.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using forwarder_it::ForwarderWorld;
using forwarder_it::hook_payload;
using forwarder_it::HookRun;
using namespace std::chrono_literals;

void expect_silent_success(const HookRun& run) {
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");
}

TEST(HookForwarder, DeliversAHookEventWithItsIdAndPrintsNothing) {
  ForwarderWorld world;
  world.start_broker();
  expect_silent_success(world.run_hook(hook_payload("sess-a", "s", 1)));
  ASSERT_TRUE(world.wait_for_events(1, hbtest::scaled(5s)));
  const auto e = world.hook_events()[0];
  EXPECT_EQ(e["session_id"], "sess-a");
  EXPECT_EQ(e["subtype"], "pre_tool");
  EXPECT_EQ(e["data"]["seq"], 1);
  EXPECT_EQ(e["event_id"].get<std::string>().size(), 32u);
  EXPECT_FALSE(e.value("replayed", false)) << e.dump() << hbtest::read_file(world.hook_log());
  EXPECT_TRUE(world.spool_empty());
}

TEST(HookForwarder, BrokerDownSpoolsSilentlyAndTheBrokerReplaysInOrderWhenItStarts) {
  ForwarderWorld world;
  world.start_broker();  // learn a port, then go away
  world.stop_broker();
  for (int i = 0; i < 5; ++i) expect_silent_success(world.run_hook(hook_payload("sess-b", "s", i)));
  EXPECT_FALSE(world.spool_empty());
  EXPECT_NE(hbtest::read_file(world.hook_log()).find("spooled"), std::string::npos);
  const auto before_restart = std::chrono::system_clock::now();

  world.start_broker();
  ASSERT_TRUE(world.wait_for_events(5, hbtest::scaled(10s)));
  const auto events = world.hook_events();
  ASSERT_EQ(events.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(events[i]["data"]["seq"], i);
    EXPECT_EQ(events[i]["replayed"], true);
    // The original time of the hook, not the replay's.
    EXPECT_LT(hbtest::parse_iso8601(events[i]["timestamp"]), before_restart);
  }
  EXPECT_TRUE(hbtest::wait_until([&] { return world.spool_empty(); }, 5s));
}

TEST(HookForwarder, BadInputIsForwardedWrappedAndPrintsNothing) {
  ForwarderWorld world;
  world.start_broker();
  expect_silent_success(world.run_hook("this is not json {"));
  ASSERT_TRUE(world.wait_for_events(1, hbtest::scaled(5s)));
  const auto e = world.hook_events()[0];
  EXPECT_EQ(e["type"], "hook_forwarder");
  EXPECT_EQ(e["subtype"], "invalid_input");
  EXPECT_EQ(e["data"]["raw"], "this is not json {");
  EXPECT_NE(e["data"]["error"].get<std::string>().find("invalid JSON"), std::string::npos);
}

TEST(HookForwarder, OversizedInputIsForwardedTruncatedWithAMarkerAndPrintsNothing) {
  ForwarderWorld world;
  world.start_broker();
  const std::string big = R"({"session_id":"sess-c","hook_event_name":"PostToolUse","tool_response":")" +
                          std::string(3 << 20, 'x') + "\"}";
  const auto run = world.run_hook(big);
  expect_silent_success(run);
  ASSERT_TRUE(world.wait_for_events(1, hbtest::scaled(5s)));
  const auto e = world.hook_events()[0];
  EXPECT_EQ(e["session_id"], "sess-c");  // still attributed to its session
  const auto& marker = e["data"]["hookbroker_truncated"];
  EXPECT_EQ(marker["received_bytes"], big.size());
  EXPECT_EQ(marker["input_complete"], true);
  EXPECT_LE(marker["kept_bytes"].get<std::size_t>(), 256u * 1024);
}

TEST(HookForwarder, EmptyInputAndBrokerDownOversizedInputPrintNothingEither) {
  ForwarderWorld world;
  expect_silent_success(world.run_hook(""));
  expect_silent_success(world.run_hook(std::string(2 << 20, '{')));  // no broker at all
  expect_silent_success(world.run_hook("garbage"));
  EXPECT_FALSE(world.spool_empty());  // the last two wait for the broker
}

TEST(HookForwarder, EmitContinuePrintsExactlyOneLineInEveryCase) {
  ForwarderWorld world;
  const std::string expected = "{\"continue\": true}\n";
  auto down = world.run_hook(hook_payload("s", "s", 1), {"--emit-continue"});
  EXPECT_EQ(down.exit_code, 0);
  EXPECT_EQ(down.out, expected);
  world.start_broker();
  for (const std::string& input : {hook_payload("s", "s", 2), std::string("bad"), std::string()}) {
    auto run = world.run_hook(input, {"--emit-continue"});
    EXPECT_EQ(run.exit_code, 0);
    EXPECT_EQ(run.out, expected);
    EXPECT_EQ(run.err, "");
  }
}

TEST(HookForwarder, UnknownArgumentsNeverFailTheHook) {
  ForwarderWorld world;
  world.start_broker();
  expect_silent_success(world.run_hook(hook_payload("s", "s", 1), {"--no-such-flag"}));
  EXPECT_TRUE(world.wait_for_events(1, hbtest::scaled(5s)));
  EXPECT_NE(hbtest::read_file(world.hook_log()).find("ignoring unknown arguments: --no-such-flag"), std::string::npos);
}

TEST(HookForwarder, ANewEventQueuesBehindSpooledOnesAndAsksTheBrokerToDrain) {
  ForwarderWorld world;
  // Only a drain request can drain here: no start-up drain, no polling.
  const std::vector<std::string> quiet = {"--set", "plugins.spool_replay.config.start_delay_s=60", "--set",
                                          "plugins.spool_replay.config.poll_interval_s=0"};
  world.start_broker(quiet);
  world.stop_broker();
  for (int i = 0; i < 3; ++i) expect_silent_success(world.run_hook(hook_payload("s", "s", i)));
  world.start_broker(quiet);
  EXPECT_FALSE(world.spool_empty());
  expect_silent_success(world.run_hook(hook_payload("s", "s", 3)));  // queues, then asks for a drain
  ASSERT_TRUE(world.wait_for_events(4, hbtest::scaled(10s)));
  const auto events = world.hook_events();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(events[i]["data"]["seq"], i);
  EXPECT_TRUE(hbtest::wait_until([&] { return world.spool_empty(); }, 5s));
}

TEST(HookForwarder, WithoutTheReplayPluginTheHookDrainsTheSpoolItself) {
  ForwarderWorld world;
  const std::vector<std::string> no_replay = {"--set", "plugins.spool_replay.enabled=false"};
  world.start_broker(no_replay);
  world.stop_broker();
  for (int i = 0; i < 3; ++i) expect_silent_success(world.run_hook(hook_payload("s", "s", i)));
  world.start_broker(no_replay);
  expect_silent_success(world.run_hook(hook_payload("s", "s", 3)));
  ASSERT_TRUE(world.wait_for_events(4, hbtest::scaled(10s)));
  const auto events = world.hook_events();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(events[i]["data"]["seq"], i);
  EXPECT_EQ(events[0]["replayed"], true);
  EXPECT_TRUE(world.spool_empty());
}

TEST(HookForwarder, AnEventTheBrokerRefusesForAWrongTokenIsKeptAndReplayed) {
  ForwarderWorld world;
  world.start_broker({"--token", "s3cret"});
  auto env = world.hook_env();
  // Without the token: 401, so the event is kept, not lost.
  auto run = forwarder_it::run_with_input({forwarder_it::bin("hookbroker-hook")}, hook_payload("s", "s", 1), env);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out, "");
  EXPECT_FALSE(world.spool_empty());
  env["HOOKBROKER_TOKEN"] = "s3cret";
  run = forwarder_it::run_with_input({forwarder_it::bin("hookbroker-hook")}, hook_payload("s", "s", 2), env);
  EXPECT_EQ(run.exit_code, 0);
  // The spooled event is replayed by the broker (no token needed inside) and
  // the new one follows it.
  ASSERT_TRUE(world.wait_for_events(2, hbtest::scaled(10s)));
  const auto events = world.hook_events();
  EXPECT_EQ(events[0]["data"]["seq"], 1);
  EXPECT_EQ(events[1]["data"]["seq"], 2);
}

}  // namespace
