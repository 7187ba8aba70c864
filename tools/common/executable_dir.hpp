// Where the running executable lives: the companion tools find their
// siblings (hookbroker-hook) there, wherever hookbroker was installed.
#pragma once

#include <climits>
#include <string>
#include <unistd.h>

namespace hookbroker::tools {

/// The directory of /proc/self/exe, or "." when it cannot be read.
inline std::string executable_dir() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  const std::string path(buf, static_cast<std::size_t>(n));
  return path.substr(0, path.rfind('/'));
}

}  // namespace hookbroker::tools
