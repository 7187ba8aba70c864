#include "hook_input.hpp"

#include <algorithm>
#include <cctype>

#include "claude_events/event_names.hpp"
#include "claude_events/mpm_fields.hpp"

namespace hookbroker::claude {

namespace {

HookInput rejected(std::string why) {
  HookInput in;
  in.kind = HookInput::Kind::Rejected;
  in.error = std::move(why);
  return in;
}

const char* type_name(const nlohmann::json& v) { return v.type_name(); }

/// Validates and stores the session id found at obj[key]; false (with
/// `in` turned into a rejection) when it is present but unusable.
bool take_session_id(const nlohmann::json& obj, HookInput& in) {
  const auto it = obj.find("session_id");
  if (it == obj.end() || it->is_null()) return true;
  if (!it->is_string()) {
    in = rejected(std::string("\"session_id\" must be a string (the Claude Code session's id), got ") +
                  type_name(*it));
    return false;
  }
  const auto& id = it->get_ref<const std::string&>();
  if (id.empty()) {
    in = rejected("\"session_id\" is empty: send the Claude Code session's id");
    return false;
  }
  if (id.size() > kMaxSessionIdLength) {
    in = rejected("\"session_id\" is longer than " + std::to_string(kMaxSessionIdLength) +
                  " characters: send the Claude Code session's id");
    return false;
  }
  in.session_id = id;
  return true;
}

HookInput read_raw(const nlohmann::json& raw) {
  const auto& name = raw["hook_event_name"];
  if (!name.is_string() || !claude_events::is_valid_event_name(name.get_ref<const std::string&>()))
    return rejected(
        "\"hook_event_name\" must name a Claude Code hook event such as \"PreToolUse\" (letters, "
        "digits and _, at most 64)");
  HookInput in;
  in.kind = HookInput::Kind::Hook;
  in.event_name = name.get<std::string>();
  in.subtype = claude_events::subtype_for_event(in.event_name);
  in.payload = raw;
  if (!take_session_id(raw, in)) return in;
  if (in.session_id.empty())
    return rejected("missing \"session_id\": Claude Code hook JSON always carries the session's id");
  return in;
}

HookInput read_legacy(const nlohmann::json& raw, const std::string& sub) {
  if (!claude_events::is_valid_event_name(sub))
    return rejected("hook subtype \"" + sub.substr(0, 64) +
                    "\" is not a hook name: use letters, digits and _, e.g. \"pre_tool\"");
  HookInput in;
  in.kind = HookInput::Kind::Hook;
  in.legacy = true;
  const bool camel_case = std::any_of(sub.begin(), sub.end(),
                                      [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  if (camel_case) {  // {"type":"hook","event":"PreToolUse"}: an event name already
    in.event_name = sub;
    in.subtype = claude_events::subtype_for_event(sub);
  } else {
    in.event_name = claude_events::event_for_subtype(sub);
    in.subtype = sub;
  }
  const auto data = raw.find("data");
  if (data != raw.end() && !data->is_null() && !data->is_object())
    return rejected(std::string("\"data\" of a hook event must be an object, got ") + type_name(*data));
  if (data != raw.end() && data->is_object()) {
    in.payload = *data;
  } else {
    in.payload = raw;
    for (const char* key : {"type", "subtype", "event"}) in.payload.erase(key);
  }
  // The Python system is claude-mpm: its payloads get Claude Code's own field
  // names, so every session effect reads them as it reads Claude Code's.
  in.event_name = claude_events::add_native_fields(in.event_name, in.payload, raw);
  if (!take_session_id(raw, in)) return in;
  if (in.session_id.empty() && in.payload.is_object() && !take_session_id(in.payload, in)) return in;
  return in;
}

HookInput read_legacy_or_raw(const nlohmann::json& raw);

HookInput read_envelope(const nlohmann::json& raw) {
  const auto event = raw.find("event");
  if (event != raw.end() && *event != "claude_event")
    return rejected("an envelope with \"namespace\": \"hook\" must have \"event\": \"claude_event\"");
  const auto data = raw.find("data");
  if (data == raw.end() || !data->is_object())
    return rejected(
        "an envelope {\"namespace\", \"event\": \"claude_event\"} needs \"data\": an object holding the "
        "hook event (Claude Code hook JSON, or claude-mpm's normalized event)");
  HookInput in = read_legacy_or_raw(*data);
  if (in.kind == HookInput::Kind::NotMine || (!data->contains("hook_event_name") && !data->contains("type")))
    return rejected(
        "missing \"hook_event_name\" in the envelope's \"data\": it must be Claude Code hook JSON, "
        "e.g. {\"hook_event_name\": \"PreToolUse\", \"session_id\": \"...\"}");
  return in;
}

HookInput read_legacy_or_raw(const nlohmann::json& raw) {
  if (raw.contains("hook_event_name")) return read_raw(raw);

  const auto type = raw.find("type");
  if (type != raw.end() && type->is_string()) {
    const auto& t = type->get_ref<const std::string&>();
    if (t.rfind("hook.", 0) == 0) return read_legacy(raw, t.substr(5));
    if (t != "hook") return {};  // another sender's own type: the generic form
    for (const char* key : {"subtype", "event"}) {
      const auto it = raw.find(key);
      if (it != raw.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
        return read_legacy(raw, it->get<std::string>());
    }
    return rejected(
        "a \"type\": \"hook\" event needs \"subtype\" or \"event\" naming the hook, e.g. "
        "\"pre_tool\" — or send Claude Code's hook JSON with \"hook_event_name\"");
  }
  if (type == raw.end() && raw.contains("session_id"))
    return rejected(
        "missing \"hook_event_name\": Claude Code hook JSON names its event, e.g. "
        "\"hook_event_name\": \"PreToolUse\"");
  return {};
}

}  // namespace

HookInput read_hook_input(const nlohmann::json& raw) {
  if (!raw.is_object()) return {};
  const auto ns = raw.find("namespace");
  if (ns != raw.end() && *ns == "hook") return read_envelope(raw);
  // claude-mpm's hook sender posts the same envelope with "namespace": ""
  // (any namespace its emitter was given): the event name says what it is.
  const auto event = raw.find("event");
  if (ns != raw.end() && ns->is_string() && event != raw.end() && *event == "claude_event") return read_envelope(raw);
  return read_legacy_or_raw(raw);
}

}  // namespace hookbroker::claude
