// hookbroker SDK — the plugin manifest: what a plugin says about itself before
// any of its C++ code is trusted.
//
// The core dlopens a plugin, calls `hookbroker_plugin_manifest()` (plain C) and
// checks the answer: ABI version, build fingerprint, name, kinds, config schema
// and heartbeat keys. Only then does it call `hookbroker_plugin_create()`.
// Plugin authors never fill this struct by hand: HOOKBROKER_PLUGIN (plugin.hpp)
// builds it from a PluginInfo.
//
// Layout rule (like OBS's versioned plugin structs): `struct_size` comes first;
// fields are only ever appended; the core reads nothing past `struct_size`.
#pragma once

#include <cstdint>

extern "C" {

/// What a plugin object can be asked for. One library may provide several.
enum hookbroker_kind : uint32_t {
  HOOKBROKER_KIND_TRANSPORT = 1u << 0,              ///< Transport
  HOOKBROKER_KIND_SESSION_TRACKER = 1u << 1,        ///< SessionTracker
  HOOKBROKER_KIND_HOOK_HANDLER = 1u << 2,           ///< HookHandler
  HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR = 1u << 3,  ///< HeartbeatContributor
  HOOKBROKER_KIND_EVENT_SINK = 1u << 4,             ///< EventSink
};

/// Manifest flags.
enum hookbroker_manifest_flag : uint32_t {
  /// Loaded only when the config says `"enabled": true` for it.
  HOOKBROKER_FLAG_DISABLED_BY_DEFAULT = 1u << 0,
};

/// Value types a config option may have.
enum hookbroker_config_type : uint32_t {
  HOOKBROKER_CONFIG_BOOL = 1,
  HOOKBROKER_CONFIG_INT = 2,          ///< whole number
  HOOKBROKER_CONFIG_NUMBER = 3,       ///< whole or decimal number
  HOOKBROKER_CONFIG_STRING = 4,
  HOOKBROKER_CONFIG_STRING_LIST = 5,  ///< array of strings
  HOOKBROKER_CONFIG_ARRAY = 6,        ///< array of anything (validated by the plugin)
  HOOKBROKER_CONFIG_OBJECT = 7,       ///< object (validated by the plugin)
};

/// One row of a config map. The same table drives validation, defaults and
/// `hookbroker --describe-plugin NAME` (the idea of Fluent Bit's config maps).
struct hookbroker_config_option {
  const char* name;           ///< key inside the plugin's "config" object
  uint32_t type;              ///< hookbroker_config_type
  const char* default_json;   ///< default as JSON text ("60", "\"-\"", "[]"); nullptr = no default
  const char* description;    ///< one line for --describe-plugin and docs
  double min;                 ///< numbers: smallest allowed (used when has_min)
  double max;                 ///< numbers: largest allowed (used when has_max)
  uint32_t has_min;
  uint32_t has_max;
  const char* allowed;        ///< strings: allowed values separated by '|', or nullptr
  /// ABI 2: the option's former name, still accepted with a warning (an error
  /// when given together with `name`); nullptr = none. Set with hookbroker::renamed().
  const char* deprecated_name;
  /// ABI 2: a value given under `deprecated_name` is multiplied by this to get
  /// this option's unit (e.g. 1048576 for megabytes -> bytes); 0 or 1 = same unit.
  double deprecated_scale;
};

struct hookbroker_manifest {
  uint32_t struct_size;  ///< sizeof(hookbroker_manifest) as the plugin saw it
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* name;         ///< unique plugin name: [a-z0-9_]+; also its config key
  const char* version;      ///< the plugin's own version, e.g. "1.2.0"
  const char* description;  ///< one line
  uint32_t kinds;           ///< bit mask of hookbroker_kind
  uint32_t flags;           ///< bit mask of hookbroker_manifest_flag
  const hookbroker_config_option* options;
  uint32_t option_count;
  /// Top-level heartbeat `data` keys this plugin contributes, comma-separated
  /// (e.g. "system_metrics"). Two plugins claiming one key is a load error.
  const char* heartbeat_keys;
  // Build fingerprint: must match the core's (see abi.hpp).
  const char* build_compiler;
  uint32_t build_cxx11_abi;
  uint32_t build_boost_version;
  uint32_t build_json_version;
};

}  // extern "C"
