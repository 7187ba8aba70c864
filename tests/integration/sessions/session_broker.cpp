#include "session_broker.hpp"

#include "json_lines.hpp"
#include "wait.hpp"

namespace sessions_it {

std::vector<std::string> broker_args(const std::string& bus_file, const std::string& input,
                                     const std::string& interval, std::vector<std::string> extra) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", interval,
                                   "--set", "plugins.transport_jsonl.enabled=true",
                                   "--set", "plugins.transport_jsonl.config.path=" + bus_file};
  if (!input.empty()) {
    args.push_back("--set");
    args.push_back("plugins.transport_jsonl.config.input=" + input);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<nlohmann::json> heartbeats(const std::string& bus_file) {
  std::vector<nlohmann::json> out;
  for (auto& hb : hbtest::broadcasts(bus_file, "system_event", "heartbeat")) out.push_back(std::move(hb["data"]));
  return out;
}

nlohmann::json wait_for_heartbeat(const std::string& bus_file,
                                  const std::function<bool(const nlohmann::json&)>& match,
                                  std::chrono::milliseconds timeout) {
  nlohmann::json found;
  std::size_t checked = 0;  // each heartbeat is looked at once
  hbtest::wait_until(
      [&] {
        const auto beats = heartbeats(bus_file);
        for (; checked < beats.size(); ++checked)
          if (match(beats[checked])) {
            found = beats[checked];
            return true;
          }
        return false;
      },
      timeout, std::chrono::milliseconds(20));
  return found;
}

nlohmann::json session_in(const nlohmann::json& heartbeat_data, const std::string& id) {
  for (const auto& s : heartbeat_data.value("active_sessions", nlohmann::json::array()))
    if (s.value("session_id", "") == id) return s;
  return nullptr;
}

std::size_t delegations_with(const nlohmann::json& session, const std::string& status) {
  std::size_t n = 0;
  for (const auto& d : session.value("delegations", nlohmann::json::array())) n += d.value("status", "") == status;
  return n;
}

std::string heartbeat_log_line(const std::string& clients, const std::string& events,
                               const std::string& sessions) {
  return "System heartbeat sent - clients: " + clients + ", uptime: [0-9]+s, events: " + events +
         ", sessions: " + sessions;
}

}  // namespace sessions_it
