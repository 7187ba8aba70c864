// hookbroker SDK — declaring a plugin's configuration.
//
// A plugin declares its options as a table of ConfigOption rows. The core
// validates the user's `plugins.<name>.config` object against it before the
// plugin is created (unknown keys, wrong types and out-of-range values are
// refused with a message naming the key), fills in defaults, and prints the
// table for `hookbroker --describe-plugin NAME`. The plugin's constructor thus
// receives a complete, valid object: read it with `config.at("key")`, never
// with a fallback of your own, so the table stays the one home of each default.
//
// Names carry their unit: durations end in `_ms`, `_s` or `_us`, sizes in
// `_bytes` (counts need no suffix). An option that is renamed keeps its old
// name as a deprecated alias: `renamed(ranged_option("ping_interval_ms", ...),
// "ping_interval")`. The old name still loads, with one warning naming the new
// one; giving both is an error.
//
// A table is data the compiler can evaluate: the builders below are constexpr
// and `config_table(rows...)` makes an array of them, so HOOKBROKER_PLUGIN can
// write the table into the plugin's manifest at compile time (manifest.hpp)
// and the core can read it without running the plugin's code.
//
// resolve_config() is the one place that applies a table to a config object
// (aliases, unknown keys, defaults): the core calls it before it type-checks
// the values, and tests call it through with_defaults() and
// testing::LoadedPlugin, so a plugin under test sees what the broker would give it.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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
constexpr hookbroker_config_option option(const char* name, ConfigType type,
                                       const char* default_json, const char* description) {
  return hookbroker_config_option{name, static_cast<uint32_t>(type), default_json, description,
                                  0, 0, 0, 0, nullptr, nullptr, 0};
}

/// A number or integer with bounds (inclusive).
constexpr hookbroker_config_option ranged_option(const char* name, ConfigType type,
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
constexpr hookbroker_config_option choice_option(const char* name, const char* default_json,
                                              const char* description, const char* allowed) {
  auto o = option(name, ConfigType::String, default_json, description);
  o.allowed = allowed;
  return o;
}

/// Marks `row` as the new name of an option formerly called `old_name`. The
/// old name keeps working, with a warning; `old_unit` converts a value given
/// under it (1048576 when "max_megabytes" became "max_database_bytes").
constexpr hookbroker_config_option renamed(hookbroker_config_option row, const char* old_name,
                                        double old_unit = 1) {
  row.deprecated_name = old_name;
  row.deprecated_scale = old_unit;
  return row;
}

/// A plugin's option table as a constant: `config_table(option(...), ...)`.
/// An options header defines its table with it so HOOKBROKER_PLUGIN can read
/// it at compile time: `constexpr auto table() { return hookbroker::config_table(...); }`.
template <typename... Rows>
constexpr std::array<hookbroker_config_option, sizeof...(Rows)> config_table(const Rows&... rows) {
  return {{rows...}};
}

namespace detail {
// Reached only when a table outgrows OptionList; in a constant expression the
// compiler's error names this function.
inline void too_many_options_for_one_plugin() {
  throw std::length_error("more than " + std::to_string(manifest_keys::kMaxOptions) + " options in one plugin");
}
}  // namespace detail

/// The option table inside a PluginInfo (plugin.hpp): a copy of the rows, so
/// a PluginInfo is a compile-time constant. Assign it a braced list of rows,
/// a config_table() or an array.
class OptionList {
 public:
  static constexpr std::size_t kCapacity = manifest_keys::kMaxOptions;

  constexpr OptionList() = default;
  constexpr OptionList(std::initializer_list<hookbroker_config_option> rows) {
    for (const auto& row : rows) push(row);
  }
  template <std::size_t N>
  constexpr OptionList(const std::array<hookbroker_config_option, N>& rows) {  // NOLINT: implicit by design
    for (const auto& row : rows) push(row);
  }
  template <std::size_t N>
  constexpr OptionList(const hookbroker_config_option (&rows)[N]) {  // NOLINT: implicit by design
    for (const auto& row : rows) push(row);
  }

  constexpr std::size_t size() const { return count_; }
  constexpr bool empty() const { return count_ == 0; }
  constexpr const hookbroker_config_option* data() const { return rows_; }
  constexpr const hookbroker_config_option* begin() const { return rows_; }
  constexpr const hookbroker_config_option* end() const { return rows_ + count_; }
  constexpr const hookbroker_config_option& operator[](std::size_t i) const { return rows_[i]; }

 private:
  constexpr void push(const hookbroker_config_option& row) {
    if (count_ == kCapacity) detail::too_many_options_for_one_plugin();
    rows_[count_++] = row;
  }
  hookbroker_config_option rows_[kCapacity]{};
  std::size_t count_ = 0;
};

/// The default of a row as JSON: null when it has none (or it is not JSON).
inline nlohmann::json option_default(const hookbroker_config_option& o) {
  if (!o.default_json) return nullptr;
  auto value = nlohmann::json::parse(o.default_json, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? nlohmann::json() : value;
}

/// A value given under a row's deprecated name, converted to the row's unit.
inline nlohmann::json from_deprecated_unit(const hookbroker_config_option& o, const nlohmann::json& value) {
  if (o.deprecated_scale == 0 || o.deprecated_scale == 1 || !value.is_number()) return value;
  const double scaled = value.get<double>() * o.deprecated_scale;
  if (std::floor(scaled) == scaled && std::fabs(scaled) < 9.0e15) return static_cast<long long>(scaled);
  return scaled;
}

/// The warning for a deprecated name that was used, e.g. "plugins.x.config.ping_interval
/// is deprecated: use plugins.x.config.ping_interval_ms". `old_label`/`new_label`
/// name the setting where it was given (a key, a flag, a variable).
inline std::string deprecated_name_warning(const std::string& old_label, const std::string& new_label) {
  return old_label + " is deprecated: use " + new_label + " (the old name still works, for now)";
}

/// The error for an option given under both its names.
inline std::string both_names_error(const std::string& old_label, const std::string& new_label) {
  return old_label + " and " + new_label + " are both given, but " + old_label + " is the deprecated name of " +
         new_label + ": keep only " + new_label;
}

/// A config object with a table applied.
struct ResolvedConfig {
  nlohmann::json value = nlohmann::json::object();  ///< every row: the value given, else its default
  std::vector<std::string> given_as;  ///< per row: the key the value was given under; "" = default
  std::vector<std::string> errors;    ///< not an object, unknown keys
  std::vector<std::string> conflicts; ///< an option given under its old and its new name
  std::vector<std::string> warnings;  ///< deprecated names used
  bool ok() const { return errors.empty() && conflicts.empty(); }
};

/// Applies a table to `config` (null counts as {}): maps deprecated names to
/// the new ones (converting units), reports unknown keys and options given
/// twice, and fills in defaults. `prefix` names the object in messages, e.g.
/// "plugins.transport_socketio.config". Values are not type-checked here: the
/// core does that next.
inline ResolvedConfig resolve_config(const hookbroker_config_option* options, std::size_t count,
                                     const nlohmann::json& config, const std::string& prefix) {
  ResolvedConfig out;
  out.given_as.resize(count);
  if (!config.is_null() && !config.is_object()) {
    std::string shown = config.dump();
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    out.errors.push_back(prefix + ": expected an object, got " + shown);
  }
  const nlohmann::json& object = config.is_object() ? config : nlohmann::json::object();
  std::string known;
  for (std::size_t i = 0; i < count; ++i) known += (known.empty() ? "" : ", ") + std::string(options[i].name);
  for (auto it = object.begin(); it != object.end(); ++it) {
    bool found = false;
    for (std::size_t i = 0; i < count && !found; ++i)
      found = it.key() == options[i].name ||
              (options[i].deprecated_name && it.key() == options[i].deprecated_name);
    if (!found)
      out.errors.push_back(prefix + ": unknown key '" + it.key() + "' (known keys: " +
                           (known.empty() ? "none" : known) + ")");
  }
  for (std::size_t i = 0; i < count; ++i) {
    const auto& o = options[i];
    const bool has_new = object.contains(o.name);
    const bool has_old = o.deprecated_name && object.contains(o.deprecated_name);
    const std::string new_label = prefix + "." + o.name;
    if (has_new && has_old) {
      out.conflicts.push_back(both_names_error(prefix + "." + o.deprecated_name, new_label));
      out.value[o.name] = object.at(o.name);
      out.given_as[i] = o.name;
    } else if (has_new) {
      out.value[o.name] = object.at(o.name);
      out.given_as[i] = o.name;
    } else if (has_old) {
      const nlohmann::json& given = object.at(o.deprecated_name);
      nlohmann::json value = from_deprecated_unit(o, given);
      std::string warning = deprecated_name_warning(prefix + "." + o.deprecated_name, new_label);
      if (value != given) warning += "; " + given.dump() + " was read as " + value.dump();
      out.warnings.push_back(std::move(warning));
      out.value[o.name] = std::move(value);
      out.given_as[i] = o.deprecated_name;
    } else {
      out.value[o.name] = option_default(o);
    }
  }
  return out;
}

/// `config` with every default of `table` filled in and deprecated names
/// mapped, as the core hands it to a plugin; for tests that construct a
/// plugin or its options directly from a partial config. Throws ConfigError
/// with the first problem (unknown key, option given twice).
/// `table` is any contiguous table: a config_table(), an OptionList, a vector.
template <typename Table>
nlohmann::json with_defaults(const Table& table, const nlohmann::json& config = nlohmann::json::object()) {
  ResolvedConfig resolved = resolve_config(std::data(table), std::size(table), config, "config");
  if (!resolved.conflicts.empty()) throw ConfigError(resolved.conflicts.front());
  if (!resolved.errors.empty()) throw ConfigError(resolved.errors.front());
  return std::move(resolved.value);
}

/// For a braced list of rows: `with_defaults({option(...)}, config)`.
inline nlohmann::json with_defaults(std::initializer_list<hookbroker_config_option> table,
                                    const nlohmann::json& config = nlohmann::json::object()) {
  return with_defaults(std::vector<hookbroker_config_option>(table), config);
}

}  // namespace hookbroker
