// The bus's records of one ingest in flight, shared by event_bus.cpp and
// event_bus_batch.cpp.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/event_bus.hpp"

namespace hookbroker::core {

struct EventBus::Job {
  nlohmann::json raw;
  IngestContext context;
  IngestDone done;
  std::string origin_node;  ///< "" for a local event
  std::shared_ptr<const BusRoutes> routes;
  std::atomic<bool> finished{false};
};

/// The answers of the sinks one event was offered to.
struct EventBus::SinkRound {
  explicit SinkRound(std::shared_ptr<const nlohmann::json> e, std::size_t b, std::size_t sinks)
      : event(std::move(e)), bytes(b), pending(sinks) {}
  /// Records one sink's answer; true for the last one.
  bool record(const std::string& sink, SinkResult result) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!result.ok()) failures.emplace_back(sink, std::move(result));
    return --pending == 0;
  }
  const std::shared_ptr<const nlohmann::json> event;
  const std::size_t bytes;
  std::mutex mutex;
  std::size_t pending;
  std::vector<std::pair<std::string, SinkResult>> failures;
};

}  // namespace hookbroker::core
