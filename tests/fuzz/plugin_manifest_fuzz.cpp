// libFuzzer target: the plugin loader's manifest reader, which parses files
// anyone may have put in a plugin directory. Each input goes in as a library
// file's bytes (libelf, the section, the JSON text: read_manifest_from_image)
// and as a manifest text alone (read_plugin_manifest). Either way the read
// gives a complete manifest or a non-empty reason, and never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "hookbroker/manifest.hpp"
#include "plugins/manifest_reader.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void check_manifest(const hookbroker::PluginManifest& m) {
  check(m.abi_major == HOOKBROKER_ABI_MAJOR);
  check(m.options.size() <= hookbroker::manifest_keys::kMaxOptions);
  for (const auto& o : m.options) {
    check(o.name != nullptr && *o.name != '\0' && o.description != nullptr);
    check(o.type >= HOOKBROKER_CONFIG_BOOL && o.type <= HOOKBROKER_CONFIG_OBJECT);
    check(o.has_min <= 1 && o.has_max <= 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  const hookbroker::core::ManifestFileRead file = hookbroker::core::read_manifest_from_image(bytes);
  if (file.ok) {
    check_manifest(file.manifest);
    check(file.text.size() <= hookbroker::manifest_location::kMaxBytes);
  } else {
    check(!file.reason.empty());
  }

  const hookbroker::ManifestRead text = hookbroker::read_plugin_manifest(bytes);
  if (text.ok)
    check_manifest(text.manifest);
  else
    check(!text.error.empty());
  return 0;
}
