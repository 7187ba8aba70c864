// examples/session-notes (plugin session_notes) loaded into the real broker.
#include <gtest/gtest.h>

#include "example_broker.hpp"

namespace {

using examples_it::ExampleBroker;
using json = nlohmann::json;
using namespace std::chrono_literals;

const char* kRules =
    R"(plugins.session_notes.config.rules=[)"
    R"({"cwd": "/home/*/src/webshop*", "note": "deploys to production", "labels": ["shop", "prod"]},)"
    R"({"cwd": "*/webshop/*", "note": "deploys to production", "labels": ["sub"]}])";

json session_start(const std::string& id, const std::string& cwd) {
  return {{"session_id", id}, {"cwd", cwd}, {"hook_event_name", "SessionStart"}, {"source", "startup"}};
}

TEST(SessionNotesExample, DescribePluginShowsItsConfigTable) {
  const auto result = hbtest::run_command({hbtest::broker_binary(), "--plugin-dir", examples_it::example_dir("session-notes"),
                                           "--describe-plugin", "session_notes"},
                                          10s);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const char* expected : {"session_notes 1.0.0", "heartbeat keys: session_notes", "plugins.session_notes.config",
                               "rules", "max_sessions  (an integer from 1 to 10000, default 50)",
                               "show_unmatched  (a boolean, default false)", "every matching rule applies"})
    EXPECT_NE(result.out.find(expected), std::string::npos) << "missing \"" << expected << "\" in:\n" << result.out;
}

TEST(SessionNotesExample, AnnotatesSessionsWhoseCwdMatchesARule) {
  ExampleBroker broker("session-notes", {"--set", kRules});
  ASSERT_GT(broker.process().port(), 0) << broker.process().output();
  ASSERT_EQ(broker.post_event(session_start("shop", "/home/dev/src/webshop")), 204);
  ASSERT_EQ(broker.post_event(session_start("shop-sub", "/home/dev/src/webshop/api")), 204);
  ASSERT_EQ(broker.post_event(session_start("other", "/tmp/elsewhere")), 204);

  const json data = broker.wait_for_heartbeat([](const json& d) {
    return d.contains("session_notes") && d["session_notes"]["sessions"].size() == 2;
  });
  ASSERT_FALSE(data.is_null()) << broker.process().output();
  const json& notes = data["session_notes"];
  EXPECT_EQ(notes["rules"], 2);
  EXPECT_FALSE(notes["sessions"].contains("other")) << notes.dump();
  EXPECT_EQ(notes["sessions"]["shop"]["cwd"], "/home/dev/src/webshop");
  EXPECT_EQ(notes["sessions"]["shop"]["notes"], json::array({"deploys to production"}));
  EXPECT_EQ(notes["sessions"]["shop"]["labels"], json::array({"shop", "prod"}));
  // Both rules match below the repo; the shared note appears once.
  EXPECT_EQ(notes["sessions"]["shop-sub"]["notes"], json::array({"deploys to production"}));
  EXPECT_EQ(notes["sessions"]["shop-sub"]["labels"], json::array({"shop", "prod", "sub"}));
  EXPECT_EQ(broker.process().stop(), 0);
}

TEST(SessionNotesExample, ShowUnmatchedListsEverySession) {
  ExampleBroker broker("session-notes", {"--set", kRules, "--set", "plugins.session_notes.config.show_unmatched=true"});
  ASSERT_GT(broker.process().port(), 0) << broker.process().output();
  ASSERT_EQ(broker.post_event(session_start("other", "/tmp/elsewhere")), 204);
  const json data = broker.wait_for_heartbeat(
      [](const json& d) { return d.contains("session_notes") && d["session_notes"]["sessions"].contains("other"); });
  ASSERT_FALSE(data.is_null()) << broker.process().output();
  EXPECT_EQ(data["session_notes"]["sessions"]["other"]["labels"], json::array());
  EXPECT_EQ(broker.process().stop(), 0);
}

TEST(SessionNotesExample, ABadRuleIsRefusedWithWhatToFix) {
  ExampleBroker broker("session-notes", {"--set", R"(plugins.session_notes.config.rules=[{"note": "no cwd"}])",
                                         "--set", "plugins.session_notes.required=true"});
  EXPECT_EQ(broker.process().wait_exit(10s), 2) << broker.process().output();
  EXPECT_NE(broker.process().output().find(R"(rules[0] needs a non-empty string "cwd")"), std::string::npos)
      << broker.process().output();
}

// The core's own check of the option table: a required plugin it refuses is exit 4.
TEST(SessionNotesExample, AnUnknownOptionIsRefusedBeforeThePluginStarts) {
  ExampleBroker broker("session-notes", {"--set", "plugins.session_notes.config.max_session=5",
                                         "--set", "plugins.session_notes.required=true"});
  EXPECT_EQ(broker.process().wait_exit(10s), 4) << broker.process().output();
  EXPECT_NE(broker.process().output().find("max_session"), std::string::npos) << broker.process().output();
}

}  // namespace
