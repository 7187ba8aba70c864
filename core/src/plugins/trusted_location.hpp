// Is a plugin file somewhere only trusted users can change? Trusted are root
// and the user the broker runs as (its effective uid); anyone else who can
// write the file, or rename or replace it or a directory above it, could make
// the broker run their code.
//
// The rules (docs/operations.md, "Security model"):
//  - the file: a regular file, owned by a trusted user, not writable by group
//    or others;
//  - its directory (the plugin directory, and the real directory of a file
//    reached through a symlink): owned by a trusted user, not writable by
//    group or others;
//  - every directory above, up to /: owned by a trusted user, and not
//    writable by group or others unless its sticky bit is set (like /tmp:
//    others may add entries there but not rename or remove ours).
// Paths are checked with symlinks resolved: what is checked is what is opened.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace hookbroker::core {

/// One way someone untrusted could change what the broker loads.
struct LocationProblem {
  std::string path;     ///< the file or directory at fault
  std::string problem;  ///< e.g. "/srv/p is writable by group and others (mode 0777)"
  std::string fix;      ///< a command that removes the problem, e.g. "chmod go-w /srv/p"

  /// "PROBLEM; fix: FIX"
  std::string text() const;
};

/// Problems of `real_dir` (a directory path with symlinks resolved) and the
/// directories above it, for `user` (the broker's effective uid). `role`
/// names it in messages, e.g. "plugin directory".
std::vector<LocationProblem> directory_problems(const std::string& real_dir, uid_t user, const std::string& role);

/// Problems of a plugin file itself, from its fstat (taken on the open file,
/// so what is checked is what is read).
std::vector<LocationProblem> file_problems(const std::string& real_path, const struct stat& file, uid_t user);

/// "nobody (uid 65534)", or "uid 1234" for a uid with no name.
std::string user_label(uid_t uid);

/// `path` quoted for a shell command when it needs it.
std::string shell_quoted(const std::string& path);

}  // namespace hookbroker::core
