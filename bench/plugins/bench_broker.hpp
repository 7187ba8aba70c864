// The broker under benchmark: the real binary from this build tree on an
// ephemeral port, every broadcast written to a JSON-lines file the bench
// reads (heartbeats with their timing).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"

namespace plugins_bench {

class BenchBroker {
 public:
  BenchBroker(const std::string& interval, std::vector<std::string> extra);
  int port() { return process_->port(); }
  hbtest::BrokerProcess& process() { return *process_; }
  const hbtest::TempDir& dir() const { return dir_; }
  /// Heartbeat lines (the whole line text) after the first `skip`.
  std::vector<std::string> heartbeat_lines(std::size_t skip = 0);
  /// How many heartbeats were written so far. Cheap to poll: the file is
  /// read on from where the last call stopped (re-reading megabytes of
  /// heartbeats at every poll would take the cores from the broker it times).
  std::size_t heartbeat_count();

 private:
  hbtest::TempDir dir_;
  std::string bus_;
  std::unique_ptr<hbtest::BrokerProcess> process_;
  std::streamoff read_offset_ = 0;
  std::vector<std::string> heartbeats_;
};

std::vector<std::string> set(const std::string& key, const std::string& value);

}  // namespace plugins_bench
