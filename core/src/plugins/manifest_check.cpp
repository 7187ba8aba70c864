#include "plugins/manifest_check.hpp"

#include <sstream>

#include "hookbroker/abi.hpp"

namespace hookbroker::core {
namespace {

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

}  // namespace

bool valid_plugin_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::string check_manifest(const PluginManifest& m) {
  if (m.abi_minor > HOOKBROKER_ABI_MINOR)
    return "ABI minor version newer than the core: plugin needs " + std::to_string(m.abi_major) + "." +
           std::to_string(m.abi_minor) + ", core has " + std::to_string(HOOKBROKER_ABI_MAJOR) + "." +
           std::to_string(HOOKBROKER_ABI_MINOR) + "; upgrade hookbroker or rebuild the plugin against this SDK";
  if (m.build_compiler != HOOKBROKER_BUILD_COMPILER)
    return "incompatible build: plugin compiled with " + m.build_compiler + ", core with " HOOKBROKER_BUILD_COMPILER;
  if (m.build_cxx11_abi != HOOKBROKER_BUILD_CXX11_ABI)
    return "incompatible build: plugin uses _GLIBCXX_USE_CXX11_ABI=" + std::to_string(m.build_cxx11_abi) +
           ", core uses " + std::to_string(HOOKBROKER_BUILD_CXX11_ABI);
  if (m.build_boost_version != HOOKBROKER_BUILD_BOOST_VERSION)
    return "incompatible build: plugin built with Boost " + version_text(m.build_boost_version) +
           ", core with Boost " + version_text(HOOKBROKER_BUILD_BOOST_VERSION);
  if (m.build_json_version / 100 != HOOKBROKER_BUILD_JSON_VERSION / 100)
    return "incompatible build: plugin built with nlohmann/json " + json_version_text(m.build_json_version) +
           ", core with " + json_version_text(HOOKBROKER_BUILD_JSON_VERSION);
  if (!valid_plugin_name(m.name)) {
    std::string shown;
    for (const char c : m.name.substr(0, 80)) shown += (c >= 0x20 && c < 0x7f) ? c : '?';
    return "invalid plugin name '" + shown + "': use 1-64 of [a-z0-9_]";
  }
  return {};
}

std::vector<std::string> heartbeat_key_list(const PluginManifest& manifest) {
  std::vector<std::string> out;
  std::stringstream in(manifest.heartbeat_keys);
  std::string key;
  while (std::getline(in, key, ',')) {
    key.erase(0, key.find_first_not_of(' '));
    key.erase(key.find_last_not_of(' ') + 1);
    if (!key.empty()) out.push_back(key);
  }
  return out;
}

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

}  // namespace hookbroker::core
