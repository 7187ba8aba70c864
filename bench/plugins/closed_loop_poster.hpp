// POST /api/events as fast as the broker answers: `connections` threads,
// each with one HTTP/1.1 keep-alive connection (Boost.Beast, synchronous),
// sending its next event as soon as the previous one is answered. A closed
// connection is reopened and counted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace plugins_bench {

struct PostResult {
  std::uint64_t accepted = 0;  ///< answered 204
  std::uint64_t refused = 0;   ///< any other answer
  std::uint64_t errors = 0;    ///< connection failures
  std::uint64_t connects = 0;
  double seconds = 0;
  double per_second() const { return seconds > 0 ? static_cast<double>(accepted) / seconds : 0; }
};

/// Posts `body(i)` for i in [0, count), with header X-Hookbroker-Event-Id: `id(i)` when `id` is set.
PostResult post_closed_loop(int port, std::uint64_t count, unsigned connections,
                            const std::function<std::string(std::uint64_t)>& body,
                            const std::function<std::string(std::uint64_t)>& id = {});

}  // namespace plugins_bench
