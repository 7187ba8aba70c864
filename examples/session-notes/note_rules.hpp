// The configured rules of session_notes: "sessions whose cwd matches this
// shell pattern get this note and these labels". Parsed once, at creation,
// so a bad rule stops the plugin with a message that says what to fix.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace session_notes {

struct NoteRule {
  std::string cwd_pattern;          ///< fnmatch(3) pattern, e.g. "/home/*/src/webshop*"
  std::string note;                 ///< free text, may be empty
  std::vector<std::string> labels;  ///< short tags, may be empty
};

/// Parses the "rules" option; throws hookbroker::ConfigError naming the
/// offending rule and what it should look like.
std::vector<NoteRule> parse_rules(const nlohmann::json& rules);

/// Notes and labels of every rule matching `cwd`, in rule order, without
/// repeats: {"notes": [...], "labels": [...]}; null when none matches.
nlohmann::json annotate(const std::vector<NoteRule>& rules, const std::string& cwd);

}  // namespace session_notes
