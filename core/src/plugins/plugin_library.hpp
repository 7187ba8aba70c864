// One plugin shared library: opened with RTLD_NOW | RTLD_LOCAL, its manifest
// read and checked before any of its C++ code is trusted.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>

#include "hookbroker/manifest.hpp"

#include "hookbroker/plugin.hpp"

namespace hookbroker::core {

/// The manifest, copied out of the library into owned strings.
struct ManifestInfo {
  std::string name;
  std::string version;
  std::string description;
  uint32_t kinds = 0;
  uint16_t abi_minor = 0;  ///< the SDK minor it was built with: which appended virtuals it has
  bool enabled_by_default = true;
  std::vector<std::string> heartbeat_keys;
  const hookbroker_config_option* options = nullptr;  ///< valid while the library is loaded
  uint32_t option_count = 0;
};

/// "transport, heartbeat contributor" for a kinds mask.
std::string kinds_to_string(uint32_t kinds);

class PluginLibrary {
 public:
  using PluginDeleter = void (*)(Plugin*);

  /// Opens `path` and checks the manifest. On refusal returns nullptr and
  /// sets `reason` (and `name` when the manifest could still be read).
  static std::shared_ptr<PluginLibrary> open(const std::string& path, std::string& name,
                                             std::string& reason);

  const std::string& path() const { return path_; }
  const ManifestInfo& manifest() const { return manifest_; }

  /// Calls hookbroker_plugin_create, which also fills `interfaces`. Returns
  /// nullptr and sets `error` when the plugin's constructor threw;
  /// `config_error` tells whether it threw hookbroker::ConfigError (a bad
  /// setting: the broker exits 2).
  Plugin* create(HostApi& host, const nlohmann::json& config, PluginInterfaces& interfaces, std::string& error,
                 bool& config_error) const;
  void destroy(Plugin* plugin) const;

 private:
  PluginLibrary() = default;
  std::string path_;
  boost::dll::shared_library library_;
  ManifestInfo manifest_;
};

}  // namespace hookbroker::core
