// The hook events of Claude Code, as its hooks reference lists them.
#pragma once

#include <string>
#include <vector>

namespace hookbroker::claude {

struct HookEventInfo {
  const char* name;
  bool tool_matcher;  ///< its matcher selects tools ("*" = all); others take no matcher from us
  bool installed_by_default;
  const char* note;   ///< why it is left out by default, if it is
};

/// Every event Claude Code documents, in lifecycle order.
const std::vector<HookEventInfo>& claude_hook_events();

/// The info for `name`, or nullptr when Claude Code has no such event.
const HookEventInfo* find_hook_event(const std::string& name);

/// Names of the events installed when --events is not given.
std::vector<std::string> default_hook_events();

}  // namespace hookbroker::claude
