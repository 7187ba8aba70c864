#include "bench_broker.hpp"

#include <fstream>
#include <iterator>
#include <string_view>

namespace plugins_bench {

std::vector<std::string> set(const std::string& key, const std::string& value) { return {"--set", key + "=" + value}; }

BenchBroker::BenchBroker(const std::string& interval, std::vector<std::string> extra) : bus_(dir_.file("bus.jsonl")) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", interval,
                                   "--set", "plugins.transport_jsonl.enabled=true",
                                   "--set", "plugins.transport_jsonl.config.path=" + bus_};
  args.insert(args.end(), extra.begin(), extra.end());
  process_ = std::make_unique<hbtest::BrokerProcess>(args);
}

std::size_t BenchBroker::heartbeat_count() {
  std::ifstream in(bus_, std::ios::binary);
  in.seekg(read_offset_);
  const std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t start = 0;
  for (std::size_t end; (end = chunk.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string_view line(chunk.data() + start, end - start);
    // Keys are written sorted: the envelope's "subtype" comes after the
    // (large) "data", near the end of the line.
    const std::string_view tail = line.substr(line.size() > 256 ? line.size() - 256 : 0);
    if (tail.find("\"subtype\":\"heartbeat\"") != std::string_view::npos) heartbeats_.emplace_back(line);
  }
  read_offset_ += static_cast<std::streamoff>(start);  // a partly written last line is read again next time
  return heartbeats_.size();
}

std::vector<std::string> BenchBroker::heartbeat_lines(std::size_t skip) {
  heartbeat_count();
  if (skip >= heartbeats_.size()) return {};
  return {heartbeats_.begin() + static_cast<std::ptrdiff_t>(skip), heartbeats_.end()};
}

}  // namespace plugins_bench
