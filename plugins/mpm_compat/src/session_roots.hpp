// The working directories of the sessions hookbroker knows: the only places
// below which mpm_compat's file routes read.
#pragma once

#include <string>
#include <vector>

#include "hookbroker/session_tracker.hpp"

namespace hookbroker::mpm {

struct SessionDirs {
  /// As the sessions reported them (their `cwd`), most recently active
  /// session first, each once.
  std::vector<std::string> reported;
  /// The same resolved to canonical paths (no symlinks, no "."/".."), each
  /// once; what does not resolve to a directory, and the filesystem root
  /// (which would open everything), is left out.
  std::vector<std::string> canonical;
};

/// Asks the tracker (nullptr: none loaded, no directories). Touches the disk
/// (realpath): call it from HostApi::run_blocking.
SessionDirs session_dirs(const SessionTracker* tracker);

/// Whether `path` is `root` or below it, comparing whole path components.
bool is_within(const std::string& path, const std::string& root);

}  // namespace hookbroker::mpm
