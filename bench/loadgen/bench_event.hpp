// The event the load generator posts, and how it finds its marks again in a
// broadcast frame. Reading three integers by key is enough: a full JSON parse
// of every delivered frame would make the load generator, not the server,
// the bottleneck.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadgen {

struct BenchMarks {
  std::uint64_t run = 0;      ///< phase id: frames of another phase are not counted
  std::uint64_t seq = 0;      ///< 0..events-1 within the phase
  std::uint64_t sent_ns = 0;  ///< steady clock when the POST was written
};

/// A realistic Claude Code PreToolUse hook payload (~330 bytes) carrying the
/// marks; the servers broadcast it as the `data` of a claude_event.
std::string make_bench_event(const BenchMarks& marks, unsigned sessions);

/// The marks of a Socket.IO `42["claude_event",{...}]` frame, or nullopt for
/// any other frame.
std::optional<BenchMarks> read_bench_marks(std::string_view frame);

/// Steady clock in nanoseconds: sender and receivers are this one process.
std::uint64_t now_ns();

}  // namespace loadgen
