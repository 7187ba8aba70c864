#include "plugins/plugin_library.hpp"

#include <dlfcn.h>

#include <cstring>

#include "plugins/plugin_catalog.hpp"

namespace hookbroker::core {
namespace {

namespace entry = hookbroker::entry_points;

/// Turns dlopen's error into the reason a user can act on.
std::string describe_open_error(const std::string& dl_error) {
  if (dl_error.find("undefined symbol") != std::string::npos)
    return "unresolved symbol: " + dl_error +
           "; rebuild the plugin with hookbroker_add_plugin (links with --no-undefined)";
  return "cannot load: " + dl_error;
}

}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::open(const PluginCandidate& candidate, std::string& reason) {
  namespace dll = boost::dll;
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  lib->path_ = candidate.real_path;
  dll::fs::error_code ec;
  // The real path: the one whose place and manifest were checked.
  lib->library_.load(candidate.real_path, ec, dll::load_mode::rtld_now | dll::load_mode::rtld_local);
  if (ec) {
    const char* dl_error = dlerror();
    reason = describe_open_error(dl_error ? dl_error : ec.message());
    return nullptr;
  }
  // Only root or the broker's user can change the file since it was read;
  // one replaced meanwhile (an upgrade in progress) is not the plugin checked.
  const char* text = lib->library_.has(manifest_location::kSymbol)
                         ? &lib->library_.get<const char>(manifest_location::kSymbol)
                         : nullptr;
  if (text == nullptr || std::strncmp(text, candidate.manifest_text.c_str(), candidate.manifest_text.size() + 1) != 0) {
    reason = "the library changed between reading its manifest and opening it (was it being replaced?); "
             "restart the broker";
    return nullptr;
  }
  if (!lib->library_.has(entry::kCreate) || !lib->library_.has(entry::kDestroy)) {
    reason = "missing hookbroker_plugin_create/destroy: build it with HOOKBROKER_PLUGIN";
    return nullptr;
  }
  return lib;
}

Plugin* PluginLibrary::create(HostApi& host, const nlohmann::json& config, PluginInterfaces& interfaces,
                              std::string& error, bool& config_error) const {
  char message[1024] = {0};
  CreateError error_kind = CreateError::None;
  interfaces = {};
  Plugin* plugin = library_.get<entry::CreateFn>(entry::kCreate)(&host, &config, &interfaces, message,
                                                                 sizeof message, &error_kind);
  config_error = !plugin && error_kind == CreateError::BadConfig;
  if (!plugin) error = message[0] ? message : "hookbroker_plugin_create returned no plugin";
  return plugin;
}

void PluginLibrary::destroy(Plugin* plugin) const {
  library_.get<entry::DestroyFn>(entry::kDestroy)(plugin);
}

}  // namespace hookbroker::core
