// hookbroker's own entries in a settings.json "hooks" object: making them,
// recognising them, and installing or removing them without touching
// anything else.
//
// Recognition is by content, so nothing foreign has to be added to a hook
// entry: a "command" hook whose program is hookbroker-hook, or an "http" hook
// carrying the header X-Hookbroker-Installed-By (Claude Code sends it along;
// the broker ignores it).
//
// Install makes the file hold exactly one hookbroker entry for each selected
// event and none for the others: duplicates (what made the old system fire
// twice) are collapsed, and an entry already in place is left where it is so
// a second run changes nothing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::claude_settings {

inline constexpr const char* kInstalledByHeader = "X-Hookbroker-Installed-By";

struct HookSpec {
  enum class Mode { Command, Http };
  Mode mode = Mode::Command;
  std::string command;      ///< Command: shell command line running hookbroker-hook
  std::string url;          ///< Http: the broker's /api/events URL
  bool with_token = false;  ///< Http: send Authorization: Bearer $HOOKBROKER_TOKEN
  int timeout_s = 10;
};

/// The hook object for one event.
nlohmann::ordered_json make_hook_entry(const HookSpec& spec);

/// True for a hook object hookbroker installed (either mode).
bool is_hookbroker_hook(const nlohmann::ordered_json& hook);

/// Quotes a path for the shell when it needs it ('...' with ' escaped).
std::string shell_quote(const std::string& path);

struct EventChange {
  std::string event;
  enum class Kind { Added, Replaced, Removed, Unchanged } kind;
  int removed_duplicates = 0;  ///< extra hookbroker entries collapsed
};

struct ApplyResult {
  bool ok = false;
  std::string error;  ///< the "hooks" structure is not what Claude Code reads
  std::vector<EventChange> changes;
  bool changed() const;
};

/// Checks "hooks" has Claude Code's shape: {event: [{matcher?, hooks: [{type,...}]}]}.
/// "" when fine (or absent), else what is wrong where.
std::string check_hooks_structure(const nlohmann::ordered_json& settings);

/// Makes `settings` hold exactly one hookbroker entry for each of `events`
/// and none elsewhere.
ApplyResult install_hookbroker(nlohmann::ordered_json& settings, const std::vector<std::string>& events,
                               const HookSpec& spec);

/// Removes every hookbroker entry, and the matcher groups, event lists and
/// "hooks" object that only held them.
ApplyResult uninstall_hookbroker(nlohmann::ordered_json& settings);

/// Event name → number of hookbroker entries (events without any are absent).
std::map<std::string, int> count_hookbroker_hooks(const nlohmann::ordered_json& settings);

}  // namespace hookbroker::claude_settings
