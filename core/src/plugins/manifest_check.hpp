// Whether this core can run a plugin its manifest describes: ABI minor, build
// fingerprint, name. The ABI major is the manifest reader's (the format
// depends on it); names, keys and config are the catalog's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hookbroker/manifest.hpp"

namespace hookbroker::core {

/// "" when this core can run it, else the reason, with what to do.
std::string check_manifest(const PluginManifest& manifest);

/// [a-z0-9_], 1 to 64 characters: a config key, and safe in any message.
bool valid_plugin_name(const std::string& name);

/// The manifest's heartbeat keys, split at commas, blanks trimmed.
std::vector<std::string> heartbeat_key_list(const PluginManifest& manifest);

/// "transport, heartbeat contributor" for a kinds mask; "service" for none.
std::string kinds_to_string(uint32_t kinds);

}  // namespace hookbroker::core
