// Issue 14, acceptance 1, through the hook forwarder: the recorded modern
// lifecycle fed to hookbroker-hook on stdin, one hook process per step, as
// Claude Code runs it. After every step the broker's GET /api/sessions/{id}
// shows what the fixture expects: the forwarder adds nothing the session
// model would mistake for the hook's own fields.
#include <gtest/gtest.h>

#include "broker_http.hpp"
#include "forwarder_world.hpp"
#include "hook_fixtures.hpp"
#include "session_expectations.hpp"
#include "wait.hpp"

namespace forwarder_it {
namespace {

using nlohmann::json;

TEST(HookForwarderSessions, BackgroundSubagentLifecycleThroughTheForwarderShowsTheRightStateAfterEveryStep) {
  ForwarderWorld world;
  world.start_broker();
  const json fixture = load_hook_fixture("claude_code_background_lifecycle.json");
  const std::string id = fixture["session_id"];
  std::size_t n = 0;
  for (const auto& step : fixture["steps"]) {
    ++n;
    SCOPED_TRACE("step " + std::to_string(n) + ": " + step["step"].get<std::string>());
    const HookRun run = world.run_hook(step["event"].dump());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, "");
    // Delivered live, or (a slow machine) spooled and replayed: wait for it to count.
    json session;
    ASSERT_TRUE(hbtest::wait_until(
        [&] {
          session = sessions_it::BrokerHttp(world.port()).session(id);
          return session.is_object() && session.value("event_count", 0u) == n;
        },
        std::chrono::seconds(10)))
        << session.dump() << world.all_broker_output();
    const auto mismatches = hook_fixtures::session_mismatches(session, step["expect"]);
    EXPECT_TRUE(mismatches.empty()) << hook_fixtures::joined(mismatches) << "\nsession: " << session.dump(2);
  }
  EXPECT_EQ(world.stop_broker(), 0);
}

}  // namespace
}  // namespace forwarder_it
