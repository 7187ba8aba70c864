#include "cluster_fixture.hpp"

#include "socketio_broker.hpp"
#include "wait.hpp"

namespace cluster_it {

using plugins_it::config;
using plugins_it::enable;
using plugins_it::operator+;

std::vector<std::string> cluster_args(const std::string& redis_url, const std::string& node_id,
                                      std::vector<std::string> extra) {
  return enable("cluster_redis") + config("cluster_redis", "url", redis_url) +
         config("cluster_redis", "node_id", node_id) + config("cluster_redis", "announce_interval_s", "0.2") +
         config("cluster_redis", "node_ttl_s", "1.5") + config("cluster_redis", "retry_interval_s", "0.2") + extra;
}

std::vector<std::string> config_args(const std::string& key, const std::string& value) {
  return config("cluster_redis", key, value);
}

nlohmann::json hook_event(const std::string& name, const std::string& session, const std::string& marker) {
  nlohmann::json event = {{"hook_event_name", name}, {"session_id", session}, {"cwd", "/work"}};
  if (!marker.empty()) {
    event["tool_name"] = "Bash";
    event["tool_use_id"] = marker;
    event["tool_input"] = {{"command", "true"}};
  }
  return event;
}

std::vector<std::string> markers(const std::vector<nlohmann::json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (e.contains("data") && e["data"].contains("tool_use_id")) out.push_back(e["data"]["tool_use_id"]);
  return out;
}

bool Node::read_socket_events(std::size_t count, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (socket_events.size() < count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    auto message = client->read_until_prefix("42", left);
    if (!message) return false;
    auto frame = nlohmann::json::parse(message->substr(2), nullptr, false);
    if (frame.is_array() && frame.size() == 2 && frame[0] == "claude_event") socket_events.push_back(frame[1]);
  }
  return true;
}

nlohmann::json Node::sessions() {
  auto answer = broker->get("/api/sessions");
  nlohmann::json out = nlohmann::json::object();
  auto body = nlohmann::json::parse(answer.body, nullptr, false);
  if (body.is_object() && body["sessions"].is_array())
    for (const auto& s : body["sessions"]) out[s["session_id"].get<std::string>()] = s["status"];
  return out;
}

std::optional<nlohmann::json> Node::wait_cluster(const std::function<bool(const nlohmann::json&)>& match,
                                                 std::chrono::milliseconds timeout) {
  auto beat = broker->wait_heartbeat(
      [&](const nlohmann::json& data) { return data.contains("cluster") && match(data["cluster"]); }, timeout);
  if (!beat) return std::nullopt;
  return (*beat)["data"]["cluster"];
}

void ClusterTest::SetUp() {
  if (hbtest::redis_server_binary().empty()) GTEST_SKIP() << "redis-server is not installed (scripts/install-deps.sh)";
  redis_ = std::make_unique<hbtest::RedisServer>();
  ASSERT_TRUE(redis_->ready()) << redis_->output();
}

Node& ClusterTest::node(const std::string& id) {
  for (auto& n : nodes_)
    if (n.id == id) return n;
  throw std::runtime_error("no node " + id);
}

Node& ClusterTest::start_node(const std::string& id, std::vector<std::string> extra) {
  Node* slot = nullptr;
  for (auto& n : nodes_)
    if (n.id == id) slot = &n;
  if (!slot) {
    nodes_.push_back(Node{id, nullptr, nullptr, {}});
    slot = &nodes_.back();
  }
  slot->client.reset();
  slot->socket_events.clear();
  slot->broker = std::make_unique<plugins_it::PluginBroker>(cluster_args(redis_->url(), id, std::move(extra)));
  EXPECT_GT(slot->broker->port(), 0) << slot->broker->output();
  slot->client = sio_it::connected_ws(slot->broker->port());
  EXPECT_TRUE(slot->client) << "no Socket.IO client on " << id;
  return *slot;
}

void ClusterTest::start_cluster(std::size_t count) {
  nodes_.reserve(count + 1);
  for (std::size_t i = 1; i <= count; ++i) start_node("n" + std::to_string(i));
  for (auto& n : nodes_) {
    auto cluster = n.wait_cluster([&](const nlohmann::json& c) {
      std::size_t up = 0;
      for (const auto& node : c["nodes"]) up += node["state"] == "up";
      return up == count && c["redis"]["state"] == "connected";
    });
    ASSERT_TRUE(cluster) << n.id << " never saw all " << count << " nodes:\n" << n.broker->output();
  }
}

}  // namespace cluster_it
