#include "plugins/plugin_catalog.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "options/config_schema.hpp"
#include "plugins/manifest_check.hpp"
#include "plugins/manifest_reader.hpp"
#include "plugins/plugin_file.hpp"

namespace hookbroker::core {
namespace fs = std::filesystem;

const std::vector<std::string>& core_heartbeat_keys() {
  static const std::vector<std::string> keys = {"uptime_seconds", "total_events", "connected_clients",
                                                "server_info", "plugin_errors", "previous_tick_ms"};
  return keys;
}

namespace {

std::vector<std::string> plugin_files(const std::string& dir, std::vector<std::string>& warnings) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    warnings.push_back("plugin directory " + dir + " does not exist or is not a directory");
    return files;
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".so" && !entry.is_directory()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool flag_in(const nlohmann::json& section, const char* key, bool fallback) {
  return section.is_object() && section.contains(key) && section[key].is_boolean() ? section[key].get<bool>()
                                                                                    : fallback;
}

std::string insecure_reason(const std::vector<LocationProblem>& problems) {
  std::string reason = "insecure location: ";
  for (const auto& problem : problems) reason += problem.text() + "; ";
  return reason + "or, for development only, allow it with --allow-insecure-plugin-paths";
}

}  // namespace

PluginCatalog PluginCatalog::scan(const std::vector<std::string>& dirs, const nlohmann::json& plugins_config,
                                  const PluginScanOptions& options) {
  PluginCatalog catalog;
  const ManifestReading reading;  // one libelf opening for the whole scan, closed after
  std::map<std::string, std::string> name_owner;  // name → path
  std::map<std::string, std::string> key_owner;   // heartbeat key → plugin
  for (const auto& key : core_heartbeat_keys()) key_owner[key] = "the core";

  std::set<std::string> warned;  // one warning per insecure place
  for (const auto& dir : dirs) {
    const std::vector<std::string> files = plugin_files(dir, catalog.warnings_);
    if (files.empty()) continue;
    std::error_code ec;
    const std::string real_dir = fs::canonical(dir, ec).string();
    const std::vector<LocationProblem> dir_problems =
        ec ? std::vector<LocationProblem>{{dir, "cannot resolve plugin directory " + dir + ": " + ec.message(),
                                           "make sure it exists and the broker's user may read it"}}
           : directory_problems(real_dir, options.user, "plugin directory");
    for (const auto& path : files) {
      PluginCandidate c;
      c.path = path;
      c.name = fs::path(path).stem().string();
      PluginFile file = inspect_plugin_file(path, real_dir, options.user);
      c.real_path = file.real_path;
      // Unchecked text from the file goes into messages only when it is a plain name.
      if (valid_plugin_name(file.manifest.manifest.name)) c.name = file.manifest.manifest.name;
      const nlohmann::json section =
          plugins_config.contains(c.name) ? plugins_config[c.name] : nlohmann::json::object();
      c.required = flag_in(section, "required", false);
      std::vector<LocationProblem> problems = dir_problems;
      problems.insert(problems.end(), file.problems.begin(), file.problems.end());
      if (!problems.empty() && !options.allow_insecure_paths) {
        c.reason = insecure_reason(problems);
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      for (const auto& problem : problems)
        if (warned.insert(problem.problem).second)
          catalog.warnings_.push_back("INSECURE plugin location, allowed only because allow_insecure_plugin_paths "
                                      "is set: " +
                                      problem.problem + ". Whoever can change it runs code in the broker as " +
                                      user_label(options.user) + "; never allow this outside development (fix: " +
                                      problem.fix + ")");
      if (!file.manifest.ok) {
        c.reason = file.manifest.reason;
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      if (std::string problem = check_manifest(file.manifest.manifest); !problem.empty()) {
        c.reason = std::move(problem);
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      c.manifest = std::make_shared<const PluginManifest>(std::move(file.manifest.manifest));
      c.manifest_text = std::move(file.manifest.text);
      c.heartbeat_keys = heartbeat_key_list(*c.manifest);
      const PluginManifest& m = *c.manifest;
      if (auto dup = name_owner.find(m.name); dup != name_owner.end()) {
        c.reason = "duplicate plugin name '" + m.name + "': already found at " + dup->second +
                   "; remove one of the two files";
        c.manifest.reset();
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      name_owner[m.name] = path;
      if (!flag_in(section, "enabled", m.enabled_by_default())) {
        c.status = PluginCandidate::Status::Disabled;
        c.reason = m.enabled_by_default() ? "disabled in config"
                                        : "disabled by default; enable with plugins." + m.name + ".enabled=true";
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      std::string conflict;
      for (const auto& key : c.heartbeat_keys) {
        auto owner = key_owner.find(key);
        if (owner != key_owner.end()) {
          conflict = "heartbeat key '" + key + "' is already claimed by " +
                     (owner->second == "the core" ? owner->second : "plugin '" + owner->second + "'");
          break;
        }
      }
      if (!conflict.empty()) {
        c.reason = conflict;
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      auto validated = validate_config_object(m.options.data(), static_cast<uint32_t>(m.options.size()),
                                              section.is_object() && section.contains("config")
                                                  ? section["config"]
                                                  : nlohmann::json::object(),
                                              "plugins." + m.name + ".config");
      for (auto& w : validated.warnings) catalog.warnings_.push_back(std::move(w));
      if (!validated.conflicts.empty()) {
        // Not just a refusal: the user's intent is ambiguous, so the broker does not start.
        for (const auto& conflict : validated.conflicts) catalog.bad_settings_.push_back(conflict);
        validated.errors.insert(validated.errors.begin(), validated.conflicts.begin(), validated.conflicts.end());
      }
      if (!validated.errors.empty()) {
        c.reason = "invalid config: " + validated.errors.front();
        for (std::size_t i = 1; i < validated.errors.size(); ++i) c.reason += "; " + validated.errors[i];
        catalog.candidates_.push_back(std::move(c));
        continue;
      }
      for (const auto& key : c.heartbeat_keys) key_owner[key] = m.name;
      c.config = validated.value;
      c.status = PluginCandidate::Status::Ready;
      catalog.candidates_.push_back(std::move(c));
    }
  }
  for (auto it = plugins_config.begin(); it != plugins_config.end(); ++it) {
    if (!catalog.find(it.key()))
      catalog.warnings_.push_back("config names plugin '" + it.key() +
                                  "' but no such plugin was found in the plugin directories");
  }
  return catalog;
}

const PluginCandidate* PluginCatalog::find(const std::string& name) const {
  for (const auto& c : candidates_)
    if (c.name == name && (c.manifest || c.status == PluginCandidate::Status::Refused)) return &c;
  return nullptr;
}

void PluginCatalog::fail(const std::string& name, const std::string& reason) {
  for (auto& c : candidates_) {
    if (c.name == name && c.status == PluginCandidate::Status::Ready) {
      c.status = PluginCandidate::Status::Refused;
      c.reason = reason;
      return;
    }
  }
}

std::string PluginCatalog::required_failure(const nlohmann::json& plugins_config) const {
  for (auto it = plugins_config.begin(); it != plugins_config.end(); ++it) {
    if (!flag_in(it.value(), "required", false)) continue;
    const PluginCandidate* c = nullptr;
    for (const auto& candidate : candidates_)
      if (candidate.name == it.key() && candidate.status == PluginCandidate::Status::Ready) c = &candidate;
    if (c) continue;
    for (const auto& candidate : candidates_)
      if (candidate.name == it.key()) c = &candidate;
    if (!c) return "required plugin '" + it.key() + "' was not found in the plugin directories";
    return "required plugin '" + it.key() + "' (" + c->path + ") did not load: " + c->reason;
  }
  return {};
}

}  // namespace hookbroker::core
