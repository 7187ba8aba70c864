#include "spool/spool_dir.hpp"

#include "platform/private_files.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace hookbroker::spool {
namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

int flock_retry(int fd, int operation) {
  int r;
  do {
    r = ::flock(fd, operation);
  } while (r != 0 && errno == EINTR);
  return r;
}

uint64_t size_of(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

/// Writes all iovecs with one writev where the kernel allows (a regular file
/// under O_APPEND takes the whole buffer at once, keeping records whole
/// among concurrent appenders); continues after a short write so a full disk
/// leaves a torn record the reader's checksum catches, never a silent gap.
bool write_all(int fd, iovec* parts, int count, std::string& error) {
  int first = 0;
  while (first < count) {
    const ssize_t n = ::writev(fd, parts + first, count - first);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno_text("write");
      return false;
    }
    auto left = static_cast<std::size_t>(n);
    while (first < count && left >= parts[first].iov_len) {
      left -= parts[first].iov_len;
      ++first;
    }
    if (first < count) {
      parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + left;
      parts[first].iov_len -= left;
    }
  }
  return true;
}

/// Opens `path` for appending with a shared lock, making sure the file we
/// hold is still the one named `path` (a drainer may have renamed it between
/// our open and our lock). Returns the fd or -1.
int open_locked_for_append(const std::string& dir, const std::string& path, std::string& error) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ENOENT) {
      if (!platform::make_private_directories(dir, error)) return -1;
      fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    }
    if (fd < 0) {
      error = errno_text("open " + path);
      return -1;
    }
    if (flock_retry(fd, LOCK_SH) != 0) {
      error = errno_text("lock " + path);
      ::close(fd);
      return -1;
    }
    struct stat held, named;
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev)
      return fd;
    ::close(fd);  // renamed away under us: open the new one
  }
  error = "could not open " + path + " (it kept being renamed)";
  return -1;
}

AppendResult append_record(const std::string& dir, const std::string& path, const RecordMeta& meta,
                           std::string_view payload, uint64_t limit, uint64_t already_waiting, bool sync) {
  AppendResult result;
  std::string why;
  if (!valid_meta(meta, &why)) {
    result.error = "cannot spool the event: " + why;
    return result;
  }
  if (payload.size() > kMaxPayloadBytes) {
    result.error = "cannot spool the event: payload larger than the spool's record limit";
    return result;
  }
  const std::string header = encode_header(meta, payload);
  const int fd = open_locked_for_append(dir, path, result.error);
  if (fd < 0) return result;

  struct stat st;
  const uint64_t current = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
  const uint64_t record_size = header.size() + payload.size() + 1;
  if (current + already_waiting + record_size > limit) {
    result.error = "spool full: " + std::to_string(current + already_waiting) + " bytes waiting, limit " +
                   std::to_string(limit) + " (start the broker so it drains the spool, or raise HOOKBROKER_SPOOL_MAX_BYTES)";
    ::close(fd);
    return result;
  }
  iovec parts[3] = {{const_cast<char*>(header.data()), header.size()},
                    {const_cast<char*>(payload.data()), payload.size()},
                    {const_cast<char*>("\n"), 1}};
  result.ok = write_all(fd, parts, 3, result.error);
  if (result.ok && sync && ::fdatasync(fd) != 0) {
    result.ok = false;
    result.error = errno_text("fdatasync " + path);
  }
  ::close(fd);
  return result;
}

}  // namespace

bool SpoolDir::has_pending() const {
  struct stat st;
  if (::stat(active_path().c_str(), &st) == 0 && st.st_size > 0) return true;
  return ::stat(draining_path().c_str(), &st) == 0;
}

uint64_t SpoolDir::pending_bytes() const { return size_of(active_path()) + size_of(draining_path()); }

AppendResult SpoolDir::append(const RecordMeta& meta, std::string_view payload, uint64_t max_bytes,
                              bool sync) const {
  return append_record(path_, active_path(), meta, payload, max_bytes, size_of(draining_path()), sync);
}

AppendResult SpoolDir::quarantine(const RecordMeta& meta, std::string_view payload, uint64_t max_bytes) const {
  return append_record(path_, rejected_path(), meta, payload, max_bytes, 0, false);
}

SpoolDir::FreezeResult SpoolDir::freeze_active(std::string& error) const {
  struct stat st;
  if (::stat(draining_path().c_str(), &st) == 0) return FreezeResult::Frozen;
  const int fd = ::open(active_path().c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return FreezeResult::Nothing;
    error = errno_text("open " + active_path());
    return FreezeResult::Failed;
  }
  // Wait for appenders that hold the shared lock to finish their write.
  if (flock_retry(fd, LOCK_EX) != 0) {
    error = errno_text("lock " + active_path());
    ::close(fd);
    return FreezeResult::Failed;
  }
  FreezeResult result = FreezeResult::Frozen;
  if (::fstat(fd, &st) == 0 && st.st_size == 0) {
    result = FreezeResult::Nothing;  // leave the empty file for the next appender
  } else if (::rename(active_path().c_str(), draining_path().c_str()) != 0) {
    error = errno_text("rename " + active_path());
    result = FreezeResult::Failed;
  } else {
    ::unlink(progress_path().c_str());  // a stale progress belongs to a finished file
  }
  ::close(fd);
  return result;
}

uint64_t SpoolDir::read_progress() const {
  const int fd = ::open(progress_path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  ::close(fd);
  if (n <= 0) return 0;
  uint64_t value = 0;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) value = value * 10 + static_cast<uint64_t>(buf[i] - '0');
  return value;
}

bool SpoolDir::write_progress(uint64_t offset) const {
  const int fd = ::open(progress_path().c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  // Fixed width, written in place with one pwrite: a reader sees the old or
  // the new number, never a mix of lengths.
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu\n", static_cast<unsigned long long>(offset));
  const bool ok = ::pwrite(fd, buf, 21, 0) == 21;
  ::close(fd);
  return ok;
}

void SpoolDir::finish_draining() const {
  ::unlink(draining_path().c_str());
  ::unlink(progress_path().c_str());
}

DrainLock::DrainLock(const SpoolDir& dir, bool wait) {
  const std::string path = dir.lock_path();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0 && errno == ENOENT && platform::make_private_directories(dir.path(), error_))
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    if (error_.empty()) error_ = errno_text("open " + path);
    return;
  }
  if (flock_retry(fd_, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    error_ = errno == EWOULDBLOCK ? "another process is draining the spool" : errno_text("lock " + path);
    ::close(fd_);
    fd_ = -1;
  }
}

DrainLock::~DrainLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace hookbroker::spool
