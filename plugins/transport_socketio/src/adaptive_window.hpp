// How long BroadcastCoalescer may hold a broadcast: a window that follows the
// load, like a NIC's adaptive interrupt moderation.
//
// Holding broadcasts saves the fan-out (one socket write per client) for each
// broadcast that joins a run, and costs latency. The saving matters in two
// cases, and the window widens (doubles, up to `max`) in either:
// - the fan-outs take over 80 % of the wall clock: the transport's thread is
//   nearly saturated, and every other client, poll and POST on its strand
//   waits behind them;
// - broadcasts come three or more per window, sustained over the period (a
//   lone burst in a quiet period does not count): the clients get them in
//   batches anyway, and a longer hold cuts the writes (the broker's, and every
//   client's reads) in proportion while adding little to what each broadcast
//   waits. This is what a busy machine shows when the transport's own thread
//   is not the bottleneck (on a 2-core machine, the clients are).
// Otherwise a held broadcast waits for nothing, so the window halves back
// towards `min` once half of it would not widen it again: the share under
// 40 % (halving at most doubles it) and under two broadcasts per half window.
// The share is measured, per period of ~100 ms, as the time spent inside
// fan-outs over the period's length, so it follows what a delivery really
// costs on this host (loopback writes cost the sender the reader's wake-up
// too; a LAN's do not).
//
// Pure arithmetic on the times and counts it is given: the coalescer feeds it.
#pragma once

#include <chrono>
#include <cstddef>

namespace hookbroker::sio {

class AdaptiveWindow {
 public:
  using Clock = std::chrono::steady_clock;
  using Micros = std::chrono::microseconds;

  /// The window moves within [min, max]; a `min` above `max` is taken as
  /// `max`, so min == max (or max 0) is a fixed window. Starts at `min`.
  AdaptiveWindow(Micros min, Micros max);

  Micros current() const { return current_; }

  /// A fan-out of a run of `broadcasts` ran from `start` to `end` (start ≥
  /// the previous one's end).
  void fanned_out(Clock::time_point start, Clock::time_point end, std::size_t broadcasts);

  /// Share of the wall clock the fan-outs took in the last complete period
  /// (0 before the first one closes).
  double last_load() const { return last_load_; }

  static constexpr std::chrono::milliseconds kPeriod{100};
  static constexpr double kWidenAbove = 0.8;
  static constexpr double kNarrowBelow = 0.4;
  static constexpr double kWidenAtPerWindow = 3;      ///< broadcasts per window
  static constexpr double kNarrowBelowPerWindow = 2;  ///< … per half window

 private:
  Micros min_, max_, current_;
  bool started_ = false;
  Clock::time_point period_start_{};
  Clock::duration busy_{};
  std::size_t broadcasts_ = 0;
  double last_load_ = 0;
};

}  // namespace hookbroker::sio
