// One event in the cluster's Redis stream: who sent it (node, and which run
// of that node: boot), its place in that run's order (seq), and the event as
// the sender's clients got it.
//
//   XADD <prefix>events MAXLEN ~ N * node <id> boot <id> seq <n> event <json>
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "redis_reply.hpp"

namespace hookbroker::cluster {

struct StreamEntry {
  std::string node;
  std::string boot;
  std::uint64_t seq = 0;
  std::string event;  ///< JSON text
};

/// The XADD arguments for `entry`.
std::vector<std::string> xadd_command(const std::string& stream, std::size_t max_events, const StreamEntry& entry);

/// One entry read back: its stream id and, when its fields are ours, the entry.
struct ReadEntry {
  std::string id;
  std::optional<StreamEntry> entry;  ///< nullopt: not written by a hookbroker
};

/// The entries of an XREAD reply for one stream, in order; empty for a nil
/// reply (the block timed out).
std::vector<ReadEntry> read_entries(const RedisReply& xread_reply);

}  // namespace hookbroker::cluster
