// Validation of JSON values against config-map rows (hookbroker_config_option).
// One implementation serves the core's own options and every plugin's table,
// so every config error reads the same way: which key, what value, what is allowed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/manifest.hpp"

namespace hookbroker::core {

/// Human name of a config type: "integer", "list of strings", ...
std::string type_name(uint32_t type);

/// What a row allows, e.g. "a number >= 0.05", "one of trace|debug|info".
std::string describe_allowed(const hookbroker_config_option& option);

/// nullopt when `value` fits `option`; otherwise the reason, naming `key` and
/// the value, e.g. "heartbeat.interval: 0.01 is below the minimum 0.05 (allowed: a number >= 0.05)".
std::optional<std::string> check_value(const hookbroker_config_option& option,
                                       const nlohmann::json& value, const std::string& key);

/// Converts text from an environment variable or a flag to the row's type.
/// Numbers, booleans and lists are parsed; strings pass through. On failure
/// returns nullopt and sets `error`.
std::optional<nlohmann::json> value_from_text(const hookbroker_config_option& option,
                                              const std::string& text, const std::string& key,
                                              std::string& error);

struct ValidatedConfig {
  nlohmann::json value = nlohmann::json::object();  ///< defaults filled in, under the current names
  std::vector<std::string> errors;                  ///< empty when valid
  std::vector<std::string> conflicts;  ///< options given under their old and new name (a bad setting: exit 2)
  std::vector<std::string> warnings;   ///< deprecated names used
};

/// Validates a plugin's `config` object against its option table: deprecated
/// names (hookbroker::resolve_config, shared with the SDK's test helpers),
/// unknown keys, wrong types, out-of-range values. `prefix` names the object
/// in errors (e.g. "plugins.transport_jsonl.config").
ValidatedConfig validate_config_object(const hookbroker_config_option* options, uint32_t count,
                                       const nlohmann::json& config, const std::string& prefix);

/// How help texts show a row's deprecated name, e.g. "deprecated name: ping_interval
/// (still read, with a warning)"; "" when the row has none.
std::string deprecated_alias_note(const hookbroker_config_option& option);

/// The default of a row as JSON (null when the row has none).
nlohmann::json default_value(const hookbroker_config_option& option);

}  // namespace hookbroker::core
