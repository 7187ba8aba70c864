// Runs spool drains into the broker, one at a time, off the event loop.
// Requests that arrive while a drain runs are folded into one more pass, so a
// burst of hooks asking "drain now" costs one drain, not hundreds.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "accepted_ids.hpp"
#include "hookbroker/host_api.hpp"
#include "spool/spool_drainer.hpp"

namespace hookbroker::spool_replay {

class ReplayRunner : public std::enable_shared_from_this<ReplayRunner> {
 public:
  ReplayRunner(HostApi& host, std::string dir, std::size_t window, std::shared_ptr<AcceptedIds> ids);

  /// Starts a drain, or asks the running one for another pass. Thread-safe.
  void request();
  /// No new drains; the running one stops between records and this waits
  /// for it up to `budget`.
  void stop(std::chrono::milliseconds budget);

  /// {pending_bytes, replayed, skipped_duplicates, refused, damaged}
  nlohmann::json stats() const;
  const spool::SpoolDir& spool() const { return spool_; }

 private:
  void run();
  void deliver(const spool::ScannedRecord& record, spool::DeliveryDone done);

  HostApi& host_;  // outlives the plugin and the blocking pool's work (SDK contract)
  const spool::SpoolDir spool_;
  const std::size_t window_;
  const std::shared_ptr<AcceptedIds> ids_;

  std::atomic<bool> running_{false};
  std::atomic<bool> again_{false};
  std::atomic<bool> stopping_{false};
  std::mutex idle_mutex_;
  std::condition_variable idle_;

  std::atomic<uint64_t> replayed_{0}, skipped_{0}, refused_{0}, damaged_{0};
};

}  // namespace hookbroker::spool_replay
