#include "claude_settings/claude_hook_events.hpp"

namespace hookbroker::claude {

const std::vector<HookEventInfo>& claude_hook_events() {
  // From Claude Code's hooks reference. WorktreeCreate is not installed by
  // default: a hook on it *replaces* git's worktree creation and must print
  // the new path, which a forwarder cannot do.
  static const std::vector<HookEventInfo> events = {
      {"SessionStart", false, true, ""},
      {"Setup", false, true, ""},
      {"InstructionsLoaded", false, true, ""},
      {"UserPromptSubmit", false, true, ""},
      {"PreToolUse", true, true, ""},
      {"PermissionRequest", true, true, ""},
      {"PermissionDenied", true, true, ""},
      {"PostToolUse", true, true, ""},
      {"PostToolUseFailure", true, true, ""},
      {"Notification", false, true, ""},
      {"SubagentStart", false, true, ""},
      {"SubagentStop", false, true, ""},
      {"TaskCreated", false, true, ""},
      {"TaskCompleted", false, true, ""},
      {"Stop", false, true, ""},
      {"StopFailure", false, true, ""},
      {"TeammateIdle", false, true, ""},
      {"ConfigChange", false, true, ""},
      {"CwdChanged", false, true, ""},
      {"FileChanged", false, true, ""},
      {"WorktreeCreate", false, false,
       "a WorktreeCreate hook replaces git's worktree creation and must print the new path"},
      {"WorktreeRemove", false, true, ""},
      {"PreCompact", false, true, ""},
      {"PostCompact", false, true, ""},
      {"Elicitation", false, true, ""},
      {"ElicitationResult", false, true, ""},
      {"SessionEnd", false, true, ""},
  };
  return events;
}

const HookEventInfo* find_hook_event(const std::string& name) {
  for (const auto& e : claude_hook_events())
    if (name == e.name) return &e;
  return nullptr;
}

std::vector<std::string> default_hook_events() {
  std::vector<std::string> names;
  for (const auto& e : claude_hook_events())
    if (e.installed_by_default) names.emplace_back(e.name);
  return names;
}

}  // namespace hookbroker::claude
