#include "fifo_feed.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "wait.hpp"

namespace sessions_it {

FifoFeed::FifoFeed(std::string path) : path_(std::move(path)) {
  if (mkfifo(path_.c_str(), 0600) != 0)
    throw std::runtime_error("mkfifo " + path_ + ": " + std::strerror(errno));
}

FifoFeed::~FifoFeed() { close(); }

bool FifoFeed::connect(std::chrono::milliseconds timeout) {
  // O_NONBLOCK: opening for writing fails with ENXIO until a reader is
  // there, instead of blocking forever when the broker never starts.
  const bool opened = hbtest::wait_until(
      [&] {
        fd_ = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        return fd_ >= 0;
      },
      timeout, std::chrono::milliseconds(10));
  if (!opened) return false;
  const int flags = fcntl(fd_, F_GETFL);
  fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  return true;
}

void FifoFeed::send(const nlohmann::json& event) {
  if (fd_ < 0) throw std::runtime_error("FifoFeed::send before connect");
  const std::string line = event.dump() + "\n";
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("write to " + path_ + ": " + std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
}

void FifoFeed::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace sessions_it
