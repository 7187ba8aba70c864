// hookbroker install-hooks: adds hookbroker to Claude Code's hooks, once per
// event, leaving everything else in settings.json as it was.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "claude_events/event_table.hpp"
#include "claude_settings/hookbroker_entries.hpp"
#include "claude_settings/settings_document.hpp"
#include "claude_settings/telemetry_env.hpp"
#include "broker_client/broker_endpoint.hpp"
#include "platform/executable_dir.hpp"

namespace {

using namespace hookbroker;

constexpr int kExitRefused = 1;  // the settings file is not something we may change
constexpr int kExitUsage = 2;


std::string user_settings_path() {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.claude/settings.json";
}

std::vector<std::string> split_events(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& item : given) {
    std::stringstream parts(item);
    std::string name;
    while (std::getline(parts, name, ','))
      if (!name.empty()) out.push_back(name);
  }
  return out;
}

std::string known_event_list() {
  std::string names;
  for (const auto& e : claude_events::claude_hook_events()) names += std::string(names.empty() ? "" : ", ") + e.name;
  return names;
}

const char* describe(claude_settings::EventChange::Kind kind) {
  switch (kind) {
    case claude_settings::EventChange::Kind::Added: return "added";
    case claude_settings::EventChange::Kind::Replaced: return "replaced";
    case claude_settings::EventChange::Kind::Removed: return "removed";
    case claude_settings::EventChange::Kind::Unchanged: return "already installed";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Installs hookbroker's hooks into Claude Code's settings.json: one entry per hook event, "
               "everything else in the file kept as it was. Running it again changes nothing.",
               "hookbroker install-hooks"};
  std::string settings_path, mode = "command", command, url;
  bool project = false, dry_run = false, uninstall = false, list_events = false, with_message_display = false,
       telemetry = false;
  int timeout = 10;
  std::vector<std::string> events_arg;
  app.add_option("--settings", settings_path, "settings.json to change (default ~/.claude/settings.json)")
      ->type_name("PATH");
  app.add_flag("--project", project, "Change the project's .claude/settings.json (in the current directory)");
  app.add_option("--mode", mode,
                 "command: Claude Code runs hookbroker-hook, which spools events while the broker is away; "
                 "http: Claude Code POSTs to the broker itself, no process at all, but events are lost while "
                 "the broker is down")
      ->check(CLI::IsMember({"command", "http"}))
      ->capture_default_str();
  app.add_option("--events", events_arg,
                 "Hook events to install, comma-separated or repeated (default: all but WorktreeCreate and "
                 "MessageDisplay)")
      ->type_name("NAME,...");
  app.add_option("--command", command, "Command line for command mode (default: hookbroker-hook next to this program)")
      ->type_name("CMD");
  app.add_option("--url", url, "URL for http mode (default: the broker's /api/events from its config)")->type_name("URL");
  app.add_option("--timeout", timeout, "Seconds Claude Code waits for the hook")->check(CLI::Range(1, 600))->capture_default_str();
  app.add_flag("--with-message-display", with_message_display,
               "Also install MessageDisplay, which fires for every few lines of every assistant message");
  app.add_flag("--telemetry", telemetry,
               "Also turn on Claude Code's OpenTelemetry export to the broker (tokens and cost per session): "
               "writes the env block of docs/telemetry.md; --uninstall removes it");
  app.add_flag("--dry-run", dry_run, "Show what would change and the resulting file; write nothing");
  app.add_flag("--uninstall", uninstall, "Remove hookbroker's entries (only those) instead");
  app.add_flag("--list-events", list_events, "List the hook events Claude Code knows and exit");
  app.footer("Exit codes: 0 done (or nothing to do), 1 the settings file is invalid and was left untouched, 2 bad usage.\n"
             "Docs: docs/hooks.md, \"Connecting Claude Code\".");
  CLI11_PARSE(app, argc, argv);

  if (list_events) {
    for (const auto& e : claude_events::claude_hook_events())
      std::cout << e.name << (e.installed_by_default ? "" : std::string("  (not by default: ") + e.note + ")") << "\n";
    return 0;
  }
  if (project && !settings_path.empty()) {
    std::cerr << "hookbroker install-hooks: give --settings or --project, not both\n";
    return kExitUsage;
  }
  if (settings_path.empty()) settings_path = project ? ".claude/settings.json" : user_settings_path();

  std::vector<std::string> events = split_events(events_arg);
  if (events.empty() || (events.size() == 1 && events[0] == "all")) events = claude_events::default_hook_events();
  if (with_message_display && std::find(events.begin(), events.end(), "MessageDisplay") == events.end())
    events.emplace_back("MessageDisplay");
  for (const auto& name : events) {
    if (!claude_events::find_hook_event(name)) {
      std::cerr << "hookbroker install-hooks: unknown hook event '" << name << "'. Known events: " << known_event_list()
                << "\n";
      return kExitUsage;
    }
  }

  auto loaded = claude_settings::load_settings(settings_path);
  if (!loaded.ok) {
    std::cerr << "hookbroker install-hooks: " << loaded.error << "\n";
    return kExitRefused;
  }
  claude_settings::SettingsDocument& doc = loaded.document;

  const broker_client::BrokerEndpoint endpoint = broker_client::resolve_broker_endpoint(platform::process_env());
  claude_settings::HookSpec spec;
  spec.timeout_s = timeout;
  if (mode == "http") {
    spec.mode = claude_settings::HookSpec::Mode::Http;
    spec.url = url.empty() ? endpoint.base_url() + "/api/events" : url;
    spec.with_token = !endpoint.token.empty();
  } else {
    spec.command = command.empty() ? claude_settings::shell_quote(platform::executable_dir() + "/hookbroker-hook") : command;
  }

  const auto applied = uninstall ? claude_settings::uninstall_hookbroker(doc.json) : claude_settings::install_hookbroker(doc.json, events, spec);
  if (!applied.ok) {
    std::cerr << "hookbroker install-hooks: " << settings_path << ": " << applied.error
              << ". Nothing was changed: fix the file (Claude Code's format is {\"hooks\": {\"Event\": [{\"matcher\": ..., "
                 "\"hooks\": [...]}]}}) and run again.\n";
    return kExitRefused;
  }

  // The telemetry env block: written with --telemetry, removed by every
  // --uninstall (only what hookbroker wrote, see telemetry_env.hpp).
  claude_settings::EnvResult env;
  env.ok = true;
  if (uninstall) env = claude_settings::uninstall_telemetry_env(doc.json, endpoint.base_url());
  else if (telemetry) env = claude_settings::install_telemetry_env(doc.json, endpoint.base_url());
  if (!env.ok) {
    std::cerr << "hookbroker install-hooks: " << settings_path << ": " << env.error
              << ". Nothing was changed: fix the file (Claude Code's format is {\"env\": {\"NAME\": \"value\"}}) "
                 "and run again.\n";
    return kExitRefused;
  }
  for (const auto& name : env.added) std::cout << "  env " << name << ": " << (uninstall ? "removed" : "added") << "\n";
  for (const auto& kept : env.conflicts)
    std::cout << "  env " << kept << ": kept (yours); telemetry goes where it says, not to this broker\n";

  for (const auto& c : applied.changes) {
    if (c.kind == claude_settings::EventChange::Kind::Unchanged && !c.removed_duplicates) continue;
    std::cout << "  " << c.event << ": " << describe(c.kind);
    if (c.removed_duplicates) std::cout << " (" << c.removed_duplicates << " duplicate entr" << (c.removed_duplicates == 1 ? "y" : "ies") << " removed)";
    std::cout << "\n";
  }
  if (!applied.changed() && !env.changed()) {
    std::cout << settings_path << ": " << (uninstall ? "no hookbroker hooks to remove" : "hookbroker hooks already installed")
              << (telemetry && !uninstall ? ", telemetry already on" : "") << "; nothing changed\n";
    return 0;
  }
  claude_settings::prefer_backup_text(doc);
  if (dry_run) {
    std::cout << "--dry-run: " << settings_path << " would become:\n" << doc.render();
    return 0;
  }
  const auto saved = claude_settings::save_settings(doc);
  if (!saved.ok) {
    std::cerr << "hookbroker install-hooks: " << saved.error << "\n";
    return kExitRefused;
  }
  if (uninstall) {
    std::cout << "Removed hookbroker's hooks from " << settings_path << ".\n";
  } else {
    std::cout << "Installed hookbroker (" << mode << " mode) for " << events.size() << " hook event(s) in " << settings_path
              << ".\n";
    if (spec.mode == claude_settings::HookSpec::Mode::Http && spec.with_token)
      std::cout << "The broker has a token: start Claude Code with HOOKBROKER_TOKEN set to it "
                   "(the hooks send it as Authorization: Bearer $HOOKBROKER_TOKEN).\n";
  }
  if (telemetry && !uninstall && !endpoint.token.empty())
    std::cout << "The broker has a token: Claude Code's exporter must send it. Add \"OTEL_EXPORTER_OTLP_HEADERS\": "
                 "\"Authorization=Bearer <token>\" to the env block yourself (not written: settings files get shared).\n";
  if (!saved.backup_path.empty()) std::cout << "Backup of the previous file: " << saved.backup_path << "\n";
  std::cout << "Check with: hookbroker doctor\n";
  return 0;
}
