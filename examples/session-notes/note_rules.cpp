#include "note_rules.hpp"

#include <fnmatch.h>

#include <algorithm>

#include <hookbroker/config.hpp>

namespace session_notes {

namespace {

constexpr const char* kRuleShape =
    R"(: each rule is {"cwd": "<shell pattern>", "note": "<text>", "labels": ["<tag>", ...]} with "cwd" and at least a note or a label)";

[[noreturn]] void bad_rule(std::size_t index, const std::string& what) {
  throw hookbroker::ConfigError("session_notes: rules[" + std::to_string(index) + "] " + what + kRuleShape);
}

void add_unique(nlohmann::json& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

std::vector<NoteRule> parse_rules(const nlohmann::json& rules) {
  std::vector<NoteRule> parsed;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const nlohmann::json& r = rules[i];
    if (!r.is_object()) bad_rule(i, "is not an object");
    for (auto it = r.begin(); it != r.end(); ++it)
      if (it.key() != "cwd" && it.key() != "note" && it.key() != "labels") bad_rule(i, "has unknown key \"" + it.key() + "\"");
    NoteRule rule;
    if (!r.contains("cwd") || !r["cwd"].is_string() || r["cwd"].get<std::string>().empty())
      bad_rule(i, "needs a non-empty string \"cwd\"");
    rule.cwd_pattern = r["cwd"];
    if (r.contains("note")) {
      if (!r["note"].is_string()) bad_rule(i, "has a \"note\" that is not a string");
      rule.note = r["note"];
    }
    if (r.contains("labels")) {
      if (!r["labels"].is_array()) bad_rule(i, "has \"labels\" that is not a list of strings");
      for (const auto& label : r["labels"]) {
        if (!label.is_string()) bad_rule(i, "has \"labels\" that is not a list of strings");
        rule.labels.push_back(label);
      }
    }
    if (rule.note.empty() && rule.labels.empty()) bad_rule(i, "adds nothing");
    parsed.push_back(std::move(rule));
  }
  return parsed;
}

nlohmann::json annotate(const std::vector<NoteRule>& rules, const std::string& cwd) {
  if (cwd.empty()) return nullptr;
  nlohmann::json notes = nlohmann::json::array(), labels = nlohmann::json::array();
  bool matched = false;
  for (const NoteRule& rule : rules) {
    // No FNM_PATHNAME: "*" spans "/" so "/home/*/webshop" matches any depth,
    // which is what people expect of a cwd pattern.
    if (::fnmatch(rule.cwd_pattern.c_str(), cwd.c_str(), 0) != 0) continue;
    matched = true;
    if (!rule.note.empty()) add_unique(notes, rule.note);
    for (const auto& label : rule.labels) add_unique(labels, label);
  }
  if (!matched) return nullptr;
  return {{"notes", notes}, {"labels", labels}};
}

}  // namespace session_notes
