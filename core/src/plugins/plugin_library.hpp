// One plugin shared library, opened with RTLD_NOW | RTLD_LOCAL only after the
// catalog read its manifest from the file and decided it runs: opening runs
// the library's code.
#pragma once

#include <memory>
#include <string>

#include <boost/dll/shared_library.hpp>
#include <nlohmann/json.hpp>

#include "hookbroker/plugin.hpp"

namespace hookbroker::core {

struct PluginCandidate;

class PluginLibrary {
 public:
  /// Opens a Ready candidate's library and checks it is the file whose
  /// manifest was read. On refusal returns nullptr and sets `reason`.
  static std::shared_ptr<PluginLibrary> open(const PluginCandidate& candidate, std::string& reason);

  const std::string& path() const { return path_; }

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
};

}  // namespace hookbroker::core
