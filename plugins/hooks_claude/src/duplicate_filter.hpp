// Recognising the same hook delivery arriving twice in quick succession.
//
// Duplicate hook entries in a user's settings (the same command in user and
// project settings, a plugin adding one too) make Claude Code deliver the
// identical payload twice within milliseconds. Identical bytes within the
// window are one event; anything that differs by a byte is not.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace hookbroker::claude {

class DuplicateFilter {
 public:
  using Clock = std::chrono::steady_clock;

  /// `window` 0 disables the filter. Memory stays under `max_bytes` of
  /// remembered payloads: past it the oldest are forgotten early (a repeat
  /// may then pass as new; nothing valid is ever dropped for it).
  DuplicateFilter(std::chrono::duration<double> window, std::size_t max_bytes);

  /// True when `bytes` were first seen less than `window` ago. Otherwise
  /// remembers them from `now` and returns false.
  bool is_repeat(const std::string& bytes, Clock::time_point now);

  std::size_t remembered() const { return seen_.size(); }

 private:
  void forget_before(Clock::time_point cutoff);
  void forget_oldest();

  const Clock::duration window_;
  const std::size_t max_bytes_;
  struct Seen {
    Clock::time_point at;
    std::string bytes;
  };
  /// Oldest first. A deque keeps its elements in place as it grows and
  /// shrinks at the ends, so the views in `seen_` stay valid.
  std::deque<Seen> order_;
  std::unordered_set<std::string_view> seen_;
  std::size_t bytes_ = 0;
};

}  // namespace hookbroker::claude
