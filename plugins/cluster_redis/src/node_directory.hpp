// The nodes of the cluster as this node last read them: each node's own
// announcement (a TTL key it refreshes), and the ones whose key expired,
// kept as "lost" for a while so the dashboard can say so.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "redis_reply.hpp"

namespace hookbroker::cluster {

class NodeDirectory {
 public:
  using Clock = std::chrono::steady_clock;

  /// `ids` are the members of the node set; `announcements` the MGET of their
  /// keys, in the same order (nil: expired).
  void update(const std::vector<std::string>& ids, const RedisReply& announcements, Clock::time_point now);
  /// Nodes lost for longer than `forget_after`: to be taken out of the set.
  std::vector<std::string> long_lost(Clock::time_point now, std::chrono::milliseconds forget_after) const;
  void forget(const std::string& id) { nodes_.erase(id); }
  /// [{node_id, state: "up"|"lost", ...its announcement}], by node_id.
  nlohmann::json view() const;
  /// Node ids currently lost.
  std::vector<std::string> lost() const;

 private:
  struct Known {
    nlohmann::json announcement = nlohmann::json::object();
    bool up = false;
    Clock::time_point lost_since{};
  };
  std::map<std::string, Known> nodes_;
};

}  // namespace hookbroker::cluster
