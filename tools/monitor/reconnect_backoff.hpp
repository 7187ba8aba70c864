// How long to wait before the next connection attempt: 0.5 s, doubling up to
// 5 s while the broker stays away, back to 0.5 s once it answered. Quick to
// notice a restarted broker, cheap while it is down for long.
#pragma once

#include <algorithm>
#include <chrono>

namespace hookbroker::monitor {

class ReconnectBackoff {
 public:
  using Delay = std::chrono::milliseconds;

  explicit ReconnectBackoff(Delay first = Delay(500), Delay most = Delay(5000)) : first_(first), most_(most), next_(first) {}

  /// The delay before the next attempt; each call doubles the following one.
  Delay next() {
    const Delay now = next_;
    next_ = std::min(next_ * 2, most_);
    return now;
  }

  /// The broker answered: the next outage starts from the first delay.
  void reset() { next_ = first_; }

 private:
  Delay first_;
  Delay most_;
  Delay next_;
};

}  // namespace hookbroker::monitor
