// session_notes: adds your own notes and labels to the sessions in every
// heartbeat, chosen by the session's working directory. With
//   "rules": [{"cwd": "/home/*/src/webshop*", "note": "prod deploy repo", "labels": ["shop"]}]
// a session started in /home/dev/src/webshop shows up as
//   "session_notes": {"rules": 1,
//                     "sessions": {"<id>": {"cwd": "/home/dev/src/webshop",
//                                           "notes": ["prod deploy repo"], "labels": ["shop"]}}}
//
// What it shows: a plugin's own configuration table (types, defaults, ranges,
// descriptions, shown by `hookbroker --describe-plugin session_notes`), its
// own validation with a clear error, and reading the session tracker.
#include <string>
#include <vector>

#include <hookbroker/hookbroker.hpp>

#include "note_rules.hpp"

namespace {

class SessionNotes final : public hookbroker::Plugin, public hookbroker::HeartbeatContributor {
 public:
  // The core has already checked every option's type and range and filled
  // in defaults; what it cannot know is the shape inside "rules", so
  // parse_rules() checks that and throws ConfigError, which refuses the plugin
  // with our message (the broker exits 2 when the plugin is required).
  SessionNotes(hookbroker::HostApi& host, const nlohmann::json& config)
      : host_(host),
        rules_(session_notes::parse_rules(config.at("rules"))),
        max_sessions_(config.at("max_sessions").get<std::size_t>()),
        show_unmatched_(config.at("show_unmatched").get<bool>()) {}

  void start() override { host_.info(std::to_string(rules_.size()) + " note rule(s) loaded"); }


  nlohmann::json contribute() override {
    nlohmann::json sessions = nlohmann::json::object();
    // The tracker is a shared, thread-safe service; without one (no
    // sessions plugin loaded) there is nothing to annotate.
    if (hookbroker::SessionTracker* tracker = host_.sessions()) {
      for (const auto& session : tracker->list(max_sessions_)) {
        const std::string cwd = session.value("cwd", "");
        nlohmann::json notes = session_notes::annotate(rules_, cwd);
        if (notes.is_null()) {
          if (!show_unmatched_) continue;
          notes = {{"notes", nlohmann::json::array()}, {"labels", nlohmann::json::array()}};
        }
        notes["cwd"] = cwd;
        sessions[session.value("session_id", "")] = std::move(notes);
      }
    }
    return {{"session_notes", {{"rules", rules_.size()}, {"sessions", sessions}}}};
  }

 private:
  hookbroker::HostApi& host_;
  std::vector<session_notes::NoteRule> rules_;
  std::size_t max_sessions_;
  bool show_unmatched_;
};

}  // namespace

HOOKBROKER_PLUGIN(SessionNotes, [] {
  hookbroker::PluginInfo info;
  info.name = "session_notes";
  info.version = "1.0.0";
  info.description = "Adds configured notes and labels to sessions in the heartbeat, by working directory";
  info.heartbeat_keys = "session_notes";
  info.options = {
      hookbroker::option("rules", hookbroker::ConfigType::Array, "[]",
                         R"(List of {"cwd": "<shell pattern>", "note": "<text>", "labels": ["<tag>"]}; )"
                         "every matching rule applies"),
      hookbroker::ranged_option("max_sessions", hookbroker::ConfigType::Int, "50",
                                "Most recently active sessions annotated per heartbeat", 1, 10000),
      hookbroker::option("show_unmatched", hookbroker::ConfigType::Bool, "false",
                         "Also list sessions no rule matches (with empty notes)"),
  };
  return info;
}())
