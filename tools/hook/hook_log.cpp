#include "hook_log.hpp"

#include <cerrno>
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

void HookLog::write(const char* level, const std::string& message) {
  if (path_.empty()) return;
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 && errno == ENOENT) {
      std::string error;
      const auto slash = path_.rfind('/');
      if (slash != std::string::npos && slash > 0 && platform::make_private_directories(path_.substr(0, slash), error))
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    }
    if (fd_ < 0) {
      path_.clear();  // nowhere to write: stay silent rather than fail the hook
      return;
    }
    struct stat st;
    if (::fstat(fd_, &st) == 0 && st.st_size > kRotateBytes) {
      // Several hooks may rotate at once; losing a few lines of an old log is fine.
      ::rename(path_.c_str(), (path_ + ".1").c_str());
      ::close(fd_);
      fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      if (fd_ < 0) return;
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
  [[maybe_unused]] const ssize_t ignored = ::write(fd_, line.data(), line.size());
}

}  // namespace hookbroker::hook
