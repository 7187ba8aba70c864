// Which events of each sender (node run) were applied here: an event is
// applied once even when it is read twice (a publisher that resent after a
// lost reply, a stream read again from its start after Redis came back
// empty), and a sender's events apply in its order.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace hookbroker::cluster {

class OriginLedger {
 public:
  /// True the first time (node, boot, seq) is seen with seq beyond the last
  /// one taken from that run; false for a repeat or an older one.
  bool take(const std::string& node, const std::string& boot, std::uint64_t seq);
  /// Events taken and repeats skipped so far.
  std::uint64_t taken() const { return taken_; }
  std::uint64_t repeats() const { return repeats_; }

 private:
  std::map<std::string, std::uint64_t> last_;  ///< node '\n' boot -> last seq taken
  std::uint64_t taken_ = 0;
  std::uint64_t repeats_ = 0;
};

}  // namespace hookbroker::cluster
