#include "hook_input.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <unistd.h>

namespace hookbroker::hook {
namespace {

/// Past this much discarded input the writer is misbehaving; stop reading.
constexpr uint64_t kDiscardCap = 256ull << 20;

}  // namespace

HookInput read_hook_input(int fd, std::size_t max_bytes, int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  HookInput input;
  if (::isatty(fd)) {
    input.problem = "stdin is a terminal: hookbroker-hook reads the hook's JSON from stdin (Claude Code pipes it in)";
    return input;
  }
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char discard[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      input.problem = "stdin was not closed within " + std::to_string(timeout_ms) + " ms";
      return input;
    }
    if (ready < 0) {
      input.problem = std::string("poll stdin: ") + std::strerror(errno);
      return input;
    }
    char* target;
    std::size_t room;
    const std::size_t kept = input.bytes.size();
    if (kept < max_bytes) {
      // Grow in steps; the usual hook payload is a few KiB and fits the first.
      const std::size_t want = std::min(max_bytes - kept, std::max<std::size_t>(kept, 16384));
      input.bytes.resize(kept + want);
      target = &input.bytes[kept];
      room = want;
    } else {
      target = discard;
      room = sizeof discard;
    }
    const ssize_t n = ::read(fd, target, room);
    if (target != discard) input.bytes.resize(kept + (n > 0 ? static_cast<std::size_t>(n) : 0));
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      // EBADF: no stdin at all (closed by the caller); nothing to forward.
      input.complete = errno == EBADF;
      if (!input.complete) input.problem = std::string("read stdin: ") + std::strerror(errno);
      return input;
    }
    if (n == 0) {
      input.complete = true;
      return input;
    }
    input.received += static_cast<uint64_t>(n);
    if (target == discard) input.over_limit = true;
    if (input.received > max_bytes) input.over_limit = true;
    if (input.received - input.bytes.size() > kDiscardCap) {
      input.problem = "more than 256 MiB of input; stopped reading";
      return input;
    }
  }
}

}  // namespace hookbroker::hook
