#include "broker_main.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "crash_report.hpp"
#include "install_paths.hpp"
#include "logging.hpp"
#include "options/settings_loader.hpp"
#include "platform/env_lookup.hpp"
#include "plugin_report.hpp"
#include "runtime/broker.hpp"
#include "subcommands.hpp"

namespace hookbroker::core {

int broker_main(int argc, char** argv) {
  if (argc > 1 && argv[1][0] != '-') return run_subcommand(argc, argv);
  install_crash_report();
  // A file-size limit (ulimit -f, systemd's LimitFSIZE=) must fail the write
  // that crosses it, which every writer handles (history_sqlite answers the
  // senders 507), not kill the broker with SIGXFSZ and lose what is in memory.
  std::signal(SIGXFSZ, SIG_IGN);

  LoadOutcome outcome = load_settings(argc, argv, hookbroker::platform::process_env());
  if (outcome.action == LoadOutcome::Action::Exit) {
    (outcome.exit_code == 0 ? std::cout : std::cerr) << outcome.message << std::endl;
    return outcome.exit_code;
  }
  Settings& settings = outcome.settings;
  if (outcome.action != LoadOutcome::Action::Run)
    for (const auto& w : outcome.warnings) std::cerr << "hookbroker: warning: " << w << std::endl;
  if (settings.data_dir.empty()) settings.data_dir = builtin_data_dir();
  std::vector<std::string> dirs;
  if (settings.builtin_plugin_dir) dirs.push_back(builtin_plugin_dir());
  dirs.insert(dirs.end(), settings.plugin_dirs.begin(), settings.plugin_dirs.end());

  // Listing and describing read manifests from the files: no plugin's code runs.
  PluginScanOptions scan_options;
  scan_options.allow_insecure_paths = settings.allow_insecure_plugin_paths;
  if (outcome.action == LoadOutcome::Action::ListPlugins) {
    std::cout << list_plugins_text(PluginCatalog::scan(dirs, settings.plugins, scan_options));
    return kExitOk;
  }
  if (outcome.action == LoadOutcome::Action::DescribePlugin) {
    const std::string text =
        describe_plugin_text(PluginCatalog::scan(dirs, settings.plugins, scan_options), outcome.plugin);
    if (text.empty()) {
      std::cerr << "hookbroker: no plugin named '" << outcome.plugin
                << "' in the plugin directories; 'hookbroker --list-plugins' shows what is there" << std::endl;
      return kExitBadSetting;
    }
    std::cout << text;
    return kExitOk;
  }

  auto log = make_logger(settings.log_level);
  for (const auto& warning : outcome.warnings) log->warn("{}", warning);
  if (!settings.config_file.empty()) log->info("config file: {}", settings.config_file);
  try {
    Broker broker(std::move(settings), std::move(dirs), log);
    return broker.run();
  } catch (const std::exception& e) {
    log->critical("fatal: {}", e.what());
    return kExitFailure;
  }
}

}  // namespace hookbroker::core
