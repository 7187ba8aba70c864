#include "platform/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hookbroker::platform {
namespace {

std::string errno_text(const std::string& what) { return "cannot " + what + ": " + std::strerror(errno); }

}  // namespace

bool make_private_directories(const std::string& path, std::string& error) {
  if (path.empty()) {
    error = "empty directory path";
    return false;
  }
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    const std::string part = path.substr(0, pos);
    if (::mkdir(part.c_str(), 0700) == 0) {
      // mkdir's mode passes through the umask; set it exactly.
      if (::chmod(part.c_str(), 0700) != 0) {
        error = errno_text("set mode 0700 on " + part);
        return false;
      }
    } else if (errno != EEXIST) {
      error = errno_text("create directory " + part);
      return false;
    } else if (struct stat st {}; ::stat(part.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      error = "cannot create directory " + part + ": a file of that name is in the way";
      return false;
    }
  }
  return true;
}

bool make_private_file(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = errno_text("create " + path);
    return false;
  }
  const bool ok = ::fchmod(fd, 0600) == 0;
  if (!ok) error = errno_text("set mode 0600 on " + path);
  ::close(fd);
  return ok;
}

}  // namespace hookbroker::platform
