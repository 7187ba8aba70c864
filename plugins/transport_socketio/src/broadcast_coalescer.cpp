#include "broadcast_coalescer.hpp"

#include <utility>

namespace hookbroker::sio {

BroadcastCoalescer::BroadcastCoalescer(Strand& strand, std::chrono::microseconds min_window,
                                       std::chrono::microseconds max_window, Deliver deliver)
    : window_(min_window, max_window), deliver_(std::move(deliver)), timer_(strand) {}

BroadcastCoalescer::~BroadcastCoalescer() { timer_.cancel(); }

void BroadcastCoalescer::add(std::shared_ptr<const std::string> text) {
  held_.add(std::move(text));
  if (timer_armed_) return;  // the pending flush takes it along
  const auto now = Clock::now();
  const auto due = last_flush_ + window_.current();
  if (now >= due) return flush_at(now);
  timer_armed_ = true;
  timer_.expires_at(due);
  // A wait that completed before a cancel still runs its handler: the
  // generation tells a current wait from a stale one, and the weak token a
  // live coalescer from a destroyed one (the handler may run after it).
  timer_.async_wait([alive = std::weak_ptr<char>(alive_), generation = ++generation_, this](
                        boost::system::error_code ec) {
    if (ec || !alive.lock() || generation != generation_) return;
    timer_armed_ = false;
    flush_at(Clock::now());
  });
}

void BroadcastCoalescer::flush() {
  if (timer_armed_) {
    timer_.cancel();
    timer_armed_ = false;
    ++generation_;
  }
  if (!held_.texts.empty()) flush_at(Clock::now());
}

void BroadcastCoalescer::flush_at(Clock::time_point now) {
  last_flush_ = now;
  if (held_.texts.empty()) return;
  // Delivering may broadcast again (a client dropped as too slow is
  // announced): that lands in held_ for the next flush, not in this run.
  const OutboundRun run = std::exchange(held_, OutboundRun{});
  deliver_(run);
  window_.fanned_out(now, Clock::now(), run.texts.size());
}

}  // namespace hookbroker::sio
