#include "example_broker.hpp"

#include "broker_client/broker_call.hpp"
#include "json_lines.hpp"
#include "wait.hpp"

namespace examples_it {

std::string example_dir(const std::string& example) { return std::string(EXAMPLES_OUT) + "/" + example; }

ExampleBroker::ExampleBroker(const std::string& example, std::vector<std::string> extra)
    : bus_(dir_.file("bus.jsonl")) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", "0.2",
                                   "--plugin-dir", example_dir(example),
                                   "--set", "plugins.transport_jsonl.enabled=true",
                                   "--set", "plugins.transport_jsonl.config.path=" + bus_};
  args.insert(args.end(), extra.begin(), extra.end());
  process_ = std::make_unique<hbtest::BrokerProcess>(args);
}

int ExampleBroker::post_event(const nlohmann::json& hook) {
  hookbroker::broker_client::BrokerEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = static_cast<uint16_t>(process_->port());
  const std::string body = hook.dump();
  hookbroker::broker_client::BrokerCall call;
  call.path = "/api/events";
  call.body = body;
  call.headers = {{"Content-Type", "application/json"}};
  call.timeout_ms = 10000;
  return hookbroker::broker_client::call_broker(endpoint, call).status;
}

std::vector<nlohmann::json> ExampleBroker::events(const std::string& channel, const std::string& subtype) const {
  return hbtest::broadcasts(bus_, channel, subtype);
}

nlohmann::json ExampleBroker::wait_for_heartbeat(const std::function<bool(const nlohmann::json&)>& accept,
                                                 std::chrono::milliseconds timeout) {
  nlohmann::json found;
  hbtest::wait_until(
      [&] {
        const auto beats = events("system_event", "heartbeat");
        for (auto it = beats.rbegin(); it != beats.rend(); ++it) {
          if (accept((*it)["data"])) {
            found = (*it)["data"];
            return true;
          }
        }
        return false;
      },
      timeout, std::chrono::milliseconds(20));
  return found;
}

}  // namespace examples_it
