// mpm_compat's disk and git work, one job at a time on the broker's blocking
// pool: that pool is shared (history queries, static files, the spool
// replayer), and a dashboard asking for diffs must never hold both of its
// threads. Jobs past the queue's bound are refused at once.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "hookbroker/host_api.hpp"

namespace hookbroker::mpm {

class SerialWorker : public std::enable_shared_from_this<SerialWorker> {
 public:
  SerialWorker(HostApi& host, std::size_t max_queued) : host_(host), max_queued_(max_queued) {}

  /// Runs `job` after the ones before it; false (not run) when the queue is
  /// full. Any thread.
  bool submit(std::function<void()> job);

 private:
  void drain();

  HostApi& host_;
  const std::size_t max_queued_;
  std::mutex mutex_;
  std::deque<std::function<void()>> jobs_;
  bool running_ = false;
};

}  // namespace hookbroker::mpm
