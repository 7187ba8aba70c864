// The built sessions_memory.so, loaded as the core loads it: manifest first,
// then create, then the kinds through their accessors.
#include <gtest/gtest.h>

#include <future>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/session_tracker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"

namespace {

using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;

class SessionsMemoryPlugin : public ::testing::Test {
 protected:
  LoadedPlugin library_{SESSIONS_MEMORY_PLUGIN_PATH};
};

TEST_F(SessionsMemoryPlugin, ManifestDeclaresTrackerContributorKeysAndOptions) {
  const auto& m = library_.manifest();
  EXPECT_EQ(m.abi_major, HOOKBROKER_ABI_MAJOR);
  EXPECT_EQ(m.name, "sessions_memory");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_SESSION_TRACKER | HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  EXPECT_EQ(m.heartbeat_keys, "active_sessions,sessions_summary,usage");
  std::map<std::string, std::string> defaults;
  for (const auto& o : m.options) defaults[o.name] = o.default_json;
  EXPECT_EQ(defaults, (std::map<std::string, std::string>{{"expire_after_s", "3600"},
                                                         {"completed_grace_s", "300"},
                                                         {"stale_after_s", "600"},
                                                         {"max_sessions", "10000"},
                                                         {"max_agents", "32"},
                                                         {"max_tool_calls", "200"},
                                                         {"last_message_max_chars", "500"},
                                                         {"last_prompt_max_chars", "200"},
                                                         {"heartbeat_max_sessions", "100"}}));
}

TEST_F(SessionsMemoryPlugin, OldOptionNamesLoadWithAWarningAndBothNamesAreRefused) {
  // LoadedPlugin applies the manifest's table as the core does.
  FakeHost host("sessions_memory");
  auto plugin = library_.create(host, {{"expire_after", 600}, {"completed_grace", 10}});
  ASSERT_TRUE(plugin);
  EXPECT_TRUE(host.has_log(hookbroker::LogLevel::Warn,
                           "plugins.sessions_memory.config.expire_after is deprecated: use "
                           "plugins.sessions_memory.config.expire_after_s"));
  EXPECT_TRUE(host.has_log(hookbroker::LogLevel::Warn, "config.completed_grace is deprecated"));
  EXPECT_EQ(host.count_logs(hookbroker::LogLevel::Warn), 2u);

  FakeHost other("sessions_memory");
  try {
    library_.create(other, {{"expire_after", 600}, {"expire_after_s", 600}});
    ADD_FAILURE() << "both names of one option were accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("plugins.sessions_memory.config.expire_after and "
                                         "plugins.sessions_memory.config.expire_after_s are both given"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(library_.create(other, {{"expire_aftr", 600}}), std::runtime_error);
}

TEST_F(SessionsMemoryPlugin, HeartbeatListsNewestSessionsUpToTheCapAndCountsTheRest) {
  FakeHost host("sessions_memory");
  auto plugin = library_.create(host, {{"heartbeat_max_sessions", 2}});
  ASSERT_TRUE(plugin);
  host.on_strand([&] { plugin->start(); });
  auto* tracker = plugin.session_tracker();
  auto* contributor = plugin.heartbeat_contributor();
  ASSERT_NE(tracker, nullptr);
  ASSERT_NE(contributor, nullptr);
  EXPECT_EQ(plugin.hook_handler(), nullptr);

  for (const char* id : {"s1", "s2", "s3"}) tracker->touch({id, "", "", "", ""});
  tracker->delegate("s2", "engineer", "");
  tracker->end("s1");

  const auto values = host.on_strand([&] { return contributor->contribute(); });
  EXPECT_FALSE(values.contains("active_sessions")) << "the list comes as text, not as a tree to copy";
  const auto data = host.on_strand([&] { return plugin.heartbeat_data(); });
  ASSERT_EQ(data.size(), 3u) << data.dump();
  EXPECT_EQ(data["usage"]["sessions"], 0u) << "no telemetry, no spend";
  EXPECT_EQ(data["usage"]["cost_usd"], 0.0);
  const auto& listed = data["active_sessions"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["session_id"], "s1");  // ended last: most recent activity
  EXPECT_EQ(listed[1]["session_id"], "s2");
  EXPECT_EQ(data["sessions_summary"],
            (nlohmann::json{{"total", 3}, {"listed", 2}, {"omitted", 1}, {"active", 1},
                            {"delegated", 1}, {"completed", 1}, {"stale", 0}, {"background_running", 0},
                            {"by_activity", {{"ended", 1}, {"working", 2}}}}));
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SessionsMemoryPlugin, ZeroCapListsEverySession) {
  FakeHost host("sessions_memory");
  auto plugin = library_.create(host, {{"heartbeat_max_sessions", 0}});
  ASSERT_TRUE(plugin);
  for (int i = 0; i < 1200; ++i) plugin.session_tracker()->touch({"s" + std::to_string(i), "", "", "", ""});
  const auto data = plugin.heartbeat_data();
  EXPECT_EQ(data["active_sessions"].size(), 1200u);
  EXPECT_EQ(data["sessions_summary"]["omitted"], 0);
}

hookbroker::HttpResponse call(FakeHost& host, const std::string& method, const std::string& path,
                              const std::string& body = "") {
  hookbroker::HttpRequest r;
  r.method = method;
  r.path = path;
  r.body = body;
  auto answer = host.call_http(r);
  return answer ? *answer : hookbroker::HttpResponse::error(404, "no route");
}

TEST_F(SessionsMemoryPlugin, SessionApiRoutesDriveTheTracker) {
  FakeHost host("sessions_memory");
  auto plugin = library_.create(host, nlohmann::json::object());
  host.on_strand([&] { plugin->start(); });
  auto r = call(host, "POST", "/api/sessions/s1/start", R"({"agent":"pm"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["session"]["agent"], "pm");
  r = call(host, "POST", "/api/sessions/s1/delegate", R"({"agent":"engineer"})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body)["session"]["status"], "delegated");
  EXPECT_EQ(call(host, "POST", "/api/sessions/s1/delegate", "{}").status, 400);
  EXPECT_EQ(call(host, "POST", "/api/sessions/s1/delegate", R"({"agent":3})").status, 400);
  EXPECT_EQ(call(host, "POST", "/api/sessions/s1/delegate", "nope").status, 400);
  EXPECT_EQ(call(host, "POST", "/api/sessions/zz/delegate", R"({"agent":"x"})").status, 404);
  EXPECT_EQ(call(host, "POST", "/api/sessions/zz/end").status, 404);
  r = call(host, "GET", "/api/sessions");
  EXPECT_EQ(nlohmann::json::parse(r.body)["count"], 1);
  EXPECT_EQ(call(host, "POST", "/api/sessions/s1/end").status, 200);
  EXPECT_EQ(call(host, "POST", "/api/sessions/a%2Fb/start").status, 200);
  EXPECT_FALSE(plugin.session_tracker()->find("a/b").is_null());
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SessionsMemoryPlugin, OneSessionByHttpAndBySocketIoWithAgentsAndTools) {
  FakeHost host("sessions_memory");
  auto plugin = library_.create(host, nlohmann::json::object());
  host.on_strand([&] { plugin->start(); });
  auto* tracker = plugin.session_tracker();
  ASSERT_TRUE(tracker->apply({{"session_id", "s1"},
                              {"agent_id", "a1"},
                              {"agent_type", "Explore"},
                              {"subagent", "started"}}));
  ASSERT_TRUE(tracker->apply({{"session_id", "s1"},
                              {"agent_id", "a1"},
                              {"tool", {{"phase", "start"}, {"tool_use_id", "t1"}, {"tool_name", "Grep"}}}}));

  auto r = call(host, "GET", "/api/sessions/s1");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto session = nlohmann::json::parse(r.body)["session"];
  EXPECT_EQ(session["agents"][1]["agent_id"], "a1");
  EXPECT_EQ(session["tools"]["in_flight"][0]["agent_id"], "a1");
  r = call(host, "GET", "/api/sessions/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(nlohmann::json::parse(r.body)["error"].get<std::string>().find("unknown session 'nope'"),
            std::string::npos);
  EXPECT_EQ(call(host, "GET", "/api/sessions/" + std::string(hookbroker::kMaxSessionIdLength + 1, 'x')).status, 400);
  EXPECT_FALSE(nlohmann::json::parse(call(host, "GET", "/api/sessions").body)["sessions"][0].contains("agents"))
      << "the list stays compact";

  auto ask = [&](const nlohmann::json& args) {
    std::promise<nlohmann::json> answer;
    EXPECT_TRUE(host.handle_client_request("get_session", {}, args,
                                           [&](nlohmann::json ack) { answer.set_value(std::move(ack)); }));
    auto f = answer.get_future();
    EXPECT_TRUE(host.run_until([&] { return f.wait_for(std::chrono::seconds(0)) == std::future_status::ready; }));
    return f.get();
  };
  EXPECT_EQ(ask(nlohmann::json::array({"s1"})), nlohmann::json::array({{{"session", session}}}));
  EXPECT_EQ(ask(nlohmann::json::array({{{"session_id", "s1"}}}))[0]["session"]["session_id"], "s1");
  EXPECT_NE(ask(nlohmann::json::array({"nope"}))[0]["error"].get<std::string>().find("unknown session"), std::string::npos);
  EXPECT_NE(ask(nlohmann::json::array())[0]["error"].get<std::string>().find("get_session needs"), std::string::npos);
  EXPECT_NE(ask(nlohmann::json::array({42}))[0]["error"].get<std::string>().find("get_session needs"), std::string::npos);
  host.on_strand([&] { plugin->stop(); });
}

}  // namespace
