// Acceptance 3 of issue 17: what the cluster does when a broker or Redis
// fails, each through real processes.
#include <atomic>
#include <csignal>
#include <set>
#include <thread>

#include "cluster_fixture.hpp"
#include "wait.hpp"

namespace cluster_it {
namespace {

using plugins_it::operator+;

/// `n` cannot reach Redis and says why (`error` is part of the reason in its
/// heartbeat), and goes on serving its own clients.
void expect_clear_error_serving_locally(Node& n, const std::string& error) {
  auto cluster = n.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "unreachable"; });
  ASSERT_TRUE(cluster) << n.broker->output();
  EXPECT_NE(cluster->at("redis").value("error", "").find(error), std::string::npos) << cluster->dump();
  ASSERT_EQ(n.broker->post_event(hook_event("PreToolUse", "local-session", "local")).status, 204);
  ASSERT_TRUE(n.read_socket_events(1, 5s));
  EXPECT_EQ(markers(n.socket_events), std::vector<std::string>{"local"});
}

std::set<std::string> marker_set(const std::vector<nlohmann::json>& events) {
  const auto list = markers(events);
  return {list.begin(), list.end()};
}

TEST_F(ClusterTest, KillingABrokerLeavesTheOthersGoingAndTheRestartedOneCatchesUp) {
  start_cluster(3);
  if (HasFatalFailure()) return;
  for (auto& n : nodes_) ASSERT_EQ(n.broker->post_event(hook_event("SessionStart", "k-" + n.id, "")).status, 204);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(node("n1").broker->post_event(hook_event("PreToolUse", "k-n1", "a" + std::to_string(i))).status, 204);

  node("n3").broker->process().stop(SIGKILL);
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(node("n1").broker->post_event(hook_event("PreToolUse", "k-n1", "b" + std::to_string(i))).status, 204);
    ASSERT_EQ(node("n2").broker->post_event(hook_event("PreToolUse", "k-n2", "c" + std::to_string(i))).status, 204);
  }
  ASSERT_TRUE(node("n2").read_socket_events(3 + 30, 10s)) << node("n2").broker->output();
  // n3 stops announcing: the others show it as lost, not gone.
  auto lost = node("n1").wait_cluster([](const nlohmann::json& c) {
    for (const auto& n : c["nodes"])
      if (n["node_id"] == "n3") return n["state"] == "lost";
    return false;
  });
  EXPECT_TRUE(lost) << node("n1").broker->output();
  // Its sessions stay listed, marked as belonging to a lost node.
  auto node_state_of = [&](const std::string& on, const std::string& session_id) {
    const auto answer = node(on).broker->get("/api/sessions");
    const auto body = nlohmann::json::parse(answer.body, nullptr, false);
    if (!body.is_object()) return std::string("no answer");
    for (const auto& s : body["sessions"])
      if (s["session_id"] == session_id) return s.value("node_state", std::string("up"));
    return std::string("not listed");
  };
  EXPECT_TRUE(hbtest::wait_until([&] { return node_state_of("n1", "k-n3") == "lost"; }, 10s))
      << node_state_of("n1", "k-n3");
  EXPECT_EQ(node_state_of("n1", "k-n2"), "up");

  Node& again = start_node("n3");
  const auto expected = marker_set(node("n1").sent_events());
  ASSERT_EQ(expected.size(), 30u);
  ASSERT_TRUE(hbtest::wait_until([&] { return marker_set(again.sent_events()) == expected; }, 15s))
      << again.broker->output();
  EXPECT_EQ(again.sessions(), node("n1").sessions());
  EXPECT_TRUE(hbtest::wait_until([&] { return node_state_of("n1", "k-n3") == "up"; }, 10s))
      << "back: " << node_state_of("n1", "k-n3");
  // History: the restarted node's ring holds the cluster's events too.
  auto history = again.broker->get("/api/history?limit=100");
  ASSERT_EQ(history.status, 200);
  for (const char* marker : {"a0", "b9", "c9"}) EXPECT_NE(history.body.find(marker), std::string::npos) << marker;
}

TEST_F(ClusterTest, EventsAcceptedWhileRedisIsAwayArePublishedWhenItReturnsAndRedisEmptyIsResynchronised) {
  start_cluster(2);
  if (HasFatalFailure()) return;
  ASSERT_EQ(node("n1").broker->post_event(hook_event("PreToolUse", "r", "before")).status, 204);
  ASSERT_TRUE(node("n2").read_socket_events(1, 10s));

  redis_->stop(true);
  for (int i = 0; i < 20; ++i) {
    auto answer = node("n1").broker->post_event(hook_event("PreToolUse", "r", "away" + std::to_string(i)));
    ASSERT_EQ(answer.status, 204) << "hooks are answered while Redis is away: " << answer.body;
  }
  // Local clients get them at once; the buffer figures in the heartbeat.
  ASSERT_TRUE(node("n1").read_socket_events(21, 5s));
  // At least 20: under load the reply for "before" may not have reached n1
  // before Redis went, and then it waits too (n2 skips it as a repeat).
  auto away = node("n1").wait_cluster([](const nlohmann::json& c) {
    return c["redis"]["state"] == "unreachable" && c["redis"]["pending"].get<int>() >= 20;
  });
  ASSERT_TRUE(away) << node("n1").broker->output();
  EXPECT_NE(away->at("redis").value("error", ""), "");

  redis_->start();  // empty: no persistence
  ASSERT_TRUE(redis_->ready());
  ASSERT_TRUE(node("n2").read_socket_events(21, 15s)) << node("n2").broker->output();
  EXPECT_FALSE(node("n2").read_socket_events(22, 500ms)) << "an event came twice";
  const auto got = markers(node("n2").socket_events);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(got[static_cast<std::size_t>(i) + 1], "away" + std::to_string(i));
  EXPECT_TRUE(node("n2").broker->process().wait_for_log("resynchronising", 5s)) << node("n2").broker->output();
  auto back = node("n1").wait_cluster([](const nlohmann::json& c) {
    return c["redis"]["state"] == "connected" && c["redis"]["pending"] == 0;
  });
  EXPECT_TRUE(back);
  EXPECT_TRUE(node("n1").broker->process().running());
  EXPECT_TRUE(node("n2").broker->process().running());
}

TEST_F(ClusterTest, RedisAwayForFiveSecondsUnderLoadLosesNoEvent) {
  start_cluster(2);
  if (HasFatalFailure()) return;
  std::atomic<bool> posting{true};
  std::atomic<int> posted{0};
  std::atomic<int> refused{0};
  std::thread poster([&] {
    for (int i = 0; posting; ++i) {
      Node& to = node(i % 2 == 0 ? "n1" : "n2");
      if (to.broker->post_event(hook_event("PreToolUse", "load-" + to.id, "L" + std::to_string(i))).status != 204)
        ++refused;
      ++posted;
      std::this_thread::sleep_for(5ms);
    }
  });
  std::this_thread::sleep_for(1s);
  redis_->stop(true);
  auto away = node("n1").wait_cluster([](const nlohmann::json& c) {
    return c["redis"]["state"] == "unreachable" && c["redis"]["pending"].get<int>() > 0;
  });
  std::this_thread::sleep_for(5s);
  redis_->start();
  const bool redis_back = redis_->ready();
  std::this_thread::sleep_for(1s);
  posting = false;
  poster.join();
  ASSERT_TRUE(redis_back);
  EXPECT_TRUE(away) << "the buffer figures in the heartbeat while Redis is away";
  EXPECT_EQ(refused, 0) << "hooks are answered while Redis is away";

  for (const char* id : {"n1", "n2"}) {
    Node& n = node(id);
    const bool all = hbtest::wait_until([&] { return markers(n.sent_events()).size() >= static_cast<std::size_t>(posted.load()); }, 20s);
    const auto got = markers(n.sent_events());
    const std::set<std::string> unique(got.begin(), got.end());
    EXPECT_TRUE(all) << id << " has " << got.size() << " of " << posted.load();
    EXPECT_EQ(unique.size(), got.size()) << id << " got an event twice";
    EXPECT_EQ(got.size(), static_cast<std::size_t>(posted.load())) << id;
  }
}

TEST_F(ClusterTest, TheBufferIsBoundedAndCountsWhatItDropped) {
  start_node("n1", config_args("buffer_max_events", "5"));
  ASSERT_TRUE(node("n1").wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; }));
  redis_->stop(true);
  for (int i = 0; i < 8; ++i)
    ASSERT_EQ(node("n1").broker->post_event(hook_event("PreToolUse", "b", "x" + std::to_string(i))).status, 204);
  auto full = node("n1").wait_cluster([](const nlohmann::json& c) {
    return c["redis"]["pending"] == 5 && c["redis"]["dropped"] == 3;
  });
  EXPECT_TRUE(full) << node("n1").broker->output();
  EXPECT_TRUE(node("n1").broker->process().wait_for_log("oldest", 2s)) << node("n1").broker->output();
}

TEST_F(ClusterTest, AWrongPasswordIsAClearErrorAndTheBrokerServesLocally) {
  redis_->stop(true);
  redis_ = std::make_unique<hbtest::RedisServer>(hbtest::RedisOptions{"right-password", false});
  ASSERT_TRUE(redis_->ready());
  Node& n = start_node("n1", config_args("password", "wrong-password"));
  auto cluster = n.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "unreachable"; });
  ASSERT_TRUE(cluster) << n.broker->output();
  const std::string error = cluster->at("redis").value("error", "");
  EXPECT_TRUE(error.find("WRONGPASS") != std::string::npos || error.find("invalid") != std::string::npos) << error;
  EXPECT_TRUE(n.broker->process().wait_for_log("Redis at 127.0.0.1:[0-9]+/0: .*(WRONGPASS|invalid)", 2s))
      << n.broker->output();
  ASSERT_EQ(n.broker->post_event(hook_event("PreToolUse", "p", "local")).status, 204);
  ASSERT_TRUE(n.read_socket_events(1, 5s));
  EXPECT_EQ(markers(n.socket_events), std::vector<std::string>{"local"});
}

TEST_F(ClusterTest, AnUnreachableRedisIsAClearErrorAndTheBrokerServesLocally) {
  const std::string url = redis_->url();
  redis_->stop(true);  // nothing listens on its port now
  Node& n = start_node("n1");
  auto cluster = n.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "unreachable"; });
  ASSERT_TRUE(cluster) << n.broker->output();
  EXPECT_NE(cluster->at("redis").value("error", "").find("refused"), std::string::npos) << cluster->dump();
  ASSERT_EQ(n.broker->post_event(hook_event("PreToolUse", "u", "local")).status, 204);
  ASSERT_TRUE(n.read_socket_events(1, 5s));
  // It keeps trying, and joins once Redis is there.
  redis_->start();
  ASSERT_TRUE(redis_->ready());
  EXPECT_TRUE(n.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; }))
      << n.broker->output();
  EXPECT_NE(redis_->cli({"XLEN", "hookbroker:events"}), "0");
  (void)url;
}

// A host name is resolved off the plugin's strand (Asio's resolver) and
// hiredis connects to the address; logs and the heartbeat keep the name.
TEST_F(ClusterTest, AHostNameInTheUrlIsResolvedAndTheNodeJoins) {
  const std::string url = "redis://localhost:" + std::to_string(redis_->port()) + "/0";
  Node& n = start_node("n1", config_args("url", url));  // the later --set wins
  auto cluster = n.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; });
  ASSERT_TRUE(cluster) << n.broker->output();
  EXPECT_EQ(cluster->at("redis").value("url", ""), url);
  ASSERT_EQ(n.broker->post_event(hook_event("PreToolUse", "h", "by-name")).status, 204);
  EXPECT_TRUE(hbtest::wait_until([&] { return redis_->cli({"XLEN", "hookbroker:events"}) == "1"; }, 5s))
      << n.broker->output();
}

TEST_F(ClusterTest, AHostNameThatDoesNotResolveIsAClearErrorAndTheBrokerServesLocally) {
  // .invalid never resolves (RFC 2606).
  Node& n = start_node("n1", config_args("url", "redis://no-such-host.invalid:6379/0"));
  expect_clear_error_serving_locally(n, "cannot resolve 'no-such-host.invalid'");
}

// rediss://: the connection is TLS (Asio over OpenSSL), the server's
// certificate checked against tls_ca_file and the URL's host.
class ClusterTlsTest : public ClusterTest {
 protected:
  /// Replaces this test's Redis with one that speaks TLS only.
  void use_tls_redis(bool client_certificates) {
    redis_->stop(true);
    redis_ = std::make_unique<hbtest::RedisServer>(hbtest::RedisOptions{"", false, true, client_certificates});
    ASSERT_TRUE(redis_->ready()) << redis_->output();
  }
};

TEST_F(ClusterTlsTest, ARedissUrlConnectsOverTlsAndEventsCrossBetweenNodes) {
  ASSERT_NO_FATAL_FAILURE(use_tls_redis(false));
  ASSERT_EQ(redis_->url().rfind("rediss://", 0), 0u);
  for (const char* id : {"n1", "n2"}) start_node(id, config_args("tls_ca_file", redis_->ca_file()));
  for (auto& n : nodes_)
    ASSERT_TRUE(n.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; }))
        << n.id << ":\n" << n.broker->output();
  EXPECT_EQ(node("n1").wait_cluster([](const nlohmann::json&) { return true; })->at("redis").value("url", ""),
            redis_->url());
  ASSERT_EQ(node("n1").broker->post_event(hook_event("PreToolUse", "t", "over-tls")).status, 204);
  ASSERT_TRUE(node("n2").read_socket_events(1, 10s)) << node("n2").broker->output();
  EXPECT_EQ(markers(node("n2").socket_events), std::vector<std::string>{"over-tls"});
  EXPECT_EQ(redis_->cli({"XLEN", "hookbroker:events"}), "1");
}

TEST_F(ClusterTlsTest, ATlsRedisWhoseCertificateIsNotTrustedIsAClearErrorAndTheBrokerServesLocally) {
  ASSERT_NO_FATAL_FAILURE(use_tls_redis(false));
  // No tls_ca_file: the system's CAs, which never signed the test's.
  expect_clear_error_serving_locally(start_node("n1"), "certificate verify failed");
}

// The URL says 127.0.0.1; the certificate names localhost and 127.0.0.1.
TEST_F(ClusterTlsTest, TheNameTheCertificateMustCarryAndWhetherItIsCheckedCanBeSet) {
  ASSERT_NO_FATAL_FAILURE(use_tls_redis(false));
  const auto ca = config_args("tls_ca_file", redis_->ca_file());
  start_node("by-name", ca + config_args("tls_server_name", "localhost"));
  start_node("wrong-name", ca + config_args("tls_server_name", "redis.example.net"));
  start_node("unverified", config_args("tls_verify", "false"));  // no CA that signed it, and no check
  EXPECT_TRUE(node("by-name").wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; }))
      << node("by-name").broker->output();
  EXPECT_TRUE(
      node("unverified").wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; }))
      << node("unverified").broker->output();
  expect_clear_error_serving_locally(node("wrong-name"), "certificate verify failed");
}

TEST_F(ClusterTlsTest, ARedisThatAsksForClientCertificatesTakesTheNodesAndRefusesOneWithout) {
  ASSERT_NO_FATAL_FAILURE(use_tls_redis(true));
  start_node("with", config_args("tls_ca_file", redis_->ca_file()) +
                         config_args("tls_cert_file", redis_->client_cert_file()) +
                         config_args("tls_key_file", redis_->client_key_file()));
  start_node("without", config_args("tls_ca_file", redis_->ca_file()));
  Node& with = node("with");
  Node& without = node("without");
  EXPECT_TRUE(with.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "connected"; }))
      << with.broker->output();
  auto refused = without.wait_cluster([](const nlohmann::json& c) { return c["redis"]["state"] == "unreachable"; });
  ASSERT_TRUE(refused) << without.broker->output();
  EXPECT_FALSE(refused->at("redis").value("error", "").empty());
}

TEST(ClusterOptions, TlsOptionsWithAPlainUrlAreABadSettingThatSaysWhy) {
  plugins_it::PluginBroker broker(cluster_args("redis://127.0.0.1:6379/0", "n1", config_args("tls_ca_file", "/ca.pem")));
  EXPECT_EQ(broker.process().wait_exit(10s), 2) << broker.output();
  EXPECT_TRUE(broker.process().wait_for_log("plugins.cluster_redis.config: tls_\\*: .*rediss://", 1s))
      << broker.output();
}

}  // namespace
}  // namespace cluster_it
