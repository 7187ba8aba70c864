#include "plugins/plugin_library.hpp"

#include <dlfcn.h>

#include <cstddef>
#include <cstring>
#include <sstream>

#include <nlohmann/json.hpp>

#include "hookbroker/abi.hpp"
#include "hookbroker/plugin.hpp"

namespace hookbroker::core {
namespace {

namespace entry = hookbroker::entry_points;

// The manifest fields up to and including the fingerprint are required.
constexpr uint32_t kMinimumManifestSize =
    offsetof(hookbroker_manifest, build_json_version) + sizeof(uint32_t);

std::string version_text(uint32_t boost_style) {  // 107400 → 1.74.0
  std::ostringstream out;
  out << boost_style / 100000 << "." << boost_style / 100 % 1000 << "." << boost_style % 100;
  return out.str();
}

std::string json_version_text(uint32_t v) {  // 31102 → 3.11.2
  std::ostringstream out;
  out << v / 10000 << "." << v / 100 % 100 << "." << v % 100;
  return out.str();
}

/// Turns dlopen's error into the reason a user can act on.
std::string describe_open_error(const std::string& dl_error) {
  if (dl_error.find("invalid ELF header") != std::string::npos ||
      dl_error.find("file too short") != std::string::npos ||
      dl_error.find("not an ELF") != std::string::npos)
    return "not a shared library (" + dl_error + "); remove it from the plugin directory";
  if (dl_error.find("undefined symbol") != std::string::npos)
    return "unresolved symbol: " + dl_error +
           "; rebuild the plugin with hookbroker_add_plugin (links with --no-undefined)";
  return "cannot load: " + dl_error;
}

std::string check_manifest(const hookbroker_manifest& m) {
  if (m.struct_size < kMinimumManifestSize)
    return "manifest too small (" + std::to_string(m.struct_size) +
           " bytes): built with an SDK older than ABI 1.0; rebuild the plugin against this hookbroker's SDK";
  if (m.abi_major != HOOKBROKER_ABI_MAJOR)
    return "ABI major version mismatch: plugin has " + std::to_string(m.abi_major) + "." +
           std::to_string(m.abi_minor) + ", core has " + std::to_string(HOOKBROKER_ABI_MAJOR) + "." +
           std::to_string(HOOKBROKER_ABI_MINOR) + "; rebuild the plugin against this hookbroker's SDK";
  if (m.abi_minor > HOOKBROKER_ABI_MINOR)
    return "ABI minor version newer than the core: plugin needs " + std::to_string(m.abi_major) + "." +
           std::to_string(m.abi_minor) + ", core has " + std::to_string(HOOKBROKER_ABI_MAJOR) + "." +
           std::to_string(HOOKBROKER_ABI_MINOR) + "; upgrade hookbroker or rebuild the plugin against this SDK";
  const std::string compiler = m.build_compiler ? m.build_compiler : "(none)";
  if (compiler != HOOKBROKER_BUILD_COMPILER)
    return "incompatible build: plugin compiled with " + compiler + ", core with " HOOKBROKER_BUILD_COMPILER;
  if (m.build_cxx11_abi != HOOKBROKER_BUILD_CXX11_ABI)
    return "incompatible build: plugin uses _GLIBCXX_USE_CXX11_ABI=" + std::to_string(m.build_cxx11_abi) +
           ", core uses " + std::to_string(HOOKBROKER_BUILD_CXX11_ABI);
  if (m.build_boost_version != HOOKBROKER_BUILD_BOOST_VERSION)
    return "incompatible build: plugin built with Boost " + version_text(m.build_boost_version) +
           ", core with Boost " + version_text(HOOKBROKER_BUILD_BOOST_VERSION);
  if (m.build_json_version / 100 != HOOKBROKER_BUILD_JSON_VERSION / 100)
    return "incompatible build: plugin built with nlohmann/json " + json_version_text(m.build_json_version) +
           ", core with " + json_version_text(HOOKBROKER_BUILD_JSON_VERSION);
  auto valid_name = [](const char* name) {
    const std::size_t length = name ? std::strlen(name) : 0;
    if (length == 0 || length > 64) return false;
    for (std::size_t i = 0; i < length; ++i) {
      const char c = name[i];
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
    }
    return true;
  };
  if (!valid_name(m.name))
    return std::string("invalid plugin name '") + (m.name ? m.name : "") + "': use 1-64 of [a-z0-9_]";
  if (m.option_count > 0 && !m.options) return "manifest declares options but gives no table";
  return {};
}

std::vector<std::string> split_keys(const char* keys) {
  std::vector<std::string> out;
  if (!keys) return out;
  std::stringstream in(keys);
  std::string key;
  while (std::getline(in, key, ',')) {
    key.erase(0, key.find_first_not_of(' '));
    key.erase(key.find_last_not_of(' ') + 1);
    if (!key.empty()) out.push_back(key);
  }
  return out;
}

}  // namespace

std::string kinds_to_string(uint32_t kinds) {
  static const std::pair<uint32_t, const char*> names[] = {
      {HOOKBROKER_KIND_TRANSPORT, "transport"},
      {HOOKBROKER_KIND_SESSION_TRACKER, "session tracker"},
      {HOOKBROKER_KIND_HOOK_HANDLER, "hook handler"},
      {HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR, "heartbeat contributor"},
      {HOOKBROKER_KIND_EVENT_SINK, "event sink"},
  };
  std::string text;
  for (const auto& [bit, name] : names)
    if (kinds & bit) text += (text.empty() ? "" : ", ") + std::string(name);
  return text.empty() ? "service" : text;
}

std::shared_ptr<PluginLibrary> PluginLibrary::open(const std::string& path, std::string& name,
                                                   std::string& reason) {
  namespace dll = boost::dll;
  std::shared_ptr<PluginLibrary> lib(new PluginLibrary());
  lib->path_ = path;
  boost::system::error_code ec;
  lib->library_.load(path, ec, dll::load_mode::rtld_now | dll::load_mode::rtld_local);
  if (ec) {
    const char* dl_error = dlerror();
    std::string detail = dl_error ? dl_error : ec.message();
    // Read the name from a lazily bound copy so the message can name the plugin.
    if (detail.find("undefined symbol") != std::string::npos) {
      boost::system::error_code lazy_ec;
      dll::shared_library lazy(path, lazy_ec, dll::load_mode::rtld_lazy | dll::load_mode::rtld_local);
      if (!lazy_ec && lazy.has(entry::kManifest)) {
        const hookbroker_manifest* m = lazy.get<entry::ManifestFn>(entry::kManifest)();
        if (m && m->name) name = m->name;
      }
    }
    reason = describe_open_error(detail);
    return nullptr;
  }
  if (!lib->library_.has(entry::kManifest)) {
    reason = "no hookbroker_plugin_manifest symbol: not a hookbroker plugin (build it with HOOKBROKER_PLUGIN)";
    return nullptr;
  }
  const hookbroker_manifest* m = lib->library_.get<entry::ManifestFn>(entry::kManifest)();
  if (!m) {
    reason = "hookbroker_plugin_manifest() returned nothing (its PluginInfo expression threw)";
    return nullptr;
  }
  if (m->struct_size >= kMinimumManifestSize && m->name) name = m->name;
  reason = check_manifest(*m);
  if (!reason.empty()) return nullptr;
  if (!lib->library_.has(entry::kCreate) || !lib->library_.has(entry::kDestroy)) {
    reason = "missing hookbroker_plugin_create/destroy: build it with HOOKBROKER_PLUGIN";
    return nullptr;
  }
  ManifestInfo& info = lib->manifest_;
  info.name = m->name;
  info.version = m->version ? m->version : "";
  info.description = m->description ? m->description : "";
  info.kinds = m->kinds;
  info.abi_minor = m->abi_minor;
  info.enabled_by_default = (m->flags & HOOKBROKER_FLAG_DISABLED_BY_DEFAULT) == 0;
  info.heartbeat_keys = split_keys(m->heartbeat_keys);
  info.options = m->options;
  info.option_count = m->option_count;
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
