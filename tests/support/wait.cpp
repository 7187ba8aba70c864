#include "wait.hpp"

#include <cstdlib>
#include <thread>

namespace hbtest {

std::chrono::milliseconds scaled(std::chrono::milliseconds timeout) {
  const char* scale = std::getenv("HOOKBROKER_TEST_TIMEOUT_SCALE");
  const double factor = scale ? std::atof(scale) : 1.0;
  return std::chrono::milliseconds(static_cast<long long>(timeout.count() * (factor > 0 ? factor : 1.0)));
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll) {
  const auto deadline = std::chrono::steady_clock::now() + scaled(timeout);
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace hbtest
