// How long BroadcastCoalescer may hold a broadcast: a window that follows the
// load, like a NIC's adaptive interrupt moderation.
//
// Holding broadcasts saves the fan-out (one socket write per client) for each
// broadcast that joins a run, and costs latency. The saving only matters when
// the fan-out is a large share of the transport's thread: at a light load a
// held broadcast waits for nothing. So the window stays at `min` while the
// fan-outs take under a third of the wall clock, grows towards `max` while
// they take over 80 % (the thread is nearly saturated: every other client,
// poll and POST on the strand waits behind them), and comes back down when
// the load falls. The share is measured, per period of ~100 ms, as the time
// spent inside fan-outs over the period's length, so it follows what a
// delivery really costs on this machine and network (loopback writes cost
// the sender the reader's wake-up too; a LAN's do not).
//
// Pure arithmetic on the times it is given: the coalescer feeds it.
#pragma once

#include <chrono>

namespace hookbroker::sio {

class AdaptiveWindow {
 public:
  using Clock = std::chrono::steady_clock;
  using Micros = std::chrono::microseconds;

  /// The window moves within [min, max]; a `min` above `max` is taken as
  /// `max`, so min == max (or max 0) is a fixed window. Starts at `min`.
  AdaptiveWindow(Micros min, Micros max);

  Micros current() const { return current_; }

  /// A fan-out ran from `start` to `end` (start ≥ the previous one's end).
  void fanned_out(Clock::time_point start, Clock::time_point end);

  /// Share of the wall clock the fan-outs took in the last complete period
  /// (0 before the first one closes).
  double last_load() const { return last_load_; }

  static constexpr std::chrono::milliseconds kPeriod{100};
  static constexpr double kWidenAbove = 0.8;
  static constexpr double kNarrowBelow = 1.0 / 3.0;

 private:
  Micros min_, max_, current_;
  bool started_ = false;
  Clock::time_point period_start_{};
  Clock::duration busy_{};
  double last_load_ = 0;
};

}  // namespace hookbroker::sio
