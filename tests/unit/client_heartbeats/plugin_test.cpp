// The built client_heartbeats.so on a FakeHost: the request and the observer
// it registers, as a transport would call them.
#include <gtest/gtest.h>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"

namespace {

using hookbroker::ClientInfo;
using hookbroker::testing::FakeHost;
using hookbroker::testing::LoadedPlugin;
using nlohmann::json;

class ClientHeartbeatsPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_ = library_.create(host_, {{"stale_after_s", 90}, {"max_listed", 100}, {"max_clients", 10000}});
    host_.on_strand([&] { plugin_->start(); });
  }
  json request(const ClientInfo& client, const json& args) {
    json answer;
    bool answered = false;
    EXPECT_TRUE(host_.handle_client_request("client_heartbeat", client, args, [&](json a) {
      answer = std::move(a);
      answered = true;
    }));
    EXPECT_TRUE(host_.run_until([&] { return answered; }));
    return answer;
  }
  json clients() {
    return host_.on_strand([&] { return plugin_.heartbeat_contributor()->contribute(); });
  }

  LoadedPlugin library_{CLIENT_HEARTBEATS_PLUGIN_PATH};
  FakeHost host_{"client_heartbeats"};
  LoadedPlugin::Instance plugin_;
};

TEST_F(ClientHeartbeatsPlugin, ManifestDeclaresTheClientsKeyAndOptions) {
  const auto& m = library_.manifest();
  EXPECT_EQ(m.name, "client_heartbeats");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  EXPECT_EQ(m.heartbeat_keys, "clients");
  EXPECT_EQ(m.options.size(), 3u);
}

TEST_F(ClientHeartbeatsPlugin, AcksWithServerTimeAndListsTheClient) {
  const ClientInfo ui{"sock-1", "websocket", "127.0.0.1:4000", "2026-01-01T00:00:00.000Z"};
  host_.client_connected(ui);
  const auto ack = request(ui, json::array({{{"name", "dashboard"}, {"sent_at", 42}}}));
  ASSERT_TRUE(ack.is_array() && ack.size() == 1) << ack.dump();
  EXPECT_EQ(ack[0]["status"], "ok");
  EXPECT_EQ(ack[0]["echo"], 42);
  EXPECT_TRUE(ack[0]["server_time_ms"].is_number_integer());
  const auto data = clients();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(data["clients"]["count"], 1);
  EXPECT_EQ(data["clients"]["list"][0]["name"], "dashboard");
  EXPECT_EQ(data["clients"]["list"][0]["heartbeats"], 1);

  host_.client_disconnected(ui);
  EXPECT_TRUE(host_.run_until([&] { return clients()["clients"]["count"] == 0; }));
}

TEST_F(ClientHeartbeatsPlugin, BadPayloadIsAnsweredWithAnErrorAndChangesNothing) {
  const ClientInfo ui{"sock-2", "polling", "127.0.0.1:4001", ""};
  const auto ack = request(ui, json::array({{{"rtt_ms", "slow"}}}));
  ASSERT_EQ(ack.size(), 1u);
  EXPECT_NE(ack[0]["error"].get<std::string>().find("rtt_ms"), std::string::npos) << ack.dump();
  EXPECT_EQ(clients()["clients"]["count"], 0);
}

TEST_F(ClientHeartbeatsPlugin, ASecondPluginCannotTakeTheRequestName) {
  FakeHost host("other");
  EXPECT_TRUE(host.add_client_request("client_heartbeat", [](const ClientInfo&, const json&, hookbroker::ClientReply) {}));
  auto second = library_.create(host, json::object());
  EXPECT_THROW(host.on_strand([&] { second->start(); }), std::runtime_error);
}

}  // namespace
