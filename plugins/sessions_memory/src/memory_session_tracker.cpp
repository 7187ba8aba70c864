#include "memory_session_tracker.hpp"

#include <cstdio>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "hookbroker/time.hpp"

namespace hookbroker::sessions {

namespace {

/// "3600s", "1.5s": as a user would write it in the config.
std::string seconds_text(std::chrono::duration<double> d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", d.count());
  return buf;
}

}  // namespace

MemorySessionTracker::MemorySessionTracker(HostApi& host, StoreLimits limits)
    : host_(host), limits_(limits), store_(limits), timer_(host.io_context()) {}

void MemorySessionTracker::start_expiry() {
  {
    std::lock_guard lock(mutex_);
    running_ = true;
  }
  arm();
}

void MemorySessionTracker::stop_expiry() {
  {
    std::lock_guard lock(mutex_);
    running_ = false;
    armed_for_ = SteadyTime::max();
  }
  timer_.cancel();
}

void MemorySessionTracker::arm() {
  std::optional<SteadyTime> next;
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    next = store_.next_deadline();
    armed_for_ = next.value_or(SteadyTime::max());
  }
  if (!next) {  // empty: the first new session re-arms
    timer_.cancel();
    return;
  }
  timer_.expires_at(*next);
  std::weak_ptr<MemorySessionTracker> weak = weak_from_this();
  timer_.async_wait(boost::asio::bind_executor(host_.strand(), [weak](boost::system::error_code ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (auto self = weak.lock()) self->on_timer();
  }));
}

void MemorySessionTracker::on_timer() {
  std::vector<Removal> removed;
  std::size_t stale = 0;
  {
    std::lock_guard lock(mutex_);
    if (!running_) return;
    const Now now = Now::current();
    removed = store_.sweep(now);
    stale = store_.mark_stale(now);
  }
  if (stale > 0)
    host_.debug(std::to_string(stale) + " session(s) marked stale: shown working with no event for stale_after_s=" +
                seconds_text(limits_.stale_after));
  std::size_t expired = 0, graced = 0;
  for (const auto& r : removed) {
    if (r.reason == Removal::Reason::Expired) {
      ++expired;
      host_.debug("session " + r.session_id + " expired: idle since " + iso8601_utc(r.last_activity));
    } else {
      ++graced;
      host_.debug("completed session " + r.session_id + " removed after its grace period");
    }
  }
  if (expired > 0)
    host_.info("expired " + std::to_string(expired) + " idle session(s) (no activity for expire_after_s=" +
               seconds_text(limits_.expire_after) + ")");
  if (graced > 0)
    host_.info("removed " + std::to_string(graced) +
               " completed session(s) after completed_grace_s=" + seconds_text(limits_.completed_grace));
  arm();
}

bool MemorySessionTracker::rearm_needed() const {
  if (!running_) return false;
  const auto next = store_.next_deadline();
  return next && *next < armed_for_;
}

void MemorySessionTracker::after_change(const std::vector<Removal>& evicted, bool rearm) {
  for (const auto& r : evicted)
    host_.warn("session " + r.session_id + " evicted: max_sessions (" +
               std::to_string(limits_.max_sessions) +
               ") reached and it was the least recently active (last activity " +
               iso8601_utc(r.last_activity) + "); raise max_sessions or lower expire_after_s");
  if (!rearm) return;
  std::weak_ptr<MemorySessionTracker> weak = weak_from_this();
  boost::asio::post(host_.strand(), [weak] {
    if (auto self = weak.lock()) self->arm();
  });
}

template <typename Operation>
bool MemorySessionTracker::locked(Operation op) {
  std::vector<Removal> evicted;
  bool result = false, rearm = false;
  {
    std::lock_guard lock(mutex_);
    result = op(store_, Now::current(), evicted);
    rearm = rearm_needed();
    if (rearm) armed_for_ = SteadyTime::min();  // one pending re-arm is enough
  }
  after_change(evicted, rearm);
  return result;
}

void MemorySessionTracker::touch(const SessionActivity& activity) {
  if (activity.session_id.empty()) return;
  locked([&](SessionStore& s, Now now, std::vector<Removal>& evicted) {
    evicted = s.touch(activity, now);
    return true;
  });
}

void MemorySessionTracker::start(const std::string& session_id, const std::string& agent) {
  if (session_id.empty()) return;
  locked([&](SessionStore& s, Now now, std::vector<Removal>& evicted) {
    evicted = s.start(session_id, agent, now);
    return true;
  });
}

bool MemorySessionTracker::delegate(const std::string& session_id, const std::string& agent_type,
                                    const std::string& agent_id) {
  return locked([&](SessionStore& s, Now now, std::vector<Removal>&) {
    return s.delegate(session_id, agent_type, agent_id, now);
  });
}

bool MemorySessionTracker::complete_delegation(const std::string& session_id,
                                               const std::string& agent_id,
                                               const std::string& agent_type) {
  return locked([&](SessionStore& s, Now now, std::vector<Removal>&) {
    return s.complete_delegation(session_id, agent_id, agent_type, now);
  });
}

bool MemorySessionTracker::set_activity(const std::string& session_id, const std::string& activity) {
  return locked([&](SessionStore& s, Now now, std::vector<Removal>&) {
    return s.set_activity(session_id, activity, now);
  });
}

bool MemorySessionTracker::end(const std::string& session_id) {
  return locked([&](SessionStore& s, Now now, std::vector<Removal>&) { return s.end(session_id, now); });
}

bool MemorySessionTracker::apply(const nlohmann::json& change) {
  return locked([&](SessionStore& s, Now now, std::vector<Removal>& evicted) {
    ApplyResult result = s.apply(change, now);
    evicted = std::move(result.evicted);
    return result.applied;
  });
}

nlohmann::json MemorySessionTracker::list(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  return store_.list(limit);
}

nlohmann::json MemorySessionTracker::find(const std::string& session_id) const {
  std::lock_guard lock(mutex_);
  return store_.find(session_id);
}

std::size_t MemorySessionTracker::size() const {
  std::lock_guard lock(mutex_);
  return store_.size();
}

MemorySessionTracker::Snapshot MemorySessionTracker::snapshot(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  auto [listed, count] = store_.list_text(limit);
  return {std::move(listed), count, store_.summary()};
}

}  // namespace hookbroker::sessions
