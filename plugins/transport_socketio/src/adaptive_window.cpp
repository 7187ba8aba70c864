#include "adaptive_window.hpp"

#include <algorithm>

namespace hookbroker::sio {

AdaptiveWindow::AdaptiveWindow(Micros min, Micros max)
    : min_(std::min(min, max)), max_(max), current_(min_) {}

void AdaptiveWindow::fanned_out(Clock::time_point start, Clock::time_point end) {
  if (min_ == max_) return;
  if (!started_) {
    started_ = true;
    period_start_ = start;
  }
  busy_ += end - start;
  const auto elapsed = end - period_start_;
  if (elapsed < kPeriod) return;
  // A period closes at the first fan-out that ends past it; a quiet spell
  // makes that period long and its share small, which is what it was.
  last_load_ = std::chrono::duration<double>(busy_) / std::chrono::duration<double>(elapsed);
  period_start_ = end;
  busy_ = {};
  if (last_load_ > kWidenAbove)
    current_ = std::min(max_, std::max(current_ * 2, Micros(1)));
  else if (last_load_ < kNarrowBelow)
    current_ = std::max(min_, current_ / 2);
}

}  // namespace hookbroker::sio
