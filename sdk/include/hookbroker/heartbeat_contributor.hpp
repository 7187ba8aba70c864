// hookbroker SDK — HeartbeatContributor: adds keys to the heartbeat's `data`.
#pragma once

#include <nlohmann/json.hpp>

namespace hookbroker {

class HeartbeatContributor {
 public:
  virtual ~HeartbeatContributor() = default;

  /// Called on the plugin's strand once per tick, under a deadline (default
  /// 250 ms). Return a JSON object whose top-level keys are among those the
  /// manifest declares (PluginInfo::heartbeat_keys); they are merged into the
  /// heartbeat's `data`. A contributor that throws or misses the deadline is
  /// skipped for that tick and named in `data.plugin_errors`; the tick goes
  /// out anyway. While a late call is still running, later ticks skip it.
  virtual nlohmann::json contribute() = 0;
};

}  // namespace hookbroker
