// The answers of claude-mpm's file routes, in its shapes: GET
// /api/working-directory, GET /api/files, GET /api/file/read (and the older
// POST /api/file), GET /api/config. They read only below the sessions'
// working directories (confined_path.hpp), never more than the limits in
// Options. Blocking: call from HostApi::run_blocking.
#pragma once

#include <string>

#include "hookbroker/http.hpp"
#include "options.hpp"
#include "session_roots.hpp"

namespace hookbroker::mpm {

/// {"working_directory": the most recently active session's (or ""),
///  "working_directories": every session's}.
HttpResponse working_directory_answer(const SessionDirs& dirs);

/// {"path", "content", "lines", "size", "type"}; 413 past max_file_bytes,
/// 415 when it is not UTF-8 text.
HttpResponse read_file_answer(const std::string& path, const SessionDirs& dirs, const Options& options);

/// The same for POST /api/file's JSON body {"path": "..."}.
HttpResponse post_file_answer(const std::string& body, const SessionDirs& dirs, const Options& options);

/// {"path", "directories", "files", "total_directories", "total_files",
///  "truncated"}; `path` "" lists the newest session's working directory.
/// Symbolic links, special files and build/cache folders (.git,
/// node_modules, ...) are not listed.
HttpResponse list_directory_answer(const std::string& path, const SessionDirs& dirs, const Options& options);

/// {"workingDirectory", "gitBranch", "serverTime", "service"}.
HttpResponse config_answer(const SessionDirs& dirs, const Options& options);

}  // namespace hookbroker::mpm
