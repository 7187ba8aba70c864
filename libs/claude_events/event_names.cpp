#include "claude_events/event_names.hpp"

#include <cctype>

#include "claude_events/event_table.hpp"

namespace hookbroker::claude_events {

namespace {

bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower_or_digit(char c) {
  return std::islower(static_cast<unsigned char>(c)) != 0 || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

}  // namespace

std::string snake_case(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (is_upper(c)) {
      const bool after_word = i > 0 && is_lower_or_digit(name[i - 1]);
      const bool acronym_end = i > 0 && is_upper(name[i - 1]) && i + 1 < name.size() &&
                               std::islower(static_cast<unsigned char>(name[i + 1]));
      if ((after_word || acronym_end) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  return out;
}

std::string subtype_for_event(const std::string& event_name) {
  if (const HookEventInfo* known = find_hook_event(event_name); known && known->legacy_subtype)
    return known->legacy_subtype;
  return snake_case(event_name);
}

std::string event_for_subtype(const std::string& subtype) {
  // Called for every hook event: names and legacy subtypes first, without
  // building a string; snake_case only for the few events without a legacy name.
  const auto& events = claude_hook_events();
  for (const auto& e : events)
    if (e.session_meaning && (subtype == e.name || (e.legacy_subtype && subtype == e.legacy_subtype))) return e.name;
  for (const auto& e : events)
    if (e.session_meaning && !e.legacy_subtype && subtype == snake_case(e.name)) return e.name;
  return {};
}

bool is_valid_event_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

}  // namespace hookbroker::claude_events
