#include "options/settings_loader.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>

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

const CoreOption* find_option(const std::string& key) {
  for (const auto& row : core_options())
    if (key == row.spec.name) return &row;
  return nullptr;
}

bool is_option_prefix(const std::string& prefix) {
  for (const auto& row : core_options())
    if (std::string(row.spec.name).rfind(prefix + ".", 0) == 0) return true;
  return false;
}

std::string known_keys() {
  std::string keys;
  for (const auto& row : core_options()) keys += (keys.empty() ? "" : ", ") + std::string(row.spec.name);
  return keys;
}

using FlatValues = std::map<std::string, nlohmann::json>;

void flatten_file(const nlohmann::json& object, const std::string& prefix, const std::string& file,
                  FlatValues& flat, nlohmann::json& plugins) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (key == "plugins") {
      plugins = it.value();
    } else if (find_option(key)) {
      flat[key] = it.value();
    } else if (is_option_prefix(key) && it.value().is_object()) {
      flatten_file(it.value(), key, file, flat, plugins);
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
  return text;
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

  std::map<std::string, std::string> flag_values;
  std::vector<std::string> plugin_dirs_flag;
  for (const auto& row : core_options()) {
    if (!row.flag) continue;
    if (std::string(row.spec.name) == "plugin_dirs") {
      app.add_option(row.flag, plugin_dirs_flag, option_help(row))->type_name("DIR");
    } else {
      app.add_option(row.flag, flag_values[row.spec.name], option_help(row))->type_name("VALUE");
    }
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
    nlohmann::json plugins = nlohmann::json::object();

    std::string config_path = config_flag;
    if (config_path.empty() && env("HOOKBROKER_CONFIG")) config_path = env("HOOKBROKER_CONFIG");
    if (config_path.empty()) {
      const std::string fallback = platform::default_config_path(env);
      std::error_code ec;
      if (std::filesystem::exists(fallback, ec)) config_path = fallback;
    }
    if (!config_path.empty()) {
      flatten_file(read_config_file(config_path), "", config_path, flat, plugins);
      out.settings.config_file = config_path;
    }

    for (const auto& row : core_options()) {
      if (!row.env) continue;
      const char* text = env(row.env);
      if (!text) continue;
      std::string error;
      auto value = value_from_text(row.spec, text, row.spec.name, error);
      if (!value) throw BadSetting{"environment variable " + std::string(row.env) + ": " + error};
      flat[row.spec.name] = *value;
    }

    for (const auto& [key, text] : flag_values) {
      const CoreOption* row = find_option(key);
      if (app.get_option(row->flag)->count() == 0) continue;
      std::string error;
      auto value = value_from_text(row->spec, text, std::string(row->flag), error);
      if (!value) throw BadSetting{error};
      flat[key] = *value;
    }
    if (!plugin_dirs_flag.empty()) flat["plugin_dirs"] = plugin_dirs_flag;

    for (const auto& assignment : sets) {
      const auto eq = assignment.find('=');
      if (eq == std::string::npos || eq == 0)
        throw BadSetting{"--set " + assignment + ": expected KEY=VALUE, e.g. --set heartbeat.interval=5"};
      const std::string key = assignment.substr(0, eq), text = assignment.substr(eq + 1);
      if (key.rfind("plugins.", 0) == 0) {
        set_plugin_value(plugins, key, text);
        continue;
      }
      const CoreOption* row = find_option(key);
      if (!row) throw BadSetting{"--set " + key + ": unknown key (known keys: " + known_keys() + ")"};
      std::string error;
      auto value = value_from_text(row->spec, text, "--set " + key, error);
      if (!value) throw BadSetting{error};
      flat[key] = *value;
    }

    for (const auto& row : core_options()) {
      auto found = flat.find(row.spec.name);
      if (found == flat.end()) continue;
      if (auto error = check_value(row.spec, found->second, row.spec.name)) throw BadSetting{*error};
    }
    if (flat.count("plugins")) plugins = flat["plugins"];
    validate_plugins_section(plugins);

    auto get = [&](const char* key) {
      auto found = flat.find(key);
      return found != flat.end() ? found->second : default_value(find_option(key)->spec);
    };
    Settings& s = out.settings;
    s.host = get("host").get<std::string>();
    s.port = static_cast<uint16_t>(get("port").get<double>());
    s.token = get("token").get<std::string>();
    s.heartbeat_interval = get("heartbeat.interval").get<double>();
    s.contributor_timeout = get("heartbeat.contributor_timeout").get<double>();
    s.threads = static_cast<unsigned>(get("threads").get<double>());
    s.history_size = static_cast<std::size_t>(get("history.size").get<double>());
    s.log_level = get("log.level").get<std::string>();
    s.plugin_dirs = get("plugin_dirs").get<std::vector<std::string>>();
    s.builtin_plugin_dir = get("builtin_plugins").get<bool>();
    s.state_dir = get("state_dir").get<std::string>();
    s.data_dir = get("data_dir").get<std::string>();
    s.plugins = plugins;
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
