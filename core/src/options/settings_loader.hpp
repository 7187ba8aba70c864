// Builds Settings from, in rising precedence: the JSON config file, the
// environment (HOOKBROKER_*), and command-line flags.
#pragma once

#include <string>
#include <vector>

#include "options/settings.hpp"
#include "platform/env_lookup.hpp"

namespace hookbroker::core {

struct LoadOutcome {
  enum class Action { Run, ListPlugins, DescribePlugin, Exit };
  Action action = Action::Run;
  int exit_code = 0;      ///< for Exit: 0 after --help/--version, 2 for a bad setting
  std::string message;    ///< for Exit: what to print (stdout when 0, stderr otherwise)
  std::string plugin;     ///< for DescribePlugin
  /// Deprecated setting names that were used, each naming its replacement;
  /// logged once the logger exists.
  std::vector<std::string> warnings;
  Settings settings;
};

using platform::EnvLookup;

/// Never throws; every problem becomes Action::Exit with code 2 and a message
/// naming the key, the value and what is allowed.
LoadOutcome load_settings(int argc, const char* const* argv, const EnvLookup& env);

}  // namespace hookbroker::core
