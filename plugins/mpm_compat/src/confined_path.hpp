// Opening a file or directory a client named, only when it lies below one of
// the sessions' working directories, never through a symlink that leads out
// of them, and without a window in which a path swapped for a symlink would
// be followed: the path is resolved (realpath), its canonical form must be
// inside a canonical working directory, and it is then opened component by
// component from "/" with O_NOFOLLOW, so what is opened is that canonical
// path and nothing else.
#pragma once

#include <string>

#include <sys/stat.h>

#include "session_roots.hpp"

namespace hookbroker::mpm {

/// A file descriptor, closed when this goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

enum class Want {
  File,       ///< a regular file
  Directory,  ///< a directory
  Any,        ///< either (git history of a file or a folder)
};

struct Confined {
  UniqueFd fd;         ///< what was opened, O_RDONLY
  UniqueFd parent;     ///< its directory (O_PATH): where git runs
  std::string path;    ///< canonical
  std::string name;    ///< last component of `path`
  struct stat st {};
  int status = 200;    ///< when !ok(): the HTTP status to answer
  std::string error;   ///< when !ok(): what was wrong and what to send instead
  bool ok() const { return fd.valid(); }
};

/// Opens `requested` (an absolute path, as claude-mpm's dashboard sends it)
/// when it resolves inside one of `dirs.canonical`. Refused: a relative
/// path, a ".." component, a path outside every working directory (also
/// through a symlink), one that changed while it was opened (403); a path
/// that does not exist (404 when it lies inside a working directory, else
/// 403, so nothing outside them can be probed); the wrong kind (400).
Confined open_confined(const std::string& requested, const SessionDirs& dirs, Want want);

}  // namespace hookbroker::mpm
