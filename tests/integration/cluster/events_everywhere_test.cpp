// Acceptance 1 of issue 17: an event posted to any broker reaches a
// Socket.IO client on each of three brokers exactly once, in its origin's
// order, marked with its origin node; the sessions agree on all three.
#include <map>

#include "cluster_fixture.hpp"
#include "wait.hpp"

namespace cluster_it {
namespace {

constexpr int kEvents = 60;

/// Posts kEvents hook events round-robin to `nodes` (a session per origin,
/// SessionStart first); returns marker -> origin node.
std::map<std::string, std::string> post_round_robin(std::vector<Node>& nodes, const std::string& prefix) {
  std::map<std::string, std::string> origin;
  for (auto& n : nodes) {
    auto answer = n.broker->post_event(hook_event("SessionStart", prefix + "-session-" + n.id, ""));
    EXPECT_EQ(answer.status, 204) << answer.body;
  }
  for (int i = 0; i < kEvents; ++i) {
    Node& n = nodes[i % nodes.size()];
    const std::string marker = prefix + "-" + std::to_string(i);
    auto answer = n.broker->post_event(hook_event("PreToolUse", prefix + "-session-" + n.id, marker));
    EXPECT_EQ(answer.status, 204) << answer.body;
    origin[marker] = n.id;
  }
  return origin;
}

TEST_F(ClusterTest, AnEventPostedToAnyBrokerReachesEveryClientOnceInOrderMarkedWithItsNode) {
  start_cluster(3);
  if (HasFatalFailure()) return;
  const auto origin = post_round_robin(nodes_, "e");
  const std::size_t expected = kEvents + 3;  // the SessionStarts too

  for (auto& n : nodes_) {
    ASSERT_TRUE(n.read_socket_events(expected, 15s))
        << n.id << " got " << n.socket_events.size() << " of " << expected << " events:\n" << n.broker->output();
    // Nothing more comes: exactly once.
    EXPECT_FALSE(n.read_socket_events(expected + 1, 500ms)) << n.id << " got an event twice";
    std::map<std::string, int> seen;
    std::map<std::string, int> last_index_of_origin;
    for (const auto& e : n.socket_events) {
      ASSERT_TRUE(e.contains("node")) << e;
      if (!e["data"].contains("tool_use_id")) continue;
      const std::string marker = e["data"]["tool_use_id"];
      ++seen[marker];
      const std::string from = origin.at(marker);
      EXPECT_EQ(e["node"], from) << "marked with its origin: " << e;
      EXPECT_EQ(e.value("from_cluster", false), from != n.id) << e;
      // Per-origin order: markers of one origin arrive in posting order.
      const int index = std::stoi(marker.substr(2));
      auto [it, first] = last_index_of_origin.try_emplace(from, index);
      if (!first) {
        EXPECT_GT(index, it->second) << n.id << ": events of " << from << " out of order";
        it->second = index;
      }
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kEvents)) << n.id;
    for (const auto& [marker, count] : seen) EXPECT_EQ(count, 1) << n.id << " got " << marker << " " << count << "x";
    // What transport_jsonl recorded (every client's stream) agrees.
    EXPECT_EQ(markers(n.sent_events()).size(), static_cast<std::size_t>(kEvents)) << n.id;
  }
}

TEST_F(ClusterTest, SessionsAgreeOnEveryBrokerAndOnlyLocalEventsCountAsIngested) {
  start_cluster(3);
  if (HasFatalFailure()) return;
  post_round_robin(nodes_, "s");
  for (auto& n : nodes_) {
    ASSERT_TRUE(n.read_socket_events(kEvents + 3, 15s)) << n.id << ":\n" << n.broker->output();
  }
  const nlohmann::json reference = nodes_[0].sessions();
  ASSERT_EQ(reference.size(), 3u) << reference;
  for (auto& n : nodes_) {
    EXPECT_EQ(n.sessions(), reference) << n.id;
    auto detail = n.broker->get("/api/sessions/s-session-n2");
    ASSERT_EQ(detail.status, 200) << detail.body;
    // The tool calls of n2's session, seen from every node.
    EXPECT_NE(detail.body.find("s-1"), std::string::npos) << n.id << ": " << detail.body;
    // Each session names the node it came from; this broker's own name none.
    const auto session = nlohmann::json::parse(detail.body)["session"];
    if (n.id == "n2") EXPECT_FALSE(session.contains("node")) << session;
    else EXPECT_EQ(session.value("node", ""), "n2") << n.id << ": " << session;
    // total_events counts only what was posted here: 1 SessionStart + kEvents/3.
    auto beat = n.broker->wait_heartbeat(
        [&](const nlohmann::json& data) {
          return data.value("total_events", 0) == 1 + kEvents / 3 &&
                 data["cluster"]["redis"].value("received", 0) == 2 * (1 + kEvents / 3);
        },
        5s);
    EXPECT_TRUE(beat) << n.id << ": " << n.broker->heartbeats().back().dump();
  }
}

TEST_F(ClusterTest, ANodeThatJoinsLaterCatchesUpWithTheSessionsTheStreamKeeps) {
  start_cluster(2);
  if (HasFatalFailure()) return;
  ASSERT_EQ(nodes_[0].broker->post_event(hook_event("SessionStart", "early", "")).status, 204);
  ASSERT_EQ(nodes_[1].broker->post_event(hook_event("PreToolUse", "early", "early-1")).status, 204);
  ASSERT_TRUE(nodes_[1].read_socket_events(2, 10s));

  Node& late = start_node("n3");
  ASSERT_TRUE(hbtest::wait_until([&] { return late.sessions().contains("early"); }, 10s))
      << late.broker->output();
  // The tracker and the test's Socket.IO client learn of the stream's events
  // at different moments: wait for the client too (once, and only once).
  const std::vector<std::string> expected{"early-1"};
  hbtest::wait_until([&] { return markers(late.sent_events()) == expected; }, 10s);
  EXPECT_EQ(markers(late.sent_events()), expected);
}

TEST_F(ClusterTest, ANodeThatCatchesUpAppliesTheStreamInBatchesInOrderAndOnce) {
  // A node that starts after 300 events reads them 50 per XREAD: each reply
  // goes to its core as one batch (HostApi::ingest_from_node, one hand-off
  // per step), and the batches keep the stream's order.
  constexpr int kBacklog = 300;
  start_cluster(1);
  if (HasFatalFailure()) return;
  ASSERT_EQ(nodes_[0].broker->post_event(hook_event("SessionStart", "backlog", "")).status, 204);
  std::vector<std::string> posted;
  for (int i = 0; i < kBacklog; ++i) {
    posted.push_back("b-" + std::to_string(i));
    ASSERT_EQ(nodes_[0].broker->post_event(hook_event("PreToolUse", "backlog", posted.back())).status, 204);
  }
  ASSERT_TRUE(nodes_[0].read_socket_events(kBacklog + 1, 15s));

  Node& late = start_node("n2", config_args("read_batch", "50"));
  nlohmann::json redis;
  const bool applied = static_cast<bool>(late.broker->wait_heartbeat(
      [&](const nlohmann::json& data) {
        redis = data["cluster"]["redis"];
        return redis.value("received", 0) == kBacklog + 1;
      },
      15s));
  ASSERT_TRUE(applied) << redis << "\n" << late.broker->output();
  EXPECT_EQ(markers(late.sent_events()), posted) << "every event once, in the origin's order";
  EXPECT_GE(redis.value("reads", 0), (kBacklog + 1 + 49) / 50) << redis;
  EXPECT_LT(redis.value("reads", 0), kBacklog / 2) << "replies of many entries each: " << redis;
  EXPECT_EQ(late.sessions(), nodes_[0].sessions()) << "the tracker applied the batches in order";
  const auto detail = nlohmann::json::parse(late.broker->get("/api/sessions/backlog").body);
  EXPECT_EQ(detail["session"].value("node", ""), "n1") << detail;
}

}  // namespace
}  // namespace cluster_it
