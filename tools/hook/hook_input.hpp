// Reading the hook's JSON from stdin without ever hanging the agent: at most
// `max_bytes` are kept, the rest is read and discarded (so the writer never
// blocks on a full pipe) until EOF or the deadline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace hookbroker::hook {

struct HookInput {
  std::string bytes;       ///< the first max_bytes of the input
  uint64_t received = 0;   ///< bytes read in total, kept or not
  bool complete = false;   ///< EOF was reached
  bool over_limit = false; ///< more than max_bytes arrived
  std::string problem;     ///< why reading stopped early (terminal, deadline, error)

  bool truncated() const { return over_limit || !complete; }
};

/// Reads `fd` (stdin) until EOF, or until `timeout_ms` passed.
HookInput read_hook_input(int fd, std::size_t max_bytes, int timeout_ms);

}  // namespace hookbroker::hook
