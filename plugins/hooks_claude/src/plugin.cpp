// hooks_claude: understands Claude Code hook events (and the Python
// system's hook forms) and keeps the session tracker up to date.
#include "claude_hook_handler.hpp"
#include "hookbroker/hookbroker.hpp"

namespace hookbroker::claude {

class HooksClaudePlugin final : public Plugin, public HookHandler {
 public:
  HooksClaudePlugin(HostApi& host, const nlohmann::json& config)
      : handler_(host, HandlerOptions::from_config(config)) {}

  HookOutcome handle(const nlohmann::json& raw, const IngestContext& context) override {
    return handler_.handle(raw, context);
  }

 private:
  ClaudeHookHandler handler_;
};

}  // namespace hookbroker::claude

HOOKBROKER_PLUGIN(hookbroker::claude::HooksClaudePlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "hooks_claude";
  info.version = "1.1.0";
  info.description = "Claude Code hook events: every event kind, what each means for its session (agents, tool calls, "
      "attention), duplicate deliveries, prompt redaction";
  info.options = hookbroker::claude::HandlerOptions::table();
  return info;
}())
