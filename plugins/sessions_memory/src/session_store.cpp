#include "session_store.hpp"

#include <algorithm>

#include "iso_time.hpp"

namespace hookbroker::sessions {

namespace {

SteadyTime::duration to_steady(std::chrono::duration<double> d) {
  return std::chrono::duration_cast<SteadyTime::duration>(d);
}

/// Any event or API call is activity: last_activity becomes now (never earlier).
void mark_active(SessionState& s, Now now) {
  s.last_activity = std::max(s.last_activity, now.system);
  s.idle_since = std::max(s.idle_since, now.steady);
}

/// After delegations changed: `delegated` while a subagent runs, and the
/// agent shown is the newest running subagent's, else the session's own.
void settle_status(SessionState& s) {
  if (s.status == SessionStatus::Completed) return;
  const auto running = std::find_if(s.delegations.rbegin(), s.delegations.rend(),
                                    [](const Delegation& d) { return d.running; });
  if (running == s.delegations.rend()) {
    s.status = SessionStatus::Active;
    s.agent = s.root_agent;
  } else {
    s.status = SessionStatus::Delegated;
    if (!running->agent_type.empty()) s.agent = running->agent_type;
  }
}

/// Keeps a session's delegation list bounded: drops the oldest completed
/// delegations first, the oldest running ones only if nothing else is left.
void trim_delegations(SessionState& s, std::size_t max) {
  while (s.delegations.size() > max) {
    auto victim = std::find_if(s.delegations.begin(), s.delegations.end(),
                               [](const Delegation& d) { return !d.running; });
    if (victim == s.delegations.end()) victim = s.delegations.begin();
    s.delegations.erase(victim);
  }
}

Delegation* find_running(SessionState& s, const std::string& agent_id,
                         const std::string& agent_type) {
  auto running = [&](auto pred) -> Delegation* {
    for (auto& d : s.delegations)
      if (d.running && pred(d)) return &d;
    return nullptr;
  };
  if (!agent_id.empty()) {
    if (auto* d = running([&](const Delegation& x) { return x.agent_id == agent_id; })) return d;
    // The subagent's start was never seen (hook not configured, broker
    // started late): it can still be the one its Task call announced.
    return running([&](const Delegation& x) {
      return x.agent_id.empty() && (agent_type.empty() || x.agent_type == agent_type);
    });
  }
  if (!agent_type.empty()) {
    // Prefer a delegation no subagent has claimed yet: one with an id is
    // matched by that id when its own SubagentStop comes.
    if (auto* d = running([&](const Delegation& x) {
          return x.agent_id.empty() && x.agent_type == agent_type;
        }))
      return d;
    return running([&](const Delegation& x) { return x.agent_type == agent_type; });
  }
  return running([](const Delegation&) { return true; });
}

}  // namespace

template <typename Change>
bool SessionStore::update(const std::string& session_id, Now now, Change change) {
  auto& by_id = sessions_.get<ById>();
  const auto it = by_id.find(session_id);
  if (it == by_id.end()) return false;
  by_id.modify(it, [&](SessionState& s) {
    change(s);
    mark_active(s, now);
    s.changed();
  });
  ++changes_;
  return true;
}

std::vector<Removal> SessionStore::insert(SessionState state) {
  const std::string id = state.session_id;
  sessions_.insert(std::move(state));
  ++changes_;
  std::vector<Removal> evicted;
  auto& by_recency = sessions_.get<ByRecency>();
  while (sessions_.size() > limits_.max_sessions) {
    auto oldest = by_recency.begin();
    if (oldest->session_id == id) ++oldest;  // a replayed event may carry an old time
    evicted.push_back({oldest->session_id, Removal::Reason::Evicted, oldest->last_activity});
    by_recency.erase(oldest);
  }
  return evicted;
}

std::vector<Removal> SessionStore::touch(const SessionActivity& activity, Now now) {
  SystemTime when = now.system;
  if (!activity.timestamp.empty())
    if (const auto parsed = parse_iso8601(activity.timestamp)) when = std::min(*parsed, now.system);
  // The steady-clock instant of `when`; an age beyond a year is as expired as
  // any, and capping it keeps the arithmetic far from overflow.
  const auto age = std::min<SystemTime::duration>(now.system - when, std::chrono::hours(24 * 366));
  const SteadyTime idle_since = now.steady - std::chrono::duration_cast<SteadyTime::duration>(age);

  auto& by_id = sessions_.get<ById>();
  const auto it = by_id.find(activity.session_id);
  if (it != by_id.end()) {
    by_id.modify(it, [&](SessionState& s) {
      s.last_activity = std::max(s.last_activity, when);
      s.idle_since = std::max(s.idle_since, idle_since);
      ++s.event_count;
      if (!activity.cwd.empty()) s.cwd = activity.cwd;
      if (!activity.permission_mode.empty()) s.permission_mode = activity.permission_mode;
      s.changed();
    });
    ++changes_;
    return {};
  }

  SessionState s;
  s.session_id = activity.session_id;
  s.start_time = when;
  s.last_activity = when;
  s.idle_since = idle_since;
  s.root_agent = s.agent = activity.agent.empty() ? "pm" : activity.agent;
  s.cwd = activity.cwd;
  s.permission_mode = activity.permission_mode;
  s.event_count = 1;
  return insert(std::move(s));
}

std::vector<Removal> SessionStore::start(const std::string& session_id, const std::string& agent,
                                         Now now) {
  const std::string name = agent.empty() ? "pm" : agent;
  const bool known = update(session_id, now, [&](SessionState& s) {
    if (s.status == SessionStatus::Completed) {  // a new run under the same id
      s.start_time = now.system;
      s.delegations.clear();
      s.completed_at = SteadyTime::max();
      s.activity = "working";
      s.status = SessionStatus::Active;
    }
    s.root_agent = name;
    settle_status(s);
  });
  if (known) return {};

  SessionState s;
  s.session_id = session_id;
  s.start_time = s.last_activity = now.system;
  s.idle_since = now.steady;
  s.root_agent = s.agent = name;
  return insert(std::move(s));
}

bool SessionStore::delegate(const std::string& session_id, const std::string& agent_type,
                            const std::string& agent_id, Now now) {
  return update(session_id, now, [&](SessionState& s) {
    if (!agent_id.empty()) {
      for (auto& d : s.delegations)
        if (d.running && d.agent_id == agent_id) {  // repeated start: nothing new
          if (d.agent_type.empty()) d.agent_type = agent_type;
          settle_status(s);
          return;
        }
      // The subagent a Task call announced has now started: give it its id.
      for (auto& d : s.delegations)
        if (d.running && d.agent_id.empty() && (agent_type.empty() || d.agent_type == agent_type)) {
          d.agent_id = agent_id;
          settle_status(s);
          return;
        }
    }
    Delegation d;
    d.agent_id = agent_id;
    d.agent_type = agent_type;
    d.start_time = now.system;
    s.delegations.push_back(std::move(d));
    trim_delegations(s, limits_.max_delegations);
    settle_status(s);
  });
}

bool SessionStore::complete_delegation(const std::string& session_id, const std::string& agent_id,
                                       const std::string& agent_type, Now now) {
  return update(session_id, now, [&](SessionState& s) {
    if (auto* d = find_running(s, agent_id, agent_type)) {
      d->running = false;
      d->end_time = now.system;
      if (d->agent_id.empty()) d->agent_id = agent_id;
    }
    settle_status(s);
  });
}

bool SessionStore::set_activity(const std::string& session_id, const std::string& activity,
                                Now now) {
  return update(session_id, now, [&](SessionState& s) {
    // A late event (Stop after SessionEnd) must not make an ended session look busy.
    if (s.status != SessionStatus::Completed) s.activity = activity;
  });
}

bool SessionStore::end(const std::string& session_id, Now now) {
  return update(session_id, now, [&](SessionState& s) {
    if (s.status == SessionStatus::Completed) return;  // keep the first end time
    for (auto& d : s.delegations)
      if (d.running) {
        d.running = false;
        d.end_time = now.system;
      }
    s.status = SessionStatus::Completed;
    s.activity = "ended";
    s.agent = s.root_agent;
    s.end_time = now.system;
    s.completed_at = now.steady;
  });
}

nlohmann::json SessionStore::list(std::size_t limit) const {
  nlohmann::json out = nlohmann::json::array();
  const auto& by_recency = sessions_.get<ByRecency>();
  for (auto it = by_recency.rbegin(); it != by_recency.rend(); ++it) {
    if (limit != 0 && out.size() >= limit) break;
    out.push_back(it->cached_json());
  }
  return out;
}

nlohmann::json SessionStore::find(const std::string& session_id) const {
  const auto& by_id = sessions_.get<ById>();
  const auto it = by_id.find(session_id);
  return it == by_id.end() ? nlohmann::json(nullptr) : it->cached_json();
}

StoreSummary SessionStore::summary() const {
  if (summary_of_ != changes_) {
    summary_ = count_all();
    summary_of_ = changes_;
  }
  return summary_;
}

StoreSummary SessionStore::count_all() const {
  StoreSummary out;
  out.total = sessions_.size();
  for (const auto& s : sessions_) {
    switch (s.status) {
      case SessionStatus::Active: ++out.active; break;
      case SessionStatus::Delegated: ++out.delegated; break;
      case SessionStatus::Completed: ++out.completed; break;
    }
    auto& count = out.by_activity[s.activity];
    count = count.is_null() ? 1 : count.get<std::size_t>() + 1;
  }
  return out;
}

std::vector<Removal> SessionStore::sweep(Now now) {
  std::vector<Removal> removed;
  const auto expire_after = to_steady(limits_.expire_after);
  auto& by_recency = sessions_.get<ByRecency>();
  while (!by_recency.empty() && now.steady - by_recency.begin()->idle_since >= expire_after) {
    removed.push_back({by_recency.begin()->session_id, Removal::Reason::Expired,
                       by_recency.begin()->last_activity});
    by_recency.erase(by_recency.begin());
  }
  const auto grace = to_steady(limits_.completed_grace);
  auto& by_completion = sessions_.get<ByCompletion>();
  while (!by_completion.empty() && by_completion.begin()->completed_at != SteadyTime::max() &&
         now.steady - by_completion.begin()->completed_at >= grace) {
    removed.push_back({by_completion.begin()->session_id, Removal::Reason::GraceOver,
                       by_completion.begin()->last_activity});
    by_completion.erase(by_completion.begin());
  }
  if (!removed.empty()) ++changes_;
  return removed;
}

std::optional<SteadyTime> SessionStore::next_deadline() const {
  if (sessions_.empty()) return std::nullopt;
  SteadyTime next = sessions_.get<ByRecency>().begin()->idle_since + to_steady(limits_.expire_after);
  const auto& first_completed = *sessions_.get<ByCompletion>().begin();
  if (first_completed.completed_at != SteadyTime::max())
    next = std::min(next, first_completed.completed_at + to_steady(limits_.completed_grace));
  return next;
}

}  // namespace hookbroker::sessions
