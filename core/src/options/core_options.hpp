// The core's option table: one row per setting drives the config file keys,
// environment variables, flags, validation and --help.
#pragma once

#include <vector>

#include "hookbroker/manifest.hpp"

namespace hookbroker::core {

struct CoreOption {
  /// spec.name is the dotted config key, e.g. "heartbeat.interval_s"; a renamed
  /// key has its old one in spec.deprecated_name (hookbroker::renamed).
  hookbroker_config_option spec;
  const char* flag;               ///< "--heartbeat-interval-s", or nullptr (file/env only)
  const char* env;                ///< "HOOKBROKER_HEARTBEAT_INTERVAL_S", or nullptr
  /// A renamed setting's old flag and variable: still read, with a warning.
  const char* deprecated_flag = nullptr;
  const char* deprecated_env = nullptr;
};

const std::vector<CoreOption>& core_options();

}  // namespace hookbroker::core
