// sysmetrics in the real broker: on by default, every heartbeat carries the
// broker process's own figures, and it can be switched off.
#include <gtest/gtest.h>


#include "plugin_broker.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;

TEST(SysmetricsBroker, EveryHeartbeatCarriesTheBrokersOwnFigures) {
  PluginBroker broker({});
  const auto hb = broker.wait_heartbeat([](const nlohmann::json& d) { return d.contains("system_metrics"); },
                                        hbtest::scaled(10s));
  ASSERT_TRUE(hb) << broker.output();
  const auto& m = (*hb)["data"]["system_metrics"];
  EXPECT_FALSE(m.contains("errors")) << m.dump();
  // The broker runs its io threads plus the blocking pool: several threads.
  EXPECT_GE(m["threads"].get<int>(), 2) << m.dump();
  EXPECT_GT(m["rss_bytes"].get<std::uint64_t>(), 1u << 20);
  EXPECT_GT(m["open_fds"].get<int>(), 3);  // stdio, the listening socket, the jsonl file...
  EXPECT_GE(m["cpu_percent"].get<double>(), 0.0);
  EXPECT_GT(m["memory_total_bytes"].get<std::uint64_t>(), m["memory_available_bytes"].get<std::uint64_t>());
  EXPECT_TRUE(m["load_1m"].is_number());
  EXPECT_GE(m["cpu_count"].get<int>(), 1);
  EXPECT_EQ(broker.process().stop(), 0);
}

TEST(SysmetricsBroker, OpenDescriptorsFollowTheBroker) {
  PluginBroker broker({});
  ASSERT_GT(broker.port(), 0) << broker.output();
  const auto before = broker.wait_heartbeat([](const nlohmann::json& d) { return d.contains("system_metrics"); },
                                            hbtest::scaled(10s));
  ASSERT_TRUE(before);
  // Five idle WebSocket clients hold five more sockets in the broker.
  std::vector<std::unique_ptr<sio_it::WsClient>> clients;
  for (int i = 0; i < 5; ++i) clients.push_back(std::make_unique<sio_it::WsClient>(broker.port(), "/socket.io/?EIO=4&transport=websocket"));
  const int base = (*before)["data"]["system_metrics"]["open_fds"];
  const auto after = broker.wait_heartbeat(
      [&](const nlohmann::json& d) { return d["system_metrics"]["open_fds"].get<int>() >= base + 5; }, hbtest::scaled(10s));
  EXPECT_TRUE(after) << "open_fds stayed near " << base;
}

TEST(SysmetricsBroker, SwitchedOffTheKeyIsGone) {
  PluginBroker broker({"--set", "plugins.sysmetrics.enabled=false"});
  const auto hb = broker.wait_heartbeat([](const nlohmann::json&) { return true; }, hbtest::scaled(10s));
  ASSERT_TRUE(hb) << broker.output();
  EXPECT_FALSE((*hb)["data"].contains("system_metrics"));
}

TEST(SysmetricsBroker, DescribePluginShowsItsSchema) {
  const auto r = hbtest::run_command({hbtest::broker_binary(), "--describe-plugin", "sysmetrics"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sysmetrics"), std::string::npos);
  EXPECT_NE(r.out.find("proc_root"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("system_metrics"), std::string::npos) << r.out;
}

}  // namespace
