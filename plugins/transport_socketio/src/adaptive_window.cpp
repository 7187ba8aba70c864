#include "adaptive_window.hpp"

#include <algorithm>

namespace hookbroker::sio {

AdaptiveWindow::AdaptiveWindow(Micros min, Micros max)
    : min_(std::min(min, max)), max_(max), current_(min_) {}

void AdaptiveWindow::fanned_out(Clock::time_point start, Clock::time_point end, std::size_t broadcasts) {
  if (min_ == max_) return;
  if (!started_) {
    started_ = true;
    period_start_ = start;
  }
  busy_ += end - start;
  broadcasts_ += broadcasts;
  const auto elapsed = end - period_start_;
  if (elapsed < kPeriod) return;
  // A period closes at the first fan-out that ends past it; a quiet spell
  // makes that period long and its share small, which is what it was.
  using Seconds = std::chrono::duration<double>;
  last_load_ = Seconds(busy_) / Seconds(elapsed);
  const double per_window = static_cast<double>(broadcasts_) / Seconds(elapsed).count() * Seconds(current_).count();
  period_start_ = end;
  busy_ = {};
  broadcasts_ = 0;
  if (last_load_ > kWidenAbove || per_window >= kWidenAtPerWindow)
    current_ = std::min(max_, std::max(current_ * 2, Micros(1)));
  else if (last_load_ < kNarrowBelow && per_window / 2 < kNarrowBelowPerWindow)
    current_ = std::max(min_, current_ / 2);
}

}  // namespace hookbroker::sio
