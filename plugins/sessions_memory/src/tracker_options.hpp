// sessions_memory's configuration: the option table the core validates and
// documents (--describe-plugin sessions_memory), and its parsed form.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/config.hpp"
#include "session_store.hpp"

namespace hookbroker::sessions {

struct TrackerOptions {
  StoreLimits limits;
  /// Sessions listed in the heartbeat's active_sessions (newest first);
  /// 0 lists all. The rest are only counted in sessions_summary.
  std::size_t heartbeat_max_sessions = 0;

  /// Reads a complete config object: the core filled in the table's defaults,
  /// their one home (tests: hookbroker::with_defaults(table(), ...)).
  static TrackerOptions from_config(const nlohmann::json& config);
  static std::vector<hookbroker_config_option> table();
};

}  // namespace hookbroker::sessions
