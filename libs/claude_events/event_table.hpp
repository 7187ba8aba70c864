// The hook events of Claude Code, one table: what `hookbroker install-hooks`
// installs and `hookbroker doctor` checks (through libs/claude_settings), and which
// events the hooks_claude plugin knows by name and broadcasts under a legacy
// subtype (event_names.hpp).
#pragma once

#include <string>
#include <vector>

namespace hookbroker::claude_events {

struct HookEventInfo {
  const char* name;            ///< as Claude Code writes it: "PreToolUse"
  const char* legacy_subtype;  ///< the Python system's broadcast name ("pre_tool") where it had one; else nullptr (snake_case of name)
  bool session_meaning;        ///< the hooks_claude plugin changes sessions on it (session_effects.cpp)
  bool tool_matcher;           ///< its matcher selects tools ("*" = all); others take no matcher from us
  bool installed_by_default;
  const char* note;            ///< why it is left out by default, if it is
};

/// Every event Claude Code documents, in lifecycle order.
const std::vector<HookEventInfo>& claude_hook_events();

/// The info for `name`, or nullptr when Claude Code has no such event.
const HookEventInfo* find_hook_event(const std::string& name);

/// Names of the events installed when --events is not given.
std::vector<std::string> default_hook_events();

}  // namespace hookbroker::claude_events
