// The built hooks_claude.so, loaded as the core loads it.
#include <gtest/gtest.h>

#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"

namespace {

using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;

TEST(HooksClaudePlugin, ManifestDeclaresAHookHandlerWithDedupAndRedactionOptions) {
  LoadedPlugin library(HOOKS_CLAUDE_PLUGIN_PATH);
  const auto& m = library.manifest();
  EXPECT_EQ(m.name, "hooks_claude");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_HOOK_HANDLER);
  EXPECT_EQ(m.heartbeat_keys, "");
  std::map<std::string, std::string> defaults;
  for (const auto& o : m.options) defaults[o.name] = o.default_json;
  EXPECT_EQ(defaults, (std::map<std::string, std::string>{{"dedup_window_s", "2"},
                                                         {"dedup_max_bytes", "8388608"},
                                                         {"redact_prompts", "false"}}));
}

TEST(HooksClaudePlugin, HandlesHookJsonAndHonoursAZeroDedupWindow) {
  LoadedPlugin library(HOOKS_CLAUDE_PLUGIN_PATH);
  FakeHost host("hooks_claude");
  auto plugin = library.create(host, {{"dedup_window_s", 0}});
  auto* handler = plugin.hook_handler();
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(plugin.session_tracker(), nullptr);
  const nlohmann::json raw = {{"hook_event_name", "Stop"}, {"session_id", "s1"}};
  for (int i = 0; i < 2; ++i) {
    const auto out = host.on_strand([&] { return handler->handle(raw, {}); });
    EXPECT_EQ(out.verdict, hookbroker::HookOutcome::Verdict::Accepted);
    EXPECT_EQ(out.event.subtype, "stop");
  }
  const auto foreign = host.on_strand([&] { return handler->handle({{"type", "custom"}}, {}); });
  EXPECT_EQ(foreign.verdict, hookbroker::HookOutcome::Verdict::NotMine);
}

}  // namespace
