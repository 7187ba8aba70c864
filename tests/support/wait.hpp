// Waiting on conditions in tests: poll a predicate until it holds or a
// timeout passes. Timeouts scale with HOOKBROKER_TEST_TIMEOUT_SCALE (CI sets
// it for sanitizer builds, which run several times slower).
#pragma once

#include <chrono>
#include <functional>

namespace hbtest {

/// `timeout` times HOOKBROKER_TEST_TIMEOUT_SCALE (default 1).
std::chrono::milliseconds scaled(std::chrono::milliseconds timeout);

/// True as soon as `condition` holds; false if `timeout` (scaled) passes first.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(5));

}  // namespace hbtest
