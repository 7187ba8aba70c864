// Runs spool drains into the broker, one at a time, off the event loop.
// Requests that arrive while a drain runs are folded into one more pass, so a
// burst of hooks asking "drain now" costs one drain, not hundreds.
//
// An event stays in the spool until the broker really took it: when the
// broker answers "not now" (an event sink failed it: disk full, 503/507),
// the drain stops there and no drain starts before the Retry-After the sink
// gave. A drain that cannot work (the spool unwritable) is retried at every
// request; the log says when that starts and when it ends, not every time.
#pragma once

#include <atomic>
#include <chrono>
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
  /// Ignored while the broker asked to wait (retry_in() > 0).
  void request();
  /// No new drains; the running one stops between records and this waits
  /// for it up to `budget`.
  void stop(std::chrono::milliseconds budget);
  /// How long the broker asked to wait before the next drain (0: none).
  std::chrono::milliseconds retry_in() const;

  /// {pending_bytes, replayed, skipped_duplicates, refused, damaged,
  ///  retries, problem}
  nlohmann::json stats() const;
  const spool::SpoolDir& spool() const { return spool_; }

 private:
  void run();
  void deliver(const spool::ScannedRecord& record, spool::DeliveryDone done);
  void report(const spool::DrainReport& report);
  void note_problem(const std::string& problem);

  HostApi& host_;  // outlives the plugin and the blocking pool's work (SDK contract)
  const spool::SpoolDir spool_;
  const std::size_t window_;
  const std::shared_ptr<AcceptedIds> ids_;

  std::atomic<bool> running_{false};
  std::atomic<bool> again_{false};
  std::atomic<bool> stopping_{false};
  std::mutex idle_mutex_;
  std::condition_variable idle_;
  /// steady_clock time (ms since its epoch) before which no drain starts.
  std::atomic<std::int64_t> not_before_ms_{0};

  mutable std::mutex problem_mutex_;
  std::string problem_;  ///< why the last drain could not finish ("" when it did)

  std::atomic<uint64_t> replayed_{0}, skipped_{0}, refused_{0}, damaged_{0}, retries_{0};
};

}  // namespace hookbroker::spool_replay
