// Finds plugin libraries, checks them and decides which load: the loader's
// whole policy (refusal reasons, duplicates, heartbeat key claims, enabled,
// required, config validation) lives here; creating and starting them is the
// broker's job.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugins/plugin_library.hpp"

namespace hookbroker::core {

struct PluginCandidate {
  enum class Status { Ready, Disabled, Refused };
  std::string path;
  std::string name;  ///< from the manifest; the file name when unreadable
  Status status = Status::Refused;
  std::string reason;  ///< why Disabled or Refused
  bool required = false;
  nlohmann::json config = nlohmann::json::object();  ///< validated, defaults filled
  std::shared_ptr<PluginLibrary> library;             ///< set when Ready (or Disabled)
};

/// Heartbeat `data` keys the core owns; no plugin may claim them.
const std::vector<std::string>& core_heartbeat_keys();

class PluginCatalog {
 public:
  /// Scans `dirs` in order (files ending in .so, sorted by name within a
  /// directory) and evaluates every file against `plugins_config`
  /// (the "plugins" settings object). Missing directories are reported in
  /// `warnings`.
  static PluginCatalog scan(const std::vector<std::string>& dirs, const nlohmann::json& plugins_config);

  const std::vector<PluginCandidate>& candidates() const { return candidates_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Config the broker must not run with (an option given under its old and
  /// its new name): exit 2, like a bad core setting.
  const std::vector<std::string>& bad_settings() const { return bad_settings_; }
  const PluginCandidate* find(const std::string& name) const;

  /// Unloads the libraries of candidates that will not run (disabled ones
  /// stay mapped only for --list-plugins and --describe-plugin).
  void release_unused();

  /// Marks a Ready candidate as failed later (create/start threw).
  void fail(const std::string& name, const std::string& reason);

  /// The first reason the broker must not run: a required plugin that is not
  /// Ready or not found. Empty when fine.
  std::string required_failure(const nlohmann::json& plugins_config) const;

 private:
  std::vector<PluginCandidate> candidates_;
  std::vector<std::string> warnings_;
  std::vector<std::string> bad_settings_;
};

}  // namespace hookbroker::core
