// spool_replay in the real broker when its spool cannot be written: the
// plugin stays loaded, says so once, retries, and says when it works again.
#include <gtest/gtest.h>

#include "forwarder_world.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using forwarder_it::ForwarderWorld;
using namespace std::chrono_literals;

TEST(SpoolReplayBroker, AnUnwritableSpoolIsReportedRetriedAndRecovers) {
  ForwarderWorld world;
  hbtest::TempDir files;
  const std::string spool = files.file("in-the-way");
  hbtest::write_file(spool, "");  // a file where the directory should be
  world.start_broker({"--set", "plugins.spool_replay.config.dir=" + spool});
  EXPECT_TRUE(world.broker().wait_for_log("cannot keep accepted event ids in " + spool, 5s)) << world.all_broker_output();
  EXPECT_TRUE(world.broker().wait_for_log("plugin 'spool_replay' .* loaded", 5s)) << "not dropped";
  EXPECT_EQ(world.broker().count_log("spool_replay.*refused"), 0u);

  ::unlink(spool.c_str());  // fixed; the next poll (0.2 s) notices
  ASSERT_TRUE(world.broker().wait_for_log("keeping accepted event ids in " + spool + " again", hbtest::scaled(5s)))
      << world.all_broker_output();
  EXPECT_EQ(world.broker().count_log("cannot keep accepted event ids"), 1u) << "once, not at every poll";

  auto env = world.hook_env();
  env["HOOKBROKER_SPOOL_DIR"] = spool;
  const auto run = forwarder_it::run_with_input({forwarder_it::bin("hookbroker-hook")},
                                                forwarder_it::hook_payload("s", "journal", 0), env);
  ASSERT_EQ(run.exit_code, 0);
  ASSERT_TRUE(world.wait_for_events(1, hbtest::scaled(5s)));
  const std::string journal = hbtest::read_file(spool + "/accepted-ids.log");
  EXPECT_EQ(journal.size(), 33u) << "the live event's id is journaled: " << journal;
}

}  // namespace
