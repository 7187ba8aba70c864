#include "claude_settings/hookbroker_entries.hpp"

#include <algorithm>

#include "claude_events/event_table.hpp"

namespace hookbroker::claude_settings {
namespace {

using json = nlohmann::ordered_json;

/// The program of a command line: first word, unquoted, without directory.
std::string program_name(const std::string& command) {
  std::string word;
  std::size_t i = command.find_first_not_of(" \t");
  if (i == std::string::npos) return {};
  if (command[i] == '\'' || command[i] == '"') {
    const char quote = command[i];
    const std::size_t end = command.find(quote, i + 1);
    word = command.substr(i + 1, end == std::string::npos ? std::string::npos : end - i - 1);
  } else {
    const std::size_t end = command.find_first_of(" \t", i);
    word = command.substr(i, end == std::string::npos ? std::string::npos : end - i);
  }
  const std::size_t slash = word.rfind('/');
  return slash == std::string::npos ? word : word.substr(slash + 1);
}

json group_for(const std::string& event, const json& entry) {
  json group = json::object();
  const claude_events::HookEventInfo* info = claude_events::find_hook_event(event);
  if (info && info->tool_matcher) group["matcher"] = "*";
  group["hooks"] = json::array({entry});
  return group;
}

/// Removes hookbroker hooks from one event's groups; drops groups that only
/// held them. Returns how many were removed.
int remove_from_event(json& groups) {
  int removed = 0;
  for (auto g = groups.begin(); g != groups.end();) {
    json& hooks = (*g)["hooks"];
    const std::size_t before = hooks.size();
    for (auto h = hooks.begin(); h != hooks.end();) {
      if (is_hookbroker_hook(*h)) {
        h = hooks.erase(h);
        ++removed;
      } else {
        ++h;
      }
    }
    if (hooks.empty() && before > 0) g = groups.erase(g);
    else ++g;
  }
  return removed;
}

}  // namespace

bool ApplyResult::changed() const {
  for (const auto& c : changes)
    if (c.kind != EventChange::Kind::Unchanged || c.removed_duplicates) return true;
  return false;
}

std::string shell_quote(const std::string& path) {
  if (path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@") ==
      std::string::npos)
    return path;
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

json make_hook_entry(const HookSpec& spec) {
  json hook = json::object();
  if (spec.mode == HookSpec::Mode::Command) {
    hook["type"] = "command";
    hook["command"] = spec.command;
    hook["timeout"] = spec.timeout_s;
  } else {
    hook["type"] = "http";
    hook["url"] = spec.url;
    hook["timeout"] = spec.timeout_s;
    json headers = json::object();
    headers[kInstalledByHeader] = "hookbroker install-hooks";
    if (spec.with_token) headers["Authorization"] = "Bearer $HOOKBROKER_TOKEN";
    hook["headers"] = headers;
    if (spec.with_token) hook["allowedEnvVars"] = json::array({"HOOKBROKER_TOKEN"});
  }
  return hook;
}

bool is_hookbroker_hook(const json& hook) {
  if (!hook.is_object()) return false;
  const auto type = hook.find("type");
  if (type == hook.end() || !type->is_string()) return false;
  if (*type == "command") {
    const auto command = hook.find("command");
    return command != hook.end() && command->is_string() && program_name(*command) == "hookbroker-hook";
  }
  if (*type == "http") {
    const auto headers = hook.find("headers");
    return headers != hook.end() && headers->is_object() && headers->contains(kInstalledByHeader);
  }
  return false;
}

std::string check_hooks_structure(const json& settings) {
  const auto hooks = settings.find("hooks");
  if (hooks == settings.end()) return {};
  if (!hooks->is_object()) return "\"hooks\" is not an object";
  for (auto e = hooks->begin(); e != hooks->end(); ++e) {
    const std::string where = "hooks." + e.key();
    if (!e.value().is_array()) return where + " is not a list of matcher groups";
    for (std::size_t i = 0; i < e.value().size(); ++i) {
      const json& group = e.value()[i];
      const std::string at = where + "[" + std::to_string(i) + "]";
      if (!group.is_object()) return at + " is not an object like {\"matcher\": ..., \"hooks\": [...]}";
      const auto list = group.find("hooks");
      if (list == group.end() || !list->is_array()) return at + ".hooks is missing or not a list";
    }
  }
  return {};
}

ApplyResult install_hookbroker(json& settings, const std::vector<std::string>& events, const HookSpec& spec) {
  ApplyResult result;
  result.error = check_hooks_structure(settings);
  if (!result.error.empty()) return result;
  const json entry = make_hook_entry(spec);
  const bool had_hooks = settings.contains("hooks");
  json& hooks = settings["hooks"];
  if (!had_hooks) hooks = json::object();

  auto selected = [&](const std::string& name) {
    return std::find(events.begin(), events.end(), name) != events.end();
  };
  // Events present in the file first (unselected ones lose our entries),
  // then selected events the file does not have yet, in the order given.
  std::vector<std::string> present;
  for (auto e = hooks.begin(); e != hooks.end(); ++e) present.push_back(e.key());
  for (const std::string& name : present) {
    json& groups = hooks[name];
    const auto counts = count_hookbroker_hooks(json{{"hooks", {{name, groups}}}});
    const int mine = counts.count(name) ? counts.at(name) : 0;
    if (!selected(name)) {
      if (mine == 0) continue;
      remove_from_event(groups);
      if (groups.empty()) hooks.erase(name);
      result.changes.push_back({name, EventChange::Kind::Removed, mine - 1});
      continue;
    }
    // Already exactly right: one entry, alone in its group, as we would write it.
    bool exact = false;
    if (mine == 1) {
      for (const json& group : groups)
        if (group["hooks"].size() == 1 && group["hooks"][0] == entry && group == group_for(name, entry)) exact = true;
    }
    if (exact) {
      result.changes.push_back({name, EventChange::Kind::Unchanged, 0});
      continue;
    }
    remove_from_event(groups);
    groups.push_back(group_for(name, entry));
    result.changes.push_back({name, mine ? EventChange::Kind::Replaced : EventChange::Kind::Added, mine > 1 ? mine - 1 : 0});
  }
  for (const std::string& name : events) {
    if (std::find(present.begin(), present.end(), name) != present.end()) continue;
    hooks[name] = json::array({group_for(name, entry)});
    result.changes.push_back({name, EventChange::Kind::Added, 0});
  }
  if (hooks.empty() && !had_hooks) settings.erase("hooks");
  result.ok = true;
  return result;
}

ApplyResult uninstall_hookbroker(json& settings) {
  ApplyResult result;
  result.error = check_hooks_structure(settings);
  if (!result.error.empty()) return result;
  if (!settings.contains("hooks")) {
    result.ok = true;
    return result;
  }
  json& hooks = settings["hooks"];
  std::vector<std::string> names;
  for (auto e = hooks.begin(); e != hooks.end(); ++e) names.push_back(e.key());
  bool removed_any = false;
  for (const std::string& name : names) {
    const int removed = remove_from_event(hooks[name]);
    if (removed == 0) continue;
    removed_any = true;
    if (hooks[name].empty()) hooks.erase(name);
    result.changes.push_back({name, EventChange::Kind::Removed, removed - 1});
  }
  if (removed_any && hooks.empty()) settings.erase("hooks");
  result.ok = true;
  return result;
}

std::map<std::string, int> count_hookbroker_hooks(const json& settings) {
  std::map<std::string, int> counts;
  const auto hooks = settings.find("hooks");
  if (hooks == settings.end() || !hooks->is_object()) return counts;
  for (auto e = hooks->begin(); e != hooks->end(); ++e) {
    if (!e.value().is_array()) continue;
    for (const json& group : e.value()) {
      const auto list = group.find("hooks");
      if (!group.is_object() || list == group.end() || !list->is_array()) continue;
      for (const json& hook : *list)
        if (is_hookbroker_hook(hook)) ++counts[e.key()];
    }
  }
  return counts;
}

}  // namespace hookbroker::claude_settings
