// client_heartbeats: two-way heartbeats. Clients may emit `client_heartbeat`
// (answered with the server's time, so they can measure the round trip); the
// plugin follows every client's arrival and departure and lists them under
// `clients` in each heartbeat, flagging those silent longer than stale_after_s.
#include "client_registry.hpp"
#include "hookbroker/hookbroker.hpp"

namespace hookbroker::client_heartbeats {

class ClientHeartbeatsPlugin final : public Plugin, public HeartbeatContributor {
 public:
  ClientHeartbeatsPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host),
        registry_(RegistryLimits{
            std::chrono::milliseconds(static_cast<long long>(config.at("stale_after_s").get<double>() * 1000)),
            config.at("max_listed").get<std::size_t>(), config.at("max_clients").get<std::size_t>()}) {}


  void start() override {
    host_.add_client_observer([this](const ClientInfo& client, bool connected) {
      if (connected) registry_.connected(client, ClientRegistry::Clock::now());
      else registry_.disconnected(client.id);
    });
    if (!host_.add_client_request("client_heartbeat", [this](const ClientInfo& client, const nlohmann::json& args,
                                                             ClientReply reply) { answer(client, args, reply); }))
      throw std::runtime_error("another plugin already answers client_heartbeat; load only one of them");
  }

  nlohmann::json contribute() override {
    std::vector<std::string> newly_stale;
    nlohmann::json clients = registry_.snapshot(ClientRegistry::Clock::now(), &newly_stale);
    for (const auto& line : newly_stale) host_.info(line);
    return {{"clients", std::move(clients)}};
  }

 private:
  void answer(const ClientInfo& client, const nlohmann::json& args, const ClientReply& reply) {
    ParsedRequest parsed = parse_heartbeat_request(args);
    if (!parsed.request) {
      host_.debug("client " + client.id + " sent a bad client_heartbeat: " + parsed.error);
      if (reply) reply(nlohmann::json::array({{{"error", parsed.error}}}));
      return;
    }
    nlohmann::json ack = registry_.heartbeat(client, *parsed.request, ClientRegistry::Clock::now());
    if (reply) reply(nlohmann::json::array({std::move(ack)}));
  }

  HostApi& host_;
  ClientRegistry registry_;
};

}  // namespace hookbroker::client_heartbeats

HOOKBROKER_PLUGIN(hookbroker::client_heartbeats::ClientHeartbeatsPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "client_heartbeats";
  info.version = "1.0.0";
  info.description = "Two-way heartbeats: answers client_heartbeat with server time, lists clients under `clients`";
  info.heartbeat_keys = "clients";
  info.options = {
      hookbroker::renamed(hookbroker::ranged_option("stale_after_s", hookbroker::ConfigType::Number, "90",
                                                    "seconds without a client_heartbeat (or since connecting) "
                                                    "before a client is flagged stale",
                                                    1, 86400),
                          "stale_after"),
      hookbroker::ranged_option("max_listed", hookbroker::ConfigType::Int, "100",
                                "clients listed in the heartbeat, most recently heard from first (0 = all); "
                                "the counts always cover every client",
                                0, 100000),
      hookbroker::ranged_option("max_clients", hookbroker::ConfigType::Int, "10000",
                                "client records kept; beyond it the longest-silent one is forgotten", 1, 1000000),
  };
  return info;
}())
