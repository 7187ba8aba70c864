// Arguments every core integration test starts the broker with: an
// ephemeral port, and transport_jsonl writing every broadcast to `bus_file`.
#pragma once

#include <string>
#include <vector>

inline std::vector<std::string> broker_args(const std::string& bus_file, const std::string& interval,
                                            std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", interval,
                                   "--set", "plugins.transport_jsonl.enabled=true",
                                   "--set", "plugins.transport_jsonl.config.path=" + bus_file};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

inline std::string fixture_dir(const std::string& name) { return std::string(FIXTURE_PLUGIN_ROOT) + "/" + name; }

constexpr const char* kHeartbeatLogLine =
    R"(System heartbeat sent - clients: [0-9]+, uptime: [0-9]+s, events: [0-9]+, sessions: [0-9]+)";
