// What --list-plugins and --describe-plugin print.
#pragma once

#include <string>

#include "plugins/plugin_catalog.hpp"

namespace hookbroker::core {

std::string list_plugins_text(const PluginCatalog& catalog);
/// Empty when no plugin of that name was found.
std::string describe_plugin_text(const PluginCatalog& catalog, const std::string& name);

}  // namespace hookbroker::core
