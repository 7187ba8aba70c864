// The SDK's SessionTracker, in memory: a locked SessionStore plus the timer
// that expires idle sessions, ends the grace of completed ones and marks
// sessions stale on its own (not only when a heartbeat happens to look).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "hookbroker/host_api.hpp"
#include "hookbroker/session_tracker.hpp"
#include "session_store.hpp"

namespace hookbroker::sessions {

class MemorySessionTracker final : public SessionTracker,
                                   public std::enable_shared_from_this<MemorySessionTracker> {
 public:
  /// Timer handlers run on host.strand(); methods may be called from any thread.
  MemorySessionTracker(HostApi& host, StoreLimits limits);

  /// Arms the expiry timer. Call once, on the host's strand.
  void start_expiry();
  /// Cancels the timer. Call on the host's strand; no sweep runs afterwards.
  void stop_expiry();

  void touch(const SessionActivity& activity) override;
  void start(const std::string& session_id, const std::string& agent) override;
  bool delegate(const std::string& session_id, const std::string& agent_type,
                const std::string& agent_id) override;
  bool complete_delegation(const std::string& session_id, const std::string& agent_id,
                           const std::string& agent_type) override;
  bool set_activity(const std::string& session_id, const std::string& activity) override;
  bool end(const std::string& session_id) override;
  bool apply(const nlohmann::json& change) override;
  nlohmann::json list(std::size_t limit = 0) const override;
  nlohmann::json find(const std::string& session_id) const override;
  std::size_t size() const override;

  /// The newest `limit` sessions (0 = all) as JSON text, how many, and the
  /// counts over all of them, taken together so they agree.
  struct Snapshot {
    std::shared_ptr<const std::string> listed;
    std::size_t listed_count = 0;
    StoreSummary summary;
  };
  Snapshot snapshot(std::size_t limit) const;

 private:
  /// Runs `op(store, now, evicted)` under the lock, then logs evictions and,
  /// when the change brought the next deadline forward, re-arms the timer.
  template <typename Operation>
  bool locked(Operation op);
  /// With mutex_ held: does the store now need the timer earlier than armed?
  bool rearm_needed() const;
  /// Without the lock: logs evictions and posts a re-arm when asked.
  void after_change(const std::vector<Removal>& evicted, bool rearm);
  /// On the strand: sweeps what is due and re-arms for the next deadline.
  void on_timer();
  void arm();

  HostApi& host_;
  const StoreLimits limits_;
  mutable std::mutex mutex_;
  SessionStore store_;
  boost::asio::steady_timer timer_;
  SteadyTime armed_for_ = SteadyTime::max();  ///< guarded by mutex_
  bool running_ = false;                      ///< guarded by mutex_
};

}  // namespace hookbroker::sessions
