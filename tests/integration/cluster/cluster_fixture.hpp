// Brokers of one cluster for a test: a real redis-server and real hookbroker
// processes with cluster_redis, each with a Socket.IO client connected and
// transport_jsonl recording what its clients were sent.
#pragma once

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plugin_broker.hpp"
#include "raw_client.hpp"
#include "redis_server.hpp"

namespace cluster_it {

using namespace std::chrono_literals;

/// cluster_redis flags for node `node_id` on `redis_url`, announcing often
/// and expiring fast so tests see nodes come and go within seconds.
std::vector<std::string> cluster_args(const std::string& redis_url, const std::string& node_id,
                                      std::vector<std::string> extra = {});

/// "--set plugins.cluster_redis.config.KEY=VALUE"
std::vector<std::string> config_args(const std::string& key, const std::string& value);

/// A Claude Code hook event, marked by its tool_use_id.
nlohmann::json hook_event(const std::string& name, const std::string& session, const std::string& marker);

/// A node: the broker and a Socket.IO client on it.
struct Node {
  std::string id;
  std::unique_ptr<plugins_it::PluginBroker> broker;
  std::unique_ptr<sio_it::WsClient> client;
  std::vector<nlohmann::json> socket_events;  ///< claude_event payloads read from `client`

  /// Reads `client` until `count` claude_events arrived in all, or timeout.
  bool read_socket_events(std::size_t count, std::chrono::milliseconds timeout);
  /// The claude_events transport_jsonl recorded (what its clients were sent).
  std::vector<nlohmann::json> sent_events() const { return broker->claude_events(); }
  /// GET /api/sessions: {session_id: status}.
  nlohmann::json sessions();
  /// Waits for a heartbeat whose cluster object satisfies `match`.
  std::optional<nlohmann::json> wait_cluster(const std::function<bool(const nlohmann::json& cluster)>& match,
                                             std::chrono::milliseconds timeout = 15s);
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override;
  /// Starts node `id` (again, when it was stopped) on this test's Redis.
  Node& start_node(const std::string& id, std::vector<std::string> extra = {});
  /// Starts `count` nodes n1..n<count> and waits until every one sees all.
  void start_cluster(std::size_t count);
  Node& node(const std::string& id);

  std::unique_ptr<hbtest::RedisServer> redis_;
  std::vector<Node> nodes_;
};

/// The tool_use_id markers of `events`, in order.
std::vector<std::string> markers(const std::vector<nlohmann::json>& events);

}  // namespace cluster_it
