// Files and directories that hold what agents did (prompts, code, tool
// output) are the user's alone: directories 0700, files 0600, whatever the
// umask. Used by the spool (hookbroker-hook, spool_replay) and history_sqlite.
#pragma once

#include <string>

namespace hookbroker::platform {

/// Creates `path` and its missing parents as 0700 directories. Existing ones
/// are left as they are. False with `error` set when one cannot be made.
bool make_private_directories(const std::string& path, std::string& error);

/// Creates `path` when missing and sets its mode to 0600 (also on a file an
/// older version left readable by others). False with `error` set.
bool make_private_file(const std::string& path, std::string& error);

}  // namespace hookbroker::platform
