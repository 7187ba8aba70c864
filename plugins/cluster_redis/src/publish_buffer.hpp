// This node's events on their way to the stream: kept until Redis confirmed
// them (XADD answered), so a lost connection resends them instead of losing
// them; bounded, dropping the oldest when full and counting what it dropped.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "stream_entry.hpp"

namespace hookbroker::cluster {

class PublishBuffer {
 public:
  explicit PublishBuffer(std::size_t max_events) : max_(max_events) {}

  /// Adds the next event; drops the oldest when full.
  void add(StreamEntry entry);
  /// The next entry not yet sent on the current connection, or nullptr.
  const StreamEntry* next_to_send();
  /// Redis confirmed every entry up to `seq`.
  void confirmed(std::uint64_t seq);
  /// The connection went: whatever was sent and not confirmed is sent again.
  void resend_unconfirmed() { sent_ = 0; }

  std::size_t pending() const { return entries_.size(); }
  std::uint64_t dropped() const { return dropped_; }
  std::uint64_t published() const { return published_; }

 private:
  const std::size_t max_;
  std::deque<StreamEntry> entries_;
  std::size_t sent_ = 0;  ///< entries at the front sent and awaiting their reply
  std::uint64_t dropped_ = 0;
  std::uint64_t published_ = 0;
};

}  // namespace hookbroker::cluster
