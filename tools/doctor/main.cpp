// hookbroker doctor: is this machine's setup sound? Broker reachable, hooks
// installed once each, nothing stuck in the spool.
#include <climits>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "platform/executable_dir.hpp"
#include "doctor_checks.hpp"

int main(int argc, char** argv) {
  using namespace hookbroker;
  CLI::App app{"Checks the hookbroker setup: the broker answers, Claude Code's hooks forward every event exactly once, "
               "no events are stuck in the spool, and the forwarder can write its spool and log.",
               "hookbroker doctor"};
  std::vector<std::string> settings_files;
  bool as_json = false;
  int timeout_ms = 2000;
  app.add_option("--settings", settings_files,
                 "Claude Code settings file(s) to check (default: ~/.claude/settings.json and the current "
                 "project's .claude/settings.json and settings.local.json, those that exist)")
      ->type_name("PATH");
  app.add_flag("--json", as_json, "Print the findings as JSON");
  app.add_option("--timeout-ms", timeout_ms, "How long to wait for the broker")->check(CLI::Range(1, 60000))->capture_default_str();
  app.footer("Exit codes: 0 all checks passed (warnings allowed), 1 a check failed.");
  CLI11_PARSE(app, argc, argv);

  const broker_client::BrokerEndpoint endpoint = broker_client::resolve_broker_endpoint(platform::process_env());
  if (settings_files.empty()) {
    const char* home = std::getenv("HOME");
    char cwd[PATH_MAX];
    settings_files = doctor::claude_settings_files(home ? home : "", ::getcwd(cwd, sizeof cwd) ? cwd : ".");
  }

  std::vector<doctor::Finding> findings;
  auto add = [&](std::vector<doctor::Finding> more) { findings.insert(findings.end(), more.begin(), more.end()); };
  add(doctor::check_config(endpoint));
  const auto broker = doctor::check_broker(endpoint, timeout_ms);
  const bool broker_up = broker.front().level == doctor::Finding::Level::Ok;
  add(broker);
  add(doctor::check_forwarder(platform::executable_dir()));
  add(doctor::check_hooks(settings_files));
  add(doctor::check_spool(endpoint, broker_up));
  add(doctor::check_forwarder_files(endpoint));
  add(doctor::check_telemetry(settings_files, endpoint, broker_up, timeout_ms));

  const nlohmann::json report = doctor::findings_json(findings);
  if (as_json) {
    std::cout << report.dump(2) << "\n";
  } else {
    for (const auto& f : findings) {
      const char* mark = f.level == doctor::Finding::Level::Ok ? "ok  " : f.level == doctor::Finding::Level::Warn ? "warn" : "FAIL";
      std::cout << "[" << mark << "] " << f.check << ": " << f.message << "\n";
    }
    std::cout << (report["ok"].get<bool>() ? "All checks passed.\n" : "Some checks failed; see FAIL lines above.\n");
  }
  return report["ok"].get<bool>() ? 0 : 1;
}
