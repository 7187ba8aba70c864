// hookbroker SDK — the plugin manifest: what a plugin says about itself, read
// by the core from the library *file*, before the library is opened.
//
// Opening a shared library runs its code (static initialisers, ELF
// constructors), so nothing about a plugin may be learnt by opening it. The
// manifest is therefore data: HOOKBROKER_PLUGIN (plugin.hpp) writes it at
// compile time as JSON text into the library's `.hookbroker.manifest`
// section (also exported as the symbol `hookbroker_plugin_manifest_data`).
// The core reads that section from the file, checks it (ABI version, build
// fingerprint, name, kinds, config against the option table, enabled or not)
// and opens only the libraries that will run. `readelf -p .hookbroker.manifest
// NAME.so` shows it.
//
// The text is one JSON object, NUL-terminated:
//
//   {"hookbroker_plugin_manifest": 1,          marks the document
//    "abi": [MAJOR, MINOR],                    the SDK the plugin was built with
//    "name": "...", "version": "...", "description": "...",
//    "kinds": N,                               bit mask of hookbroker_kind
//    "flags": N,                               bit mask of hookbroker_manifest_flag
//    "heartbeat_keys": "a,b",                  heartbeat `data` keys it contributes
//    "build": {"compiler": "gcc 12", "cxx11_abi": 1, "boost": 107400, "json": 31102},
//    "options": [{"name": "...", "type": N, "default": "<JSON text>", "description": "...",
//                 "min": X, "max": X, "allowed": "a|b", "deprecated_name": "...",
//                 "deprecated_scale": X}, ...]}
//
// In an option only "name" and "type" are always there; the rest appear when
// set. A number X is a JSON number when it is a whole number below 2^53, else
// [M, E] meaning M * 2^E exactly (0.05 is [3602879701896397, -56]), because
// the compiler cannot print a double in decimal. "abi" and "name" keep their
// meaning in every ABI major; the rest is this major's. A minor may add keys,
// which older cores ignore.
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/abi.hpp"
#include "hookbroker/json_input.hpp"

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

}  // extern "C"

/// The section holding the manifest text (a string literal for the attribute).
#define HOOKBROKER_MANIFEST_SECTION ".hookbroker.manifest"
/// The exported object holding the same text.
#define HOOKBROKER_MANIFEST_SYMBOL hookbroker_plugin_manifest_data

namespace hookbroker {

/// The manifest's place in a plugin library.
namespace manifest_location {
inline constexpr const char* kSection = HOOKBROKER_MANIFEST_SECTION;
/// The exported symbol of the same bytes, for a library already opened.
inline constexpr const char* kSymbol = HOOKBROKER_STRINGIFY(HOOKBROKER_MANIFEST_SYMBOL);
/// Larger manifest sections are refused unread.
inline constexpr std::size_t kMaxBytes = 1u << 20;
}  // namespace manifest_location

/// The JSON keys, one home for the writer and the reader.
namespace manifest_keys {
inline constexpr const char* kMarker = "hookbroker_plugin_manifest";
inline constexpr int kMarkerValue = 1;
inline constexpr const char* kAbi = "abi";
inline constexpr const char* kName = "name";
inline constexpr const char* kVersion = "version";
inline constexpr const char* kDescription = "description";
inline constexpr const char* kKinds = "kinds";
inline constexpr const char* kFlags = "flags";
inline constexpr const char* kHeartbeatKeys = "heartbeat_keys";
inline constexpr const char* kBuild = "build";
inline constexpr const char* kCompiler = "compiler";
inline constexpr const char* kCxx11Abi = "cxx11_abi";
inline constexpr const char* kBoost = "boost";
inline constexpr const char* kJson = "json";
inline constexpr const char* kOptions = "options";
inline constexpr const char* kType = "type";
inline constexpr const char* kDefault = "default";
inline constexpr const char* kMin = "min";
inline constexpr const char* kMax = "max";
inline constexpr const char* kAllowed = "allowed";
inline constexpr const char* kDeprecatedName = "deprecated_name";
inline constexpr const char* kDeprecatedScale = "deprecated_scale";
/// Options per plugin at most (OptionList's capacity, config.hpp).
inline constexpr std::size_t kMaxOptions = 128;
}  // namespace manifest_keys

/// A manifest as read from its text.
struct PluginManifest {
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  std::string name;  ///< as written; the core checks it is [a-z0-9_]{1,64}
  std::string version;
  std::string description;
  uint32_t kinds = 0;  ///< hookbroker_kind bits
  uint32_t flags = 0;  ///< hookbroker_manifest_flag bits
  std::string heartbeat_keys;  ///< comma-separated, as declared
  std::string build_compiler;
  uint32_t build_cxx11_abi = 0;
  uint32_t build_boost_version = 0;
  uint32_t build_json_version = 0;
  /// The config map; its strings are owned by `strings`, which copies share.
  std::vector<hookbroker_config_option> options;
  std::shared_ptr<const std::deque<std::string>> strings;

  bool enabled_by_default() const { return (flags & HOOKBROKER_FLAG_DISABLED_BY_DEFAULT) == 0; }
};

struct ManifestRead {
  bool ok = false;
  /// Filled as far as it was read: on failure `name` and `abi_*` may still be
  /// set, for messages.
  PluginManifest manifest;
  std::string error;  ///< when !ok: what is wrong, e.g. "'kinds' must be a whole number"
};

namespace detail {

/// Reads the members of one JSON object of a manifest; the first problem is
/// kept in `error`, prefixed with where the object is ("options[2].").
class ManifestFields {
 public:
  ManifestFields(const nlohmann::json& object, std::string where, std::string& error)
      : object_(object), where_(std::move(where)), error_(error) {}

  bool whole(const char* key, uint64_t min, uint64_t max, uint64_t& out) {
    const auto it = object_.find(key);
    if (it == object_.end() || !it->is_number_unsigned() || it->get<uint64_t>() < min ||
        it->get<uint64_t>() > max)
      return fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    out = it->get<uint64_t>();
    return true;
  }

  /// A string member; `present` (when given) says whether it was there.
  bool text(const char* key, bool required, std::string& out, bool* present = nullptr) {
    const auto it = object_.find(key);
    if (present) *present = it != object_.end();
    if (it == object_.end()) return required ? fail(key, "is missing") : true;
    if (!it->is_string()) return fail(key, "must be a string");
    out = it->get<std::string>();
    return true;
  }

  /// An optional number as the writer puts it: a JSON number, or [M, E] for M * 2^E.
  bool number(const char* key, double& out, bool& present) {
    const auto it = object_.find(key);
    present = it != object_.end();
    if (!present) return true;
    if (it->is_number()) {
      out = it->get<double>();
      if (std::isfinite(out)) return true;
    } else if (it->is_array() && it->size() == 2 && (*it)[0].is_number_integer() && (*it)[1].is_number_integer()) {
      const int64_t mantissa = (*it)[0].get<int64_t>();
      const int64_t exponent = (*it)[1].get<int64_t>();
      constexpr int64_t kLargestExact = int64_t{1} << 53;
      if (mantissa <= kLargestExact && mantissa >= -kLargestExact && exponent >= -1100 && exponent <= 1100) {
        out = std::ldexp(static_cast<double>(mantissa), static_cast<int>(exponent));
        if (std::isfinite(out)) return true;
      }
    }
    return fail(key, "must be a finite number, or [mantissa, exponent]");
  }

  bool fail(const char* key, const std::string& problem) {
    error_ = where_ + "'" + key + "' " + problem;
    return false;
  }

 private:
  const nlohmann::json& object_;
  std::string where_;
  std::string& error_;
};

/// One row of "options"; its texts go to `strings` (a deque never moves its
/// elements, so the row's pointers stay valid), absent optional ones stay nullptr.
inline bool read_manifest_option(const nlohmann::json& row, const std::string& where, std::deque<std::string>& strings,
                                 hookbroker_config_option& o, std::string& error) {
  namespace key = manifest_keys;
  if (!row.is_object()) {
    error = where + " must be an object";
    return false;
  }
  ManifestFields fields(row, where + ".", error);
  o = hookbroker_config_option{};
  auto text = [&](const char* name, bool required, const char*& field) {
    std::string value;
    bool present = false;
    if (!fields.text(name, required, value, &present)) return false;
    if (present) field = strings.emplace_back(std::move(value)).c_str();
    return true;
  };
  if (!text(key::kName, true, o.name) || !text(key::kDefault, false, o.default_json) ||
      !text(key::kDescription, false, o.description) || !text(key::kAllowed, false, o.allowed) ||
      !text(key::kDeprecatedName, false, o.deprecated_name))
    return false;
  if (*o.name == '\0') return fields.fail(key::kName, "is empty");
  if (!o.description) o.description = "";
  uint64_t type = 0;
  if (!fields.whole(key::kType, HOOKBROKER_CONFIG_BOOL, HOOKBROKER_CONFIG_OBJECT, type)) return false;
  o.type = static_cast<uint32_t>(type);
  bool has_min = false, has_max = false, has_scale = false;
  if (!fields.number(key::kMin, o.min, has_min) || !fields.number(key::kMax, o.max, has_max) ||
      !fields.number(key::kDeprecatedScale, o.deprecated_scale, has_scale))
    return false;
  o.has_min = has_min ? 1 : 0;
  o.has_max = has_max ? 1 : 0;
  return true;
}

}  // namespace detail

/// Reads a manifest text (without its NUL). Checks the format, and that the
/// ABI major is this SDK's (the rest of the format depends on it); the other
/// checks (minor, build fingerprint, name) are the loader's.
inline ManifestRead read_plugin_manifest(std::string_view text) {
  namespace key = manifest_keys;
  ManifestRead out;
  PluginManifest& m = out.manifest;
  std::string& error = out.error;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    error = "the manifest is empty";
    return out;
  }
  JsonInput parsed = parse_json_input(text, 8);
  if (!parsed.ok) {
    error = parsed.error;
    return out;
  }
  const nlohmann::json& doc = parsed.value;
  if (!doc.is_object() || !doc.contains(key::kMarker)) {
    error = std::string("not a hookbroker plugin manifest (no \"") + key::kMarker + "\" key)";
    return out;
  }
  if (doc[key::kMarker] != key::kMarkerValue) {
    error = "unknown manifest format " + doc[key::kMarker].dump() +
            " (this hookbroker reads format 1): upgrade hookbroker or rebuild the plugin";
    return out;
  }
  // The name first, so that every later message can name the plugin.
  if (doc.contains(key::kName) && doc[key::kName].is_string()) m.name = doc[key::kName].get<std::string>();
  detail::ManifestFields fields(doc, "", error);
  const auto abi = doc.find(key::kAbi);
  if (abi == doc.end() || !abi->is_array() || abi->size() != 2 || !(*abi)[0].is_number_unsigned() ||
      !(*abi)[1].is_number_unsigned() || (*abi)[0].get<uint64_t>() > 0xffff || (*abi)[1].get<uint64_t>() > 0xffff) {
    fields.fail(key::kAbi, "must be [major, minor]");
    return out;
  }
  m.abi_major = static_cast<uint16_t>((*abi)[0].get<uint64_t>());
  m.abi_minor = static_cast<uint16_t>((*abi)[1].get<uint64_t>());
  if (m.abi_major != HOOKBROKER_ABI_MAJOR) {
    error = "ABI major version mismatch: plugin has " + std::to_string(m.abi_major) + "." +
            std::to_string(m.abi_minor) + ", core has " + std::to_string(HOOKBROKER_ABI_MAJOR) + "." +
            std::to_string(HOOKBROKER_ABI_MINOR) + "; rebuild the plugin against this hookbroker's SDK";
    return out;
  }

  uint64_t kinds = 0, flags = 0;
  if (!fields.text(key::kName, true, m.name) || !fields.text(key::kVersion, true, m.version) ||
      !fields.text(key::kDescription, false, m.description) ||
      !fields.text(key::kHeartbeatKeys, false, m.heartbeat_keys) || !fields.whole(key::kKinds, 0, 0xffffffffu, kinds) ||
      !fields.whole(key::kFlags, 0, 0xffffffffu, flags))
    return out;
  m.kinds = static_cast<uint32_t>(kinds);
  m.flags = static_cast<uint32_t>(flags);

  const auto build = doc.find(key::kBuild);
  if (build == doc.end() || !build->is_object()) {
    fields.fail(key::kBuild, "must be an object");
    return out;
  }
  detail::ManifestFields build_fields(*build, std::string(key::kBuild) + ".", error);
  uint64_t cxx11_abi = 0, boost = 0, json = 0;
  if (!build_fields.text(key::kCompiler, true, m.build_compiler) ||
      !build_fields.whole(key::kCxx11Abi, 0, 0xffffffffu, cxx11_abi) ||
      !build_fields.whole(key::kBoost, 0, 0xffffffffu, boost) || !build_fields.whole(key::kJson, 0, 0xffffffffu, json))
    return out;
  m.build_cxx11_abi = static_cast<uint32_t>(cxx11_abi);
  m.build_boost_version = static_cast<uint32_t>(boost);
  m.build_json_version = static_cast<uint32_t>(json);

  auto strings = std::make_shared<std::deque<std::string>>();
  const auto options = doc.find(key::kOptions);
  if (options != doc.end()) {
    if (!options->is_array() || options->size() > key::kMaxOptions) {
      fields.fail(key::kOptions, "must be an array of at most " + std::to_string(key::kMaxOptions) + " options");
      return out;
    }
    m.options.resize(options->size());
    for (std::size_t i = 0; i < options->size(); ++i)
      if (!detail::read_manifest_option((*options)[i], "options[" + std::to_string(i) + "]", *strings, m.options[i],
                                        error))
        return out;
  }
  m.strings = std::move(strings);
  out.ok = true;
  return out;
}

}  // namespace hookbroker
