// The built mpm_compat.so, loaded as the core loads it: off by default, and
// once started it greets, filters and serves what claude-mpm's dashboard needs.
#include <gtest/gtest.h>

#include <climits>
#include <cstdlib>

#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"
#include "temp_dir.hpp"

namespace {

using hookbroker::HttpRequest;
using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;
using nlohmann::json;

/// A tracker that knows the sessions it is given (only list() matters here).
class ListedSessions final : public hookbroker::SessionTracker {
 public:
  explicit ListedSessions(json sessions) : sessions_(std::move(sessions)) {}
  void touch(const hookbroker::SessionActivity&) override {}
  void start(const std::string&, const std::string&) override {}
  bool delegate(const std::string&, const std::string&, const std::string&) override { return false; }
  bool complete_delegation(const std::string&, const std::string&, const std::string&) override { return false; }
  bool set_activity(const std::string&, const std::string&) override { return false; }
  bool end(const std::string&) override { return false; }
  json list(std::size_t) const override { return sessions_; }
  json find(const std::string&) const override { return nullptr; }
  std::size_t size() const override { return sessions_.size(); }

 private:
  json sessions_;
};

HttpRequest get(const std::string& path, const std::string& query = "") {
  HttpRequest r;
  r.method = "GET";
  r.path = path;
  r.query = query;
  return r;
}

TEST(MpmCompatPlugin, IsOffByDefaultAndServesNoKindOfItsOwn) {
  LoadedPlugin library(MPM_COMPAT_PLUGIN_PATH);
  const auto& m = library.manifest();
  EXPECT_EQ(m.name, "mpm_compat");
  EXPECT_EQ(m.kinds, 0u);
  EXPECT_FALSE(m.enabled_by_default());
  EXPECT_EQ(m.options.size(), 4u);
}

TEST(MpmCompatPlugin, StartedItGreetsFiltersAndAnswersStatusAsClaudeMpm) {
  LoadedPlugin library(MPM_COMPAT_PLUGIN_PATH);
  FakeHost host("mpm_compat");
  host.set_status({{"service", "hookbroker"}, {"uptime_seconds", 7}});
  auto plugin = library.create(host, json::object());
  host.on_strand([&] { plugin->start(); });

  const json history = {{"events", {{{"type", "hook"}, {"subtype", "stop"}}}}, {"count", 1}};
  const auto greetings = host.greetings_for({"sid", "websocket", "127.0.0.1:1", ""}, history);
  ASSERT_EQ(greetings.size(), 1u);
  EXPECT_EQ(greetings[0].name, "event_history");
  EXPECT_EQ(greetings[0].payload["events"], history["events"]);
  EXPECT_EQ(greetings[0].payload["total_available"], 1);

  const auto [channel, beat] = host.shape_broadcast("system_event", {{"type", "system"}, {"subtype", "heartbeat"}});
  EXPECT_EQ(channel, "heartbeat");
  const auto [hook_channel, tool] = host.shape_broadcast(
      "claude_event", {{"type", "hook"}, {"data", {{"tool_use_id", "t1"}, {"tool_input", {{"command", "ls"}}}}}});
  EXPECT_EQ(tool["correlation_id"], "t1");
  EXPECT_EQ(tool["data"]["tool_parameters"]["command"], "ls");

  EXPECT_EQ(host.status()["service"], "claude-mpm-monitor");
  EXPECT_EQ(host.status()["uptime"], 7);
}

TEST(MpmCompatPlugin, AnswersTheDashboardsRoutesAnd501ForItsConfiguration) {
  hbtest::TempDir dir;
  char real[PATH_MAX];
  ASSERT_NE(::realpath(dir.path().c_str(), real), nullptr);
  hbtest::write_file(std::string(real) + "/notes.md", "hello\n");
  ListedSessions sessions(json::array({{{"session_id", "s1"}, {"cwd", real}}}));
  LoadedPlugin library(MPM_COMPAT_PLUGIN_PATH);
  FakeHost host("mpm_compat");
  host.set_sessions(&sessions);
  auto plugin = library.create(host, json::object());
  host.on_strand([&] { plugin->start(); });

  const auto wd = host.call_http(get("/api/working-directory"));
  ASSERT_TRUE(wd);
  EXPECT_EQ(json::parse(wd->body)["working_directory"], real);

  const auto read = host.call_http(get("/api/file/read", "path=" + std::string(real) + "/notes.md"));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->status, 200) << read->body;
  EXPECT_EQ(json::parse(read->body)["content"], "hello\n");

  const auto refused = host.call_http(get("/api/file/read", "path=/etc/passwd"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  for (const char* path : {"/api/config/agents/deployed", "/api/config/skills/available"}) {
    const auto answer = host.call_http(get(path));
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ(answer->status, 501);
    const json body = json::parse(answer->body);
    EXPECT_EQ(body["success"], false);
    EXPECT_NE(body["error"].get<std::string>().find("does not manage claude-mpm's agents"), std::string::npos);
  }
  const auto config = host.call_http(get("/api/config"));
  ASSERT_TRUE(config);
  EXPECT_EQ(json::parse(config->body)["workingDirectory"], real);
}

}  // namespace
