#include "options/settings_loader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>

#include "hookbroker/config.hpp"
#include "hookbroker/json_input.hpp"
#include "options/config_schema.hpp"
#include "options/core_options.hpp"
#include "platform/user_dirs.hpp"
#include "version.hpp"

namespace hookbroker::core {
namespace {

struct BadSetting {
  std::string message;
};

/// The row of a config key, by its name or its deprecated name (`deprecated` tells which).
const CoreOption* find_option(const std::string& key, bool* deprecated = nullptr) {
  for (const auto& row : core_options()) {
    const bool old = row.spec.deprecated_name && key == row.spec.deprecated_name;
    if (key != row.spec.name && !old) continue;
    if (deprecated) *deprecated = old;
    return &row;
  }
  return nullptr;
}

bool is_option_prefix(const std::string& prefix) {
  for (const auto& row : core_options()) {
    if (std::string(row.spec.name).rfind(prefix + ".", 0) == 0) return true;
    if (row.spec.deprecated_name && std::string(row.spec.deprecated_name).rfind(prefix + ".", 0) == 0) return true;
  }
  return false;
}

std::string known_keys() {
  std::string keys;
  for (const auto& row : core_options()) keys += (keys.empty() ? "" : ", ") + std::string(row.spec.name);
  return keys;
}

using FlatValues = std::map<std::string, nlohmann::json>;

/// Where each setting was given, under which name: a setting given under its
/// old and its new name (in any source) is refused; each old name used is a warning.
class NameUse {
 public:
  /// Call in precedence order, as the values are stored: the last call for a
  /// setting says under which name the value in force was given.
  void record(const CoreOption& row, bool deprecated, const std::string& old_label, const std::string& new_label) {
    if (deprecated) {
      warnings_.push_back(hookbroker::deprecated_name_warning(old_label, new_label));
      old_.emplace(row.spec.name, old_label);
      in_force_[row.spec.name] = old_label;
    } else {
      new_.emplace(row.spec.name, new_label);
      in_force_.erase(row.spec.name);
    }
  }
  /// How errors name a setting's value: its key, or the old name it was given under.
  std::string label(const CoreOption& row) const {
    auto found = in_force_.find(row.spec.name);
    return found != in_force_.end() ? found->second : row.spec.name;
  }
  /// Throws BadSetting for the first setting given under both names.
  void check() const {
    for (const auto& [key, old_label] : old_)
      if (auto found = new_.find(key); found != new_.end())
        throw BadSetting{hookbroker::both_names_error(old_label, found->second)};
  }
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

 private:
  std::map<std::string, std::string> old_, new_;  // key -> where it was given
  std::map<std::string, std::string> in_force_;    // key -> old label, when the value in force came under it
  std::vector<std::string> warnings_;
};

void flatten_file(const nlohmann::json& object, const std::string& prefix, const std::string& file,
                  FlatValues& flat, nlohmann::json& plugins, NameUse& names) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    bool deprecated = false;
    if (key == "plugins") {
      plugins = it.value();
    } else if (const CoreOption* row = find_option(key, &deprecated)) {
      flat[row->spec.name] = it.value();
      names.record(*row, deprecated, key + " (config file " + file + ")",
                   std::string(row->spec.name) + " (config file " + file + ")");
    } else if (is_option_prefix(key) && it.value().is_object()) {
      flatten_file(it.value(), key, file, flat, plugins, names);
    } else {
      throw BadSetting{"config file " + file + ": unknown key '" + key + "' (known keys: " + known_keys() + ")"};
    }
  }
}

nlohmann::json read_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw BadSetting{"cannot read config file " + path + ": " + std::strerror(errno) +
                     " (check the path given to --config or HOOKBROKER_CONFIG)"};
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto parsed = parse_json_input(buffer.str());
  if (!parsed.ok) throw BadSetting{"config file " + path + ": " + parsed.error};
  if (!parsed.value.is_object())
    throw BadSetting{"config file " + path + ": expected a JSON object at the top, got " + parsed.value.dump().substr(0, 40)};
  return parsed.value;
}

void validate_plugins_section(const nlohmann::json& plugins) {
  if (!plugins.is_object()) throw BadSetting{"plugins: expected an object of plugin names"};
  for (auto it = plugins.begin(); it != plugins.end(); ++it) {
    const std::string where = "plugins." + it.key();
    if (!it.value().is_object())
      throw BadSetting{where + ": expected an object like {\"enabled\": true, \"config\": {...}}, got " + it.value().dump()};
    for (auto f = it.value().begin(); f != it.value().end(); ++f) {
      const std::string key = where + "." + f.key();
      if (f.key() == "enabled" || f.key() == "required") {
        if (!f.value().is_boolean()) throw BadSetting{key + ": expected true or false, got " + f.value().dump()};
      } else if (f.key() == "config") {
        if (!f.value().is_object()) throw BadSetting{key + ": expected an object, got " + f.value().dump()};
      } else {
        throw BadSetting{where + ": unknown key '" + f.key() + "' (known keys: enabled, required, config)"};
      }
    }
  }
}

/// --set plugins.x.config.path="out" → sets that path in the plugins object.
void set_plugin_value(nlohmann::json& plugins, const std::string& dotted, const std::string& text) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;
  std::string pointer;
  std::stringstream parts(dotted.substr(std::string("plugins.").size()));
  std::string part;
  while (std::getline(parts, part, '.')) {
    if (part.empty()) throw BadSetting{"--set " + dotted + ": empty path segment"};
    pointer += "/" + part;
  }
  try {
    plugins[nlohmann::json::json_pointer(pointer)] = value;
  } catch (const nlohmann::json::exception&) {
    throw BadSetting{"--set " + dotted + ": that path goes through a value that is not an object"};
  }
}

std::string option_help(const CoreOption& row) {
  std::string text = row.spec.description;
  text += "\n  config: ";
  text += row.spec.name;
  if (row.env) text += std::string(", env: ") + row.env;
  if (row.spec.default_json) text += std::string(", default: ") + row.spec.default_json;
  if (row.spec.deprecated_name) {
    text += std::string("\n  deprecated names: ") + row.spec.deprecated_name;
    if (row.deprecated_flag) text += std::string(", ") + row.deprecated_flag;
    if (row.deprecated_env) text += std::string(", ") + row.deprecated_env;
    text += " (still read, with a warning)";
  }
  return text;
}

// Until 0.2 the Socket.IO transport kept cors_origins in its own config; the
// core applies it to every route now. The old key still loads.
void move_legacy_cors_origins(nlohmann::json& plugins, FlatValues& flat, std::vector<std::string>& warnings) {
  const nlohmann::json::json_pointer legacy("/transport_socketio/config/cors_origins");
  if (!plugins.contains(legacy)) return;
  nlohmann::json value = plugins[legacy];
  plugins["transport_socketio"]["config"].erase("cors_origins");
  if (flat.count("cors_origins")) {
    warnings.push_back("plugins.transport_socketio.config.cors_origins is ignored: cors_origins is set");
    return;
  }
  if (const auto* row = find_option("cors_origins"))
    if (auto error = check_value(row->spec, value, "plugins.transport_socketio.config.cors_origins"))
      throw BadSetting{*error};
  flat["cors_origins"] = std::move(value);
  warnings.push_back(
      "plugins.transport_socketio.config.cors_origins is deprecated: use the broker setting cors_origins "
      "(--cors-origin, HOOKBROKER_CORS_ORIGINS); it applies to every route now");
}

}  // namespace

LoadOutcome load_settings(int argc, const char* const* argv, const EnvLookup& env) {
  LoadOutcome out;
  CLI::App app{"hookbroker " HOOKBROKER_VERSION
               " - receives AI coding-agent hook events, tracks sessions and streams them "
               "live over Socket.IO, with a heartbeat.\n"
               "Settings come from the JSON config file, then HOOKBROKER_* variables, then flags "
               "(flags win).",
               "hookbroker"};
  app.get_formatter()->column_width(34);
  app.footer(
      "Commands (run 'hookbroker COMMAND --help'): install-hooks, doctor, monitor, when installed.\n"
      "Docs: docs/configuration.md. Exit codes: 0 ok, 2 bad setting, 3 port in use, 4 required plugin failed.");

  std::map<std::string, std::string> flag_values, deprecated_flag_values;
  // List options take their flag once per item.
  std::map<std::string, std::vector<std::string>> list_flags;
  for (const auto& row : core_options()) {
    if (!row.flag) continue;
    if (row.spec.type == HOOKBROKER_CONFIG_STRING_LIST) {
      app.add_option(row.flag, list_flags[row.spec.name], option_help(row))
          ->type_name(std::string(row.spec.name) == "plugin_dirs" ? "DIR" : "VALUE");
    } else if (row.spec.type == HOOKBROKER_CONFIG_BOOL) {
      app.add_flag(row.flag, flag_values[row.spec.name], option_help(row));  // "--x" is true, "--x=false" false
    } else {
      app.add_option(row.flag, flag_values[row.spec.name], option_help(row))->type_name("VALUE");
    }
  }
  for (const auto& row : core_options()) {
    if (!row.deprecated_flag) continue;
    app.add_option(row.deprecated_flag, deprecated_flag_values[row.spec.name],
                   std::string("Deprecated name of ") + row.flag + " (still read, with a warning)")
        ->type_name("VALUE")
        ->group("Deprecated options");
  }
  std::string config_flag, describe;
  std::vector<std::string> sets;
  bool version = false, list_plugins = false;
  app.add_option("--config", config_flag,
                 "JSON config file\n  env: HOOKBROKER_CONFIG, default: $XDG_CONFIG_HOME/hookbroker/config.json if it exists")
      ->type_name("FILE");
  app.add_option("--set", sets,
                 "Set any config key, e.g. --set plugins.transport_jsonl.enabled=true (VALUE is JSON, or else a string)")
      ->type_name("KEY=VALUE");
  app.add_flag("--version", version, "Print the version and exit");
  app.add_flag("--list-plugins", list_plugins, "List the plugins found: name, version, kinds, path, loaded or why not");
  app.add_option("--describe-plugin", describe, "Print a plugin's config options and defaults")->type_name("NAME");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out.action = LoadOutcome::Action::Exit;
    out.message = app.help();
    return out;
  } catch (const CLI::ParseError& e) {
    out.action = LoadOutcome::Action::Exit;
    out.exit_code = 2;
    out.message = std::string("hookbroker: ") + e.what() + "\nRun 'hookbroker --help' for the options.";
    return out;
  }
  if (version) {
    out.action = LoadOutcome::Action::Exit;
    out.message = "hookbroker " HOOKBROKER_VERSION;
    return out;
  }

  try {
    FlatValues flat;
    NameUse names;
    nlohmann::json plugins = nlohmann::json::object();

    std::string config_path = config_flag;
    if (config_path.empty() && env("HOOKBROKER_CONFIG")) config_path = env("HOOKBROKER_CONFIG");
    if (config_path.empty()) {
      const std::string fallback = platform::default_config_path(env);
      std::error_code ec;
      if (std::filesystem::exists(fallback, ec)) config_path = fallback;
    }
    if (!config_path.empty()) {
      flatten_file(read_config_file(config_path), "", config_path, flat, plugins, names);
      out.settings.config_file = config_path;
    }

    for (const auto& row : core_options()) {
      for (const char* var : {row.deprecated_env, row.env}) {
        if (!var) continue;
        const char* text = env(var);
        if (!text) continue;
        std::string error;
        auto value = value_from_text(row.spec, text, row.spec.name, error);
        if (!value) throw BadSetting{"environment variable " + std::string(var) + ": " + error};
        flat[row.spec.name] = *value;
        names.record(row, var == row.deprecated_env, "environment variable " + std::string(var),
                     "environment variable " + std::string(row.env));
      }
    }

    for (const auto* values : {&deprecated_flag_values, &flag_values}) {
      const bool deprecated = values == &deprecated_flag_values;
      for (const auto& [key, text] : *values) {
        const CoreOption* row = find_option(key);
        const char* flag = deprecated ? row->deprecated_flag : row->flag;
        if (app.get_option(flag)->count() == 0) continue;
        std::string error;
        auto value = value_from_text(row->spec, text, std::string(flag), error);
        if (!value) throw BadSetting{error};
        flat[key] = *value;
        names.record(*row, deprecated, flag, row->flag);
      }
    }
    for (const auto& [key, items] : list_flags)
      if (!items.empty()) flat[key] = items;

    for (const auto& assignment : sets) {
      const auto eq = assignment.find('=');
      if (eq == std::string::npos || eq == 0)
        throw BadSetting{"--set " + assignment + ": expected KEY=VALUE, e.g. --set heartbeat.interval_s=5"};
      const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
      if (key.rfind("plugins.", 0) == 0) {
        set_plugin_value(plugins, key, text);
        continue;
      }
      bool deprecated = false;
      const CoreOption* row = find_option(key, &deprecated);
      if (!row) throw BadSetting{"--set " + key + ": unknown key (known keys: " + known_keys() + ")"};
      std::string error;
      auto value = value_from_text(row->spec, text, "--set " + key, error);
      if (!value) throw BadSetting{error};
      flat[row->spec.name] = *value;
      names.record(*row, deprecated, "--set " + key, "--set " + std::string(row->spec.name));
    }
    names.check();

    for (const auto& row : core_options()) {
      auto found = flat.find(row.spec.name);
      if (found == flat.end()) continue;
      if (auto error = check_value(row.spec, found->second, names.label(row))) throw BadSetting{*error};
    }
    if (flat.count("plugins")) plugins = flat["plugins"];
    validate_plugins_section(plugins);
    move_legacy_cors_origins(plugins, flat, out.warnings);

    auto get = [&](const char* key) {
      auto found = flat.find(key);
      return found != flat.end() ? found->second : default_value(find_option(key)->spec);
    };
    Settings& s = out.settings;
    s.host = get("host").get<std::string>();
    s.port = static_cast<uint16_t>(get("port").get<double>());
    s.token = get("token").get<std::string>();
    s.allowed_hosts = get("allowed_hosts").get<std::vector<std::string>>();
    s.cors_origins = get("cors_origins").get<std::vector<std::string>>();
    s.auth_failure_log_interval = get("auth_failure_log_interval_s").get<double>();
    s.heartbeat_interval = get("heartbeat.interval_s").get<double>();
    s.contributor_timeout = get("heartbeat.contributor_timeout_s").get<double>();
    s.threads = static_cast<unsigned>(get("threads").get<double>());
    s.history_size = static_cast<std::size_t>(get("history.size").get<double>());
    s.log_level = get("log.level").get<std::string>();
    s.plugin_dirs = get("plugin_dirs").get<std::vector<std::string>>();
    s.builtin_plugin_dir = get("builtin_plugins").get<bool>();
    s.allow_insecure_plugin_paths = get("allow_insecure_plugin_paths").get<bool>();
    s.state_dir = get("state_dir").get<std::string>();
    s.data_dir = get("data_dir").get<std::string>();
    s.plugins = plugins;
    out.warnings = names.take_warnings();
    if (s.state_dir.empty()) s.state_dir = platform::default_state_dir(env);
  } catch (const BadSetting& bad) {
    out.action = LoadOutcome::Action::Exit;
    out.exit_code = 2;
    out.message = "hookbroker: " + bad.message;
    return out;
  }

  if (list_plugins) out.action = LoadOutcome::Action::ListPlugins;
  if (!describe.empty()) {
    out.action = LoadOutcome::Action::DescribePlugin;
    out.plugin = describe;
  }
  return out;
}

}  // namespace hookbroker::core
