#include "hook_log.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "event_identity.hpp"
#include "platform/private_files.hpp"
#include "spool/spool_dir.hpp"

namespace hookbroker::hook {
namespace {

constexpr off_t kRotateBytes = 1 << 20;

}  // namespace

HookLog::~HookLog() {
  if (fd_ >= 0) ::close(fd_);
}

bool HookLog::write(const char* level, const std::string& message) {
  if (!problem_.empty()) return false;
  if (path_.empty()) {
    problem_ = "no log file configured";
    return false;
  }
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 && errno == ENOENT) {
      std::string error;
      const auto slash = path_.rfind('/');
      if (slash != std::string::npos && slash > 0 && platform::make_private_directories(path_.substr(0, slash), error))
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    }
    if (fd_ < 0) {
      problem_ = "cannot open " + path_ + ": " + std::strerror(errno);  // stay silent rather than fail the hook
      return false;
    }
    struct stat st;
    if (::fstat(fd_, &st) == 0 && st.st_size > kRotateBytes) {
      // Several hooks may rotate at once; losing a few lines of an old log is fine.
      ::rename(path_.c_str(), (path_ + ".1").c_str());
      ::close(fd_);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      if (fd_ < 0) {
        problem_ = "cannot open " + path_ + ": " + std::strerror(errno);
        return false;
      }
    }
  }
  std::string line = now_timestamp();
  line += " hookbroker-hook[";
  line += std::to_string(::getpid());
  line += "] ";
  line += level;
  line += ": ";
  line += message;
  line += '\n';
  const ssize_t written = ::write(fd_, line.data(), line.size());
  if (written == static_cast<ssize_t>(line.size())) return true;
  problem_ = "cannot write " + path_ + ": " + (written < 0 ? std::strerror(errno) : "short write (disk full?)");
  return false;
}

}  // namespace hookbroker::hook
