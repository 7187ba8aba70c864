// tool_usage: watches Claude Code's tool use as it flows through the broker.
//
// - Counts tool calls (PreToolUse) and failures (PostToolUse with an error,
//   PostToolUseFailure) per tool and per session, and adds them to every
//   heartbeat under its own key:
//     "tool_usage": {"total_calls": 7, "total_failures": 1,
//                    "by_tool": {"Bash": {"calls": 3, "failures": 1}, ...},
//                    "by_session": {"<session id>": {"Bash": {...}}, ...}}
// - When one tool fails `failure_threshold` times in a row in one session, it
//   publishes a claude_event {"type": "tool_usage", "subtype": "tool_failing", ...}.
// - Serves the same figures at GET /api/tool-stats. The broker checks the
//   token, Host and Origin before the handler runs: a plugin route needs no
//   authentication code of its own.
//
// It is an EventSink, not a HookHandler: see README.md for why.
#include <memory>
#include <string>

#include <hookbroker/hookbroker.hpp>

#include "tool_usage_counter.hpp"

namespace {

class ToolUsagePlugin final : public hookbroker::Plugin,
                              public hookbroker::EventSink,
                              public hookbroker::HeartbeatContributor {
 public:
  ToolUsagePlugin(hookbroker::HostApi& host, const nlohmann::json& config)
      : host_(host),
        counter_(config.at("failure_threshold").get<int>(), config.at("max_sessions").get<std::size_t>()) {}

  void start() override {
    // Runs on this plugin's strand, like consume(): the counter needs no lock.
    host_.add_http_route("GET", "/api/tool-stats", [this](const hookbroker::HttpRequest&, hookbroker::HttpReply reply) {
      reply(hookbroker::HttpResponse::json(200, counter_.snapshot()));
    });
  }

  // consume() and contribute() both run on this plugin's strand, so the
  // counter needs no lock.
  void consume(std::shared_ptr<const nlohmann::json> event, std::function<void()> done) override {
    // We keep nothing on disk, so the event is as safe as we make it right
    // away: call done() first, so a slow path here never delays the sender's 204.
    done();
    if (auto failure = counter_.observe(*event)) announce(*failure);
  }

  nlohmann::json contribute() override { return {{"tool_usage", counter_.snapshot()}}; }

 private:
  void announce(const tool_usage::RepeatedFailure& failure) {
    host_.warn("tool " + failure.tool_name + " failed " + std::to_string(failure.consecutive_failures) +
               " times in a row in session " + failure.session_id);
    hookbroker::Event event;
    event.type = "tool_usage";
    event.subtype = "tool_failing";
    event.session_id = failure.session_id;
    event.source = host_.plugin_name();
    event.data = {{"tool_name", failure.tool_name},
                  {"consecutive_failures", failure.consecutive_failures},
                  {"last_error", failure.last_error}};
    event.channel = hookbroker::kHookChannel;  // clients watching claude_event see it with the hooks
    host_.publish(std::move(event));
  }

  hookbroker::HostApi& host_;
  tool_usage::ToolUsageCounter counter_;
};

}  // namespace

HOOKBROKER_PLUGIN(ToolUsagePlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "tool_usage";
  info.version = "1.0.0";
  info.description = "Counts Claude Code tool calls per tool and session; flags a tool that keeps failing";
  info.heartbeat_keys = "tool_usage";
  info.options = {
      hookbroker::ranged_option("failure_threshold", hookbroker::ConfigType::Int, "3",
                                "Failures in a row of one tool in one session before a tool_failing event", 1, 1000),
      hookbroker::ranged_option("max_sessions", hookbroker::ConfigType::Int, "200",
                                "Sessions kept in by_session; the one idle the longest is dropped first", 1, 100000),
  };
  return info;
}())
