// Where this installation keeps its parts, found from the executable's own
// location so the build tree and any install prefix work alike.
#pragma once

#include <string>

namespace hookbroker::core {

std::string builtin_plugin_dir();  ///< <exe dir>/<bindir-to-plugin-dir>, e.g. <exe>/../lib/hookbroker/plugins
std::string builtin_data_dir();    ///< <exe dir>/<bindir-to-data-dir>, e.g. <exe>/../share/hookbroker

}  // namespace hookbroker::core
