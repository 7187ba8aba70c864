// The tracker's state and rules, without threads or timers: a container of
// sessions indexed by id, by recency (expiry, least-recently-active
// eviction, newest-first listing), by completion time (grace period) and by
// when they turn stale.
// Not thread-safe; MemorySessionTracker puts a lock and a timer around it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/multi_index/hashed_index.hpp>
#include <boost/multi_index/member.hpp>
#include <boost/multi_index/ordered_index.hpp>
#include <boost/multi_index_container.hpp>
#include <nlohmann/json.hpp>

#include "hookbroker/session_tracker.hpp"
#include "session_change.hpp"
#include "session_state.hpp"

namespace hookbroker::sessions {

/// Set from the option table (TrackerOptions), the one home of the defaults.
struct StoreLimits {
  std::chrono::duration<double> expire_after{};     ///< expire_after_s
  std::chrono::duration<double> completed_grace{};  ///< completed_grace_s
  std::chrono::duration<double> stale_after{};      ///< stale_after_s
  std::size_t max_sessions = 0;
  SessionBounds session;  ///< what each session keeps
};

/// A session that left the store, and why (for the log).
struct Removal {
  enum class Reason { Expired, GraceOver, Evicted };
  std::string session_id;
  Reason reason;
  SystemTime last_activity;
};

/// Counts over all sessions, for the heartbeat summary.
struct StoreSummary {
  std::size_t total = 0;
  std::size_t active = 0, delegated = 0, completed = 0;
  std::size_t stale = 0;
  std::size_t background_running = 0;  ///< subagents running in the background, over all sessions
  nlohmann::json by_activity = nlohmann::json::object();
  /// Spend over all sessions (each its shown ledger, session_usage.hpp).
  UsageTally usage;
  std::size_t sessions_with_usage = 0;
  std::size_t telemetry_only = 0;  ///< sessions known from telemetry alone
  /// API errors reported since the store began: only grows, so a reader can
  /// take differences (the heartbeat's errors in the last interval).
  std::uint64_t api_errors_seen = 0;
};

/// What SessionStore::apply did.
struct ApplyResult {
  /// false: the change has no usable session_id, or it is telemetry for an
  /// unknown session and the store is full (telemetry never evicts).
  bool applied = false;
  std::vector<Removal> evicted;  ///< to stay within max_sessions
};

class SessionStore {
 public:
  explicit SessionStore(StoreLimits limits) : limits_(limits) {}

  /// Records activity (see SessionTracker::touch). `activity.timestamp` is
  /// used when it parses and is not in the future; last_activity never moves
  /// backwards. Returns the sessions evicted to stay within max_sessions.
  std::vector<Removal> touch(const SessionActivity& activity, Now now);
  /// Starts, or restarts, a session (a completed one starts afresh).
  std::vector<Removal> start(const std::string& session_id, const std::string& agent, Now now);
  bool delegate(const std::string& session_id, const std::string& agent_type,
                const std::string& agent_id, Now now);
  bool complete_delegation(const std::string& session_id, const std::string& agent_id,
                           const std::string& agent_type, Now now);
  bool set_activity(const std::string& session_id, const std::string& activity, Now now);
  bool end(const std::string& session_id, Now now);
  /// SessionTracker::apply: one event's whole meaning, created when unknown.
  /// A change with "origin": "telemetry" is the agent's own report, not a
  /// hook event (apply_telemetry).
  ApplyResult apply(const nlohmann::json& change, Now now);

  /// The compact sessions, most recently active first; limit 0 = all.
  nlohmann::json list(std::size_t limit) const;
  /// list(limit) as compact JSON text and how many it holds. Built again
  /// only after a change (or for another limit); shared, never copied.
  std::pair<std::shared_ptr<const std::string>, std::size_t> list_text(std::size_t limit) const;
  /// One session with its agents and tool calls; null when unknown.
  nlohmann::json find(const std::string& session_id) const;
  std::size_t size() const { return sessions_.size(); }
  /// Counted again only after a change: every heartbeat asks, and walking
  /// thousands of sessions is most of what an unchanged store costs a tick.
  StoreSummary summary() const;

  /// Removes sessions idle for expire_after and completed ones past their grace.
  std::vector<Removal> sweep(Now now);
  /// Marks sessions stale that show "working" with no event for
  /// stale_after; returns how many.
  std::size_t mark_stale(Now now);
  /// When the next sweep has something to do; nullopt when the store is empty.
  std::optional<SteadyTime> next_deadline() const;

 private:
  struct ById {};
  struct ByRecency {};
  struct ByCompletion {};
  struct ByStaleDue {};
  using Container = boost::multi_index_container<
      SessionState,
      boost::multi_index::indexed_by<
          boost::multi_index::hashed_unique<
              boost::multi_index::tag<ById>,
              boost::multi_index::member<SessionState, std::string, &SessionState::session_id>>,
          boost::multi_index::ordered_non_unique<
              boost::multi_index::tag<ByRecency>,
              boost::multi_index::member<SessionState, SteadyTime, &SessionState::idle_since>>,
          boost::multi_index::ordered_non_unique<
              boost::multi_index::tag<ByCompletion>,
              boost::multi_index::member<SessionState, SteadyTime, &SessionState::completed_at>>,
          boost::multi_index::ordered_non_unique<
              boost::multi_index::tag<ByStaleDue>,
              boost::multi_index::member<SessionState, SteadyTime, &SessionState::stale_due>>>>;

  /// Inserts a new session and evicts the least recently active others while
  /// over max_sessions (never the new one).
  std::vector<Removal> insert(SessionState state);
  /// Modifies a known session in place, then marks it active now.
  template <typename Change>
  bool update(const std::string& session_id, Now now, Change change);
  /// After any change to `s`: its derived fields, when it may turn stale,
  /// and its cached JSON dropped.
  void settled(SessionState& s) const;

  StoreSummary count_all() const;
  /// A telemetry change: its `usage` and `tool` only; not counted as an
  /// event; an unknown session is created only when there is room.
  ApplyResult apply_telemetry(const nlohmann::json& change, const std::string& session_id, Now now);

  StoreLimits limits_;
  Container sessions_;
  std::uint64_t changes_ = 0;  ///< bumped by every change to sessions_
  struct ListText {
    std::uint64_t of_changes = 0;
    std::size_t limit = 0, count = 0;
    std::shared_ptr<const std::string> text;
  };
  mutable ListText list_text_;  ///< the last list_text(), while nothing changed
  std::uint64_t api_errors_seen_ = 0;
  mutable std::uint64_t summary_of_ = ~std::uint64_t{0};
  mutable StoreSummary summary_;
};

}  // namespace hookbroker::sessions
