#include "proc_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>

namespace hookbroker::sysmetrics {

ProcFile::~ProcFile() {
  if (fd_ >= 0) ::close(fd_);
}

bool ProcFile::read(std::string& buffer) {
  if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return false;
  buffer.clear();
  if (buffer.capacity() < 4096) buffer.reserve(4096);
  for (;;) {
    const std::size_t used = buffer.size();
    buffer.resize(buffer.capacity());
    const ssize_t n = ::pread(fd_, &buffer[used], buffer.size() - used, static_cast<off_t>(used));
    if (n < 0 && errno == EINTR) {
      buffer.resize(used);
      continue;
    }
    if (n <= 0) {
      buffer.resize(used);
      if (n == 0) return true;
      const int saved = errno;
      ::close(fd_);  // reopen next time rather than keep a broken descriptor
      fd_ = -1;
      errno = saved;
      return false;
    }
    const bool filled = static_cast<std::size_t>(n) == buffer.size() - used;
    buffer.resize(used + static_cast<std::size_t>(n));
    // procfs fills a read as far as its data goes, so a short read is the
    // end: no second call (which would make the kernel generate it again).
    if (!filled) return true;
    buffer.reserve(buffer.capacity() * 2);
  }
}

bool is_procfs(const std::string& path) {
  struct statfs fs {};
  return ::statfs(path.c_str(), &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

std::optional<std::size_t> count_open_fds(const std::string& fd_dir, bool on_procfs) {
  if (on_procfs) {
    struct stat st {};
    if (::stat(fd_dir.c_str(), &st) != 0) return std::nullopt;
    if (st.st_size > 0) return static_cast<std::size_t>(st.st_size);
    // Kernels before 6.2 report 0: count the entries instead.
  }
  DIR* dir = ::opendir(fd_dir.c_str());
  if (dir == nullptr) return std::nullopt;
  // Listing /proc/self/fd shows the descriptor the listing itself holds: skip it.
  const std::string own = std::to_string(::dirfd(dir));
  std::size_t count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.' && own != entry->d_name) ++count;
  }
  ::closedir(dir);
  return count;
}

}  // namespace hookbroker::sysmetrics
