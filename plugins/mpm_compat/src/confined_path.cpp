#include "confined_path.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <vector>

namespace hookbroker::mpm {
namespace {

Confined refused(int status, std::string error) {
  Confined c;
  c.status = status;
  c.error = std::move(error);
  return c;
}

std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool inside_any(const std::string& path, const std::vector<std::string>& roots) {
  for (const auto& root : roots)
    if (is_within(path, root)) return true;
  return false;
}

std::string outside(const std::string& requested) {
  return "\"" + requested +
         "\" is outside the working directories of the sessions hookbroker knows: only files below them are "
         "served (GET /api/working-directory lists them)";
}

}  // namespace

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Confined open_confined(const std::string& requested, const SessionDirs& dirs, Want want) {
  if (requested.empty())
    return refused(400, "the \"path\" parameter is missing: send an absolute path below a session's working directory");
  // A NUL would cut the path where the C calls below read it: the file
  // opened would not be the file named.
  if (requested.find('\0') != std::string::npos)
    return refused(400, "the path contains a NUL character (%00): send the path without it");
  if (requested.front() != '/')
    return refused(400, "\"" + requested + "\" is not an absolute path: send one below a session's working directory");
  for (const auto& part : components(requested))
    if (part == "..") return refused(403, "\"..\" is not allowed in a path: send the path without it");
  if (dirs.canonical.empty())
    return refused(403,
                   "no session has reported a working directory yet: files are served only below the working "
                   "directories of the sessions hookbroker knows");

  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(requested.c_str(), nullptr), &std::free);
  if (!resolved) {
    const int error = errno;
    // Say "not found" only inside a working directory: elsewhere the answer
    // must not tell which paths exist.
    if (!inside_any(requested, dirs.reported) && !inside_any(requested, dirs.canonical))
      return refused(403, outside(requested));
    if (error == EACCES) return refused(403, "\"" + requested + "\" cannot be read: permission denied");
    return refused(404, "File not found: \"" + requested + "\"");
  }
  const std::string canonical = resolved.get();
  if (!inside_any(canonical, dirs.canonical)) return refused(403, outside(requested));

  // Walk the canonical path with O_NOFOLLOW: it has no symlinks, so meeting
  // one means the path changed since it was resolved.
  const auto parts = components(canonical);
  if (parts.empty()) return refused(403, outside(requested));
  UniqueFd dir(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    UniqueFd next(::openat(dir.get(), parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!next.valid() || ::fstat(next.get(), &st) != 0 || !S_ISDIR(st.st_mode))
      return refused(403, "\"" + requested + "\" changed while it was being opened: try again");
    dir = std::move(next);
  }
  const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
                    (want == Want::Directory ? O_DIRECTORY : 0);
  Confined c;
  c.fd = UniqueFd(::openat(dir.get(), parts.back().c_str(), flags));
  if (!c.fd.valid()) {
    const int error = errno;
    if (error == EACCES) return refused(403, "\"" + requested + "\" cannot be read: permission denied");
    if (error == ENOTDIR && want == Want::Directory)
      return refused(400, "Path is not a directory: \"" + requested + "\"");
    if (error == ENOENT) return refused(404, "File not found: \"" + requested + "\"");
    return refused(403, "\"" + requested + "\" changed while it was being opened: try again");
  }
  if (::fstat(c.fd.get(), &c.st) != 0) return refused(500, "cannot stat \"" + requested + "\"");
  if (want == Want::File && S_ISDIR(c.st.st_mode)) return refused(400, "Path is not a file: \"" + requested + "\"");
  if (want == Want::File && !S_ISREG(c.st.st_mode))
    return refused(400, "\"" + requested + "\" is not a regular file (a device, socket or pipe): nothing to show");
  c.parent = std::move(dir);
  c.path = canonical;
  c.name = parts.back();
  return c;
}

}  // namespace hookbroker::mpm
