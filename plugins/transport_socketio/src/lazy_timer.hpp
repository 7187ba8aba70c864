// A steady_timer made on first use (and freed when no longer needed). An
// Engine.IO session has timers for rare moments (an upgrade from polling, the
// linger after a close) that most clients never reach, and a Socket.IO client
// needs its connect timeout only until it connects. Each asio timer on a
// strand costs ~160 bytes, which 10,000 idle clients would all carry.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "hookbroker/host_api.hpp"

namespace hookbroker::sio {

class LazyTimer {
 public:
  explicit LazyTimer(Strand& strand) : strand_(strand) {}

  /// The timer, made now if it was never used.
  boost::asio::steady_timer& get() {
    if (!timer_) timer_ = std::make_unique<boost::asio::steady_timer>(strand_);
    return *timer_;
  }
  /// Cancels a pending wait; a timer never made has none.
  void cancel() {
    if (timer_) timer_->cancel();
  }
  /// Cancels and frees the timer, for one whose moment has passed for good.
  void release() { timer_.reset(); }

 private:
  Strand& strand_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
};

}  // namespace hookbroker::sio
