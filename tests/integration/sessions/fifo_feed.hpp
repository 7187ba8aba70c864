// Feeding hook events to a running broker one at a time, through
// transport_jsonl reading a FIFO: the test decides when the next event goes
// in, so it can look at the state after each one.
#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

namespace sessions_it {

class FifoFeed {
 public:
  /// Creates the FIFO at `path` (the broker's plugins.transport_jsonl.config.input).
  explicit FifoFeed(std::string path);
  ~FifoFeed();
  FifoFeed(const FifoFeed&) = delete;
  FifoFeed& operator=(const FifoFeed&) = delete;

  const std::string& path() const { return path_; }
  /// Waits (scaled timeout) for the broker to open the FIFO for reading.
  bool connect(std::chrono::milliseconds timeout);
  /// Writes one event as one line.
  void send(const nlohmann::json& event);
  /// Closing tells the broker's reader the input ended.
  void close();

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace sessions_it
