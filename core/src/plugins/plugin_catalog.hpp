// Finds plugin libraries, checks them and decides which load: the loader's
// whole policy (where plugins may come from, refusal reasons, duplicates,
// heartbeat key claims, enabled, required, config validation) lives here.
// It reads manifests from the files and never opens a library: opening one
// runs its code, so that is the broker's job, for Ready candidates only.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/manifest.hpp"
#include "plugins/plugin_library.hpp"

namespace hookbroker::core {

struct PluginCandidate {
  enum class Status { Ready, Disabled, Refused };
  std::string path;       ///< as found in the plugin directory
  std::string real_path;  ///< symlinks resolved: what was checked and is opened
  std::string name;       ///< from the manifest; the file name when unreadable
  Status status = Status::Refused;
  std::string reason;  ///< why Disabled or Refused
  bool required = false;
  nlohmann::json config = nlohmann::json::object();  ///< validated, defaults filled
  /// Set once the manifest was read and this core can run it (Ready, Disabled,
  /// and refused later for names, keys or config).
  std::shared_ptr<const PluginManifest> manifest;
  std::string manifest_text;                ///< as read, to recognise the library when opened
  std::vector<std::string> heartbeat_keys;  ///< the manifest's, split
  std::shared_ptr<PluginLibrary> library;   ///< set by the broker when it opens a Ready one
};

struct PluginScanOptions {
  /// Load from places others could change, with a warning per place (development only).
  bool allow_insecure_paths = false;
  /// Whose files are trusted besides root's: the broker's effective user.
  uid_t user = ::geteuid();
};

/// Heartbeat `data` keys the core owns; no plugin may claim them.
const std::vector<std::string>& core_heartbeat_keys();

class PluginCatalog {
 public:
  /// Scans `dirs` in order (files ending in .so, sorted by name within a
  /// directory) and evaluates every file against `plugins_config`
  /// (the "plugins" settings object). Missing directories, and insecure
  /// places allowed by `options`, are reported in `warnings`.
  static PluginCatalog scan(const std::vector<std::string>& dirs, const nlohmann::json& plugins_config,
                            const PluginScanOptions& options = {});

  const std::vector<PluginCandidate>& candidates() const { return candidates_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Config the broker must not run with (an option given under its old and
  /// its new name): exit 2, like a bad core setting.
  const std::vector<std::string>& bad_settings() const { return bad_settings_; }
  const PluginCandidate* find(const std::string& name) const;

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
