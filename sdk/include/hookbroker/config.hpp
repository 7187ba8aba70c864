// hookbroker SDK — declaring a plugin's configuration.
//
// A plugin declares its options as a table of ConfigOption rows. The core
// validates the user's `plugins.<name>.config` object against it before the
// plugin is created (unknown keys, wrong types and out-of-range values are
// refused with a message naming the key), fills in defaults, and prints the
// table for `hookbroker --describe-plugin NAME`. The plugin's constructor thus
// receives a complete, valid object.
#pragma once

#include <limits>
#include <stdexcept>
#include <string>

#include "hookbroker/manifest.hpp"

namespace hookbroker {

enum class ConfigType : uint32_t {
  Bool = HOOKBROKER_CONFIG_BOOL,
  Int = HOOKBROKER_CONFIG_INT,
  Number = HOOKBROKER_CONFIG_NUMBER,
  String = HOOKBROKER_CONFIG_STRING,
  StringList = HOOKBROKER_CONFIG_STRING_LIST,
  Array = HOOKBROKER_CONFIG_ARRAY,
  Object = HOOKBROKER_CONFIG_OBJECT,
};

/// Thrown by a plugin's constructor when its config passed the option table
/// but is still wrong in a way only the plugin can tell (an alert rule naming
/// an unknown operator, two options that contradict each other). The broker
/// treats it like any bad setting: it logs the message and exits with code 2.
/// Name the key and the value in the message, and say what is allowed.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& message) : std::runtime_error(message) {}
};

/// Builders for one table row; they return the plain C struct the manifest
/// carries. `default_json` is JSON text: R"("-")" for a string, "60", "true", "[]".
inline hookbroker_config_option option(const char* name, ConfigType type,
                                       const char* default_json, const char* description) {
  return hookbroker_config_option{name, static_cast<uint32_t>(type), default_json, description,
                                  0, 0, 0, 0, nullptr};
}

/// A number or integer with bounds (inclusive).
inline hookbroker_config_option ranged_option(const char* name, ConfigType type,
                                              const char* default_json, const char* description,
                                              double min,
                                              double max = std::numeric_limits<double>::infinity()) {
  auto o = option(name, type, default_json, description);
  o.min = min;
  o.has_min = 1;
  if (max != std::numeric_limits<double>::infinity()) {
    o.max = max;
    o.has_max = 1;
  }
  return o;
}

/// A string restricted to `allowed`, written "a|b|c".
inline hookbroker_config_option choice_option(const char* name, const char* default_json,
                                              const char* description, const char* allowed) {
  auto o = option(name, ConfigType::String, default_json, description);
  o.allowed = allowed;
  return o;
}

}  // namespace hookbroker
