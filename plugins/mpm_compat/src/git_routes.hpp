// The answers of GET /api/file/diff and POST /api/git-history (claude-mpm's
// shapes), and the branch GET /api/config names. git runs with a fixed
// argument list, no shell, in the checked file's own directory (by
// descriptor), bounded in time and output; its configuration cannot run
// programs (fsmonitor, external diff, textconv are off) and a path is never
// read as a pathspec pattern. Blocking: call from HostApi::run_blocking.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/http.hpp"
#include "options.hpp"
#include "session_roots.hpp"

namespace hookbroker::mpm {

/// {"diff", "has_changes", "tracked"}: the file against git's HEAD.
HttpResponse file_diff_answer(const std::string& path, const SessionDirs& dirs, const Options& options);

/// {"commits": [{hash (7), author, date (relative), message}]} for a file or
/// directory; `body` is the request's JSON {"path", "limit"?: 1..100, default 10}.
HttpResponse git_history_answer(const std::string& body, const SessionDirs& dirs, const Options& options);

/// The branch checked out in the directory `dir_fd` refers to, "Unknown"
/// when none (not a repository, detached, git missing).
std::string git_branch(int dir_fd, const Options& options);

}  // namespace hookbroker::mpm
