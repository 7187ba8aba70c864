// The core's option table: one row per setting drives the config file keys,
// environment variables, flags, validation and --help.
#pragma once

#include <vector>

#include "hookbroker/manifest.hpp"

namespace hookbroker::core {

struct CoreOption {
  hookbroker_config_option spec;  ///< spec.name is the dotted config key, e.g. "heartbeat.interval"
  const char* flag;               ///< "--heartbeat-interval", or nullptr (file/env only)
  const char* env;                ///< "HOOKBROKER_HEARTBEAT_INTERVAL", or nullptr
};

const std::vector<CoreOption>& core_options();

}  // namespace hookbroker::core
