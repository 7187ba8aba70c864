#include "plugin_broker.hpp"

#include "json_lines.hpp"
#include "wait.hpp"

namespace plugins_it {

std::vector<std::string> enable(const std::string& plugin) { return {"--set", "plugins." + plugin + ".enabled=true"}; }

std::vector<std::string> config(const std::string& plugin, const std::string& key, const std::string& value) {
  return {"--set", "plugins." + plugin + ".config." + key + "=" + value};
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

PluginBroker::PluginBroker(std::vector<std::string> extra, const std::string& interval) : bus_(out_.file("bus.jsonl")) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", interval};
  args = args + enable("transport_jsonl") + config("transport_jsonl", "path", bus_) + extra;
  process_ = std::make_unique<hbtest::BrokerProcess>(args);
}

std::vector<nlohmann::json> PluginBroker::heartbeats() const {
  std::vector<nlohmann::json> out;
  for (auto& line : hbtest::broadcasts(bus_, "system_event", "heartbeat")) out.push_back(std::move(line));
  return out;
}

std::optional<nlohmann::json> PluginBroker::wait_heartbeat(const std::function<bool(const nlohmann::json&)>& match,
                                                           std::chrono::milliseconds timeout) {
  std::optional<nlohmann::json> found;
  std::size_t seen = 0;
  hbtest::wait_until(
      [&] {
        const auto beats = heartbeats();
        for (; seen < beats.size(); ++seen)
          if (beats[seen].contains("data") && match(beats[seen]["data"])) {
            found = beats[seen];
            return true;
          }
        return false;
      },
      timeout, std::chrono::milliseconds(20));
  return found;
}

std::vector<nlohmann::json> PluginBroker::system_events(const std::string& name) const {
  std::vector<nlohmann::json> out;
  for (auto& e : hbtest::broadcasts(bus_, "system_event"))
    if (e.value("event", "") == name) out.push_back(std::move(e));
  return out;
}

std::vector<nlohmann::json> PluginBroker::claude_events(const std::string& subtype) const {
  return hbtest::broadcasts(bus_, "claude_event", subtype);
}

sio_it::HttpResult PluginBroker::post_event(const nlohmann::json& event, const std::string& id) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (!id.empty()) headers.emplace_back("X-Hookbroker-Event-Id", id);
  return sio_it::http(port(), "POST", "/api/events", event.dump(), headers);
}

sio_it::HttpResult PluginBroker::get(const std::string& target,
                                     const std::vector<std::pair<std::string, std::string>>& headers) {
  return sio_it::http(port(), "GET", target, "", headers);
}

nlohmann::json generic_event(const std::string& subtype, const std::string& session, int n) {
  nlohmann::json e = {{"type", "test"}, {"subtype", subtype}, {"data", {{"n", n}}}};
  if (!session.empty()) e["session_id"] = session;
  return e;
}

}  // namespace plugins_it
