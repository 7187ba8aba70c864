#include "claude_events/event_table.hpp"

namespace hookbroker::claude_events {

const std::vector<HookEventInfo>& claude_hook_events() {
  // From Claude Code's hooks reference (code.claude.com/docs/en/hooks), in its
  // lifecycle order. Not installed by default: WorktreeCreate (a hook on it
  // *replaces* git's worktree creation and must print the new path, which a
  // forwarder cannot do) and MessageDisplay (see its note).
  //  name                  legacy subtype  session tools  default
  static const std::vector<HookEventInfo> events = {
      {"SessionStart", "session_start", true, false, true, ""},
      {"Setup", nullptr, false, false, true, ""},
      {"InstructionsLoaded", nullptr, false, false, true, ""},
      {"UserPromptSubmit", "user_prompt", true, false, true, ""},
      {"UserPromptExpansion", nullptr, true, false, true, ""},
      {"MessageDisplay", nullptr, false, false, false,
       "fires for every few lines of every assistant message, and Claude Code holds each batch on screen until "
       "the hook returns; add it with --with-message-display"},
      {"PreToolUse", "pre_tool", true, true, true, ""},
      {"PermissionRequest", nullptr, true, true, true, ""},
      {"PermissionDenied", nullptr, true, true, true, ""},
      {"PostToolUse", "post_tool", true, true, true, ""},
      {"PostToolUseFailure", nullptr, true, true, true, ""},
      {"PostToolBatch", nullptr, true, false, true, ""},
      {"Notification", "notification", true, false, true, ""},
      {"SubagentStart", "subagent_start", true, false, true, ""},
      {"SubagentStop", "subagent_stop", true, false, true, ""},
      {"TaskCreated", nullptr, false, false, true, ""},
      {"TaskCompleted", nullptr, false, false, true, ""},
      {"Stop", "stop", true, false, true, ""},
      {"StopFailure", nullptr, true, false, true, ""},
      {"TeammateIdle", nullptr, false, false, true, ""},
      {"ConfigChange", nullptr, false, false, true, ""},
      {"CwdChanged", nullptr, false, false, true, ""},
      {"DirectoryAdded", nullptr, false, false, true, ""},
      {"FileChanged", nullptr, false, false, true, ""},
      {"WorktreeCreate", nullptr, false, false, false,
       "a WorktreeCreate hook replaces git's worktree creation and must print the new path"},
      {"WorktreeRemove", nullptr, false, false, true, ""},
      {"PreCompact", nullptr, true, false, true, ""},
      {"PostCompact", nullptr, true, false, true, ""},
      {"PreModelSwitch", nullptr, false, false, true, ""},
      {"PostModelSwitch", nullptr, true, false, true, ""},
      {"Elicitation", nullptr, true, false, true, ""},
      {"ElicitationResult", nullptr, true, false, true, ""},
      {"SessionEnd", "session_end", true, false, true, ""},
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

}  // namespace hookbroker::claude_events
