// Where the running executable lives: the broker finds its plugins, its data
// and its subcommands (hookbroker-*) there, and the companion tools their
// siblings (hookbroker-hook), wherever hookbroker was installed.
#pragma once

#include <string>

namespace hookbroker::platform {

/// The directory of /proc/self/exe, or "." when it cannot be read.
std::string executable_dir();

}  // namespace hookbroker::platform
