#include "bench_broker.hpp"

#include <fstream>

namespace plugins_bench {

std::vector<std::string> set(const std::string& key, const std::string& value) { return {"--set", key + "=" + value}; }

BenchBroker::BenchBroker(const std::string& interval, std::vector<std::string> extra) : bus_(dir_.file("bus.jsonl")) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval", interval,
                                   "--set", "plugins.transport_jsonl.enabled=true",
                                   "--set", "plugins.transport_jsonl.config.path=" + bus_};
  args.insert(args.end(), extra.begin(), extra.end());
  process_ = std::make_unique<hbtest::BrokerProcess>(args);
}

std::vector<std::string> BenchBroker::heartbeat_lines(std::size_t skip) const {
  std::vector<std::string> out;
  std::ifstream in(bus_);
  std::string line;
  std::size_t seen = 0;
  while (std::getline(in, line)) {
    if (line.find("\"subtype\":\"heartbeat\"") == std::string::npos || line.back() != '}') continue;
    if (seen++ >= skip) out.push_back(line);
  }
  return out;
}

}  // namespace plugins_bench
