// hookbroker SDK — HeartbeatContributor: adds keys to the heartbeat's `data`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker {

/// A heartbeat value the contributor already holds as compact JSON text
/// (SDK 3.3), e.g. a list it keeps serialised for its own reasons.
struct SerializedValue {
  std::string key;                          ///< a key the manifest declares
  std::shared_ptr<const std::string> json;  ///< valid JSON text; shared, never copied
};

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

  /// (SDK 3.3) Called right after contribute(), on the same strand and under
  /// the same deadline: values the plugin keeps as JSON text. The core splices
  /// the text into the heartbeat as it goes to clients, instead of building
  /// and serialising a JSON tree on every tick, which for a large value (a
  /// hundred sessions) costs more than the rest of the tick together. Text
  /// that is not valid JSON is dropped and named in `data.plugin_errors`; a
  /// key here wins over the same key from contribute(). Plugins' on_heartbeat
  /// still receives the whole heartbeat as JSON. Default: none.
  virtual std::vector<SerializedValue> contribute_serialized() { return {}; }
};

}  // namespace hookbroker
