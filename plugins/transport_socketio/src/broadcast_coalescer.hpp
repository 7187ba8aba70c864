// Gathers broadcasts that follow each other closely, so that each client gets
// them in one socket write instead of one write each.
//
// On loopback and on a LAN most of a delivery's cost is the kernel's
// (one sendmsg, the TCP send and, on loopback, the receiver's wake-up), not
// ours: a write carrying k frames costs little more than a write carrying one.
// The policy is Nagle's with a clock instead of an ACK: a broadcast that
// arrives when nothing was flushed for `window` goes out at once (no added
// latency at low rates); one that arrives sooner is held until `window` after
// the previous flush, together with every other held one. So the added
// latency is at most `window`, and only under a rate above 1/window, where
// the saving matters. The window itself follows the load (AdaptiveWindow):
// short while the fan-outs leave the thread mostly idle, up to the
// configured maximum when they nearly saturate it.
//
// Plugin strand only.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "adaptive_window.hpp"
#include "hookbroker/host_api.hpp"
#include "ws_link.hpp"

namespace hookbroker::sio {

class BroadcastCoalescer {
 public:
  using Clock = std::chrono::steady_clock;
  /// Hands a run of broadcasts, oldest first, to every client.
  using Deliver = std::function<void(const OutboundRun& run)>;

  /// The window moves within [min_window, max_window] with the load;
  /// `max_window` 0 delivers every broadcast at once, alone.
  BroadcastCoalescer(Strand& strand, std::chrono::microseconds min_window, std::chrono::microseconds max_window,
                     Deliver deliver);
  ~BroadcastCoalescer();
  BroadcastCoalescer(const BroadcastCoalescer&) = delete;
  BroadcastCoalescer& operator=(const BroadcastCoalescer&) = delete;

  /// `text`: one encoded Engine.IO packet.
  void add(std::shared_ptr<const std::string> text);
  /// Delivers what is held now (before the clients are closed at shutdown).
  void flush();
  /// Broadcasts held now, waiting for the window to pass.
  std::size_t held() const { return held_.texts.size(); }
  /// The window in force now.
  std::chrono::microseconds window() const { return window_.current(); }

 private:
  void flush_at(Clock::time_point now);

  AdaptiveWindow window_;
  Deliver deliver_;
  boost::asio::steady_timer timer_;
  bool timer_armed_ = false;
  std::uint64_t generation_ = 0;
  std::shared_ptr<char> alive_ = std::make_shared<char>();
  /// Never, to begin with: the first broadcast leaves at once. Not the
  /// clock's epoch, which is the machine's boot: within a window of boot the
  /// first broadcast would be held.
  Clock::time_point last_flush_ = Clock::time_point::min();
  OutboundRun held_;
};

}  // namespace hookbroker::sio
