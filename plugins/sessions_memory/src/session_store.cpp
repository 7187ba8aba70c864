#include "session_store.hpp"

#include <algorithm>
#include <string_view>

#include "iso_time.hpp"
#include "text_limits.hpp"

namespace hookbroker::sessions {

namespace {

SteadyTime::duration to_steady(std::chrono::duration<double> d) {
  return std::chrono::duration_cast<SteadyTime::duration>(d);
}

/// When an event happened: its timestamp when it parses and is not in the
/// future, else now; and the steady-clock instant equivalent to it.
std::pair<SystemTime, SteadyTime> event_time(const std::string& timestamp, Now now) {
  SystemTime when = now.system;
  if (!timestamp.empty())
    if (const auto parsed = parse_iso8601(timestamp)) when = std::min(*parsed, now.system);
  // An age beyond a year is as expired as any, and capping it keeps the
  // arithmetic far from overflow.
  const auto age = std::min<SystemTime::duration>(now.system - when, std::chrono::hours(24 * 366));
  return {when, now.steady - std::chrono::duration_cast<SteadyTime::duration>(age)};
}

/// Any event or API call is activity: last_activity becomes now (never
/// earlier), and a stale session is alive again.
void mark_active(SessionState& s, Now now) {
  s.last_activity = std::max(s.last_activity, now.system);
  s.idle_since = std::max(s.idle_since, now.steady);
  s.stale = false;
}

void complete(SessionState& s, SystemTime at, SteadyTime steady, std::size_t max_tool_calls) {
  if (s.completed()) return;  // keep the first end time
  s.tools.end_all(epoch_ms(at), max_tool_calls);
  s.agents.end_all(at);
  s.status = SessionStatus::Completed;
  s.end_time = at;
  s.completed_at = steady;
}

const std::string& text(const nlohmann::json& obj, const char* key) {
  static const std::string none;
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get_ref<const std::string&>() : none;
}

}  // namespace

void SessionStore::settled(SessionState& s) const {
  s.settle();
  s.stale_due = !s.stale && !s.completed() && s.activity == "working" ? s.idle_since + to_steady(limits_.stale_after)
                                                                       : SteadyTime::max();
  s.changed();
}

template <typename Change>
bool SessionStore::update(const std::string& session_id, Now now, Change change) {
  auto& by_id = sessions_.get<ById>();
  const auto it = by_id.find(session_id);
  if (it == by_id.end()) return false;
  by_id.modify(it, [&](SessionState& s) {
    s.telemetry_only = false;
    change(s);
    mark_active(s, now);
    settled(s);
  });
  ++changes_;
  return true;
}

std::vector<Removal> SessionStore::insert(SessionState state) {
  const std::string id = state.session_id;
  settled(state);
  sessions_.insert(std::move(state));
  ++changes_;
  std::vector<Removal> evicted;
  auto& by_recency = sessions_.get<ByRecency>();
  while (sessions_.size() > limits_.max_sessions) {
    // Sessions known from telemetry alone go first: a flood of telemetry
    // for sessions no hook ever named cannot push out the live ones.
    auto oldest = std::find_if(by_recency.begin(), by_recency.end(),
                               [&](const SessionState& s) { return s.telemetry_only && s.session_id != id; });
    if (oldest == by_recency.end()) oldest = by_recency.begin();
    if (oldest->session_id == id) ++oldest;  // a replayed event may carry an old time
    evicted.push_back({oldest->session_id, Removal::Reason::Evicted, oldest->last_activity});
    by_recency.erase(oldest);
  }
  return evicted;
}

std::vector<Removal> SessionStore::touch(const SessionActivity& activity, Now now) {
  const auto [when, idle_since] = event_time(activity.timestamp, now);
  auto& by_id = sessions_.get<ById>();
  const auto it = by_id.find(activity.session_id);
  if (it != by_id.end()) {
    by_id.modify(it, [&, when = when, idle_since = idle_since](SessionState& s) {
      s.last_activity = std::max(s.last_activity, when);
      s.idle_since = std::max(s.idle_since, idle_since);
      s.stale = false;
      s.telemetry_only = false;
      ++s.event_count;
      if (!activity.cwd.empty()) s.cwd = truncate_chars(activity.cwd, kPathChars);
      if (!activity.permission_mode.empty()) s.permission_mode = truncate_chars(activity.permission_mode, kNameChars);
      settled(s);
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
  s.agents.main().started_at = when;
  s.cwd = truncate_chars(activity.cwd, kPathChars);
  s.permission_mode = truncate_chars(activity.permission_mode, kNameChars);
  s.event_count = 1;
  return insert(std::move(s));
}

std::vector<Removal> SessionStore::start(const std::string& session_id, const std::string& agent, Now now) {
  const std::string name = agent.empty() ? "pm" : agent;
  const bool known = update(session_id, now, [&](SessionState& s) {
    if (s.completed()) s.restart(now.system);  // a new run under the same id
    s.root_agent = name;
  });
  if (known) return {};

  SessionState s;
  s.session_id = session_id;
  s.start_time = s.last_activity = now.system;
  s.agents.main().started_at = now.system;
  s.idle_since = now.steady;
  s.root_agent = s.agent = name;
  return insert(std::move(s));
}

bool SessionStore::delegate(const std::string& session_id, const std::string& agent_type,
                            const std::string& agent_id, Now now) {
  return update(session_id, now, [&](SessionState& s) {
    if (s.completed()) return;
    if (agent_id.empty())
      s.agents.launch("", agent_type, "", now.system, limits_.session.max_agents);
    else
      s.agents.started(agent_id, agent_type, now.system, limits_.session.max_agents);
  });
}

bool SessionStore::complete_delegation(const std::string& session_id, const std::string& agent_id,
                                       const std::string& agent_type, Now now) {
  return update(session_id, now, [&](SessionState& s) {
    s.agents.stopped(agent_id, agent_type, AgentStatus::Completed, now.system);
  });
}

bool SessionStore::set_activity(const std::string& session_id, const std::string& activity, Now now) {
  return update(session_id, now, [&](SessionState& s) {
    // A late event (Stop after SessionEnd) must not make an ended session look busy.
    if (!s.completed()) s.agents.main().activity = activity;
  });
}

bool SessionStore::end(const std::string& session_id, Now now) {
  return update(session_id, now, [&](SessionState& s) { complete(s, now.system, now.steady, limits_.session.max_tool_calls); });
}

ApplyResult SessionStore::apply(const nlohmann::json& change, Now now) {
  ApplyResult result;
  if (!change.is_object()) return result;
  SessionActivity activity;
  activity.session_id = change_session_id(change);
  if (activity.session_id.empty()) return result;
  if (text(change, "origin") == "telemetry") return apply_telemetry(change, activity.session_id, now);
  if (const std::string& node_state = text(change, "node_state"); !node_state.empty()) {
    auto& by_id = sessions_.get<ById>();
    const auto it = by_id.find(activity.session_id);
    if (it == by_id.end()) return result;
    by_id.modify(it, [&](SessionState& s) {
      s.node_lost = node_state == "lost";
      settled(s);
    });
    ++changes_;
    result.applied = true;
    return result;
  }
  activity.timestamp = text(change, "timestamp");
  activity.cwd = text(change, "cwd");
  activity.permission_mode = text(change, "permission_mode");
  result.evicted = touch(activity, now);  // created, or counted
  result.applied = true;

  const auto when = event_time(activity.timestamp, now).first;
  const std::string& lifecycle = text(change, "lifecycle");
  auto& by_id = sessions_.get<ById>();
  by_id.modify(by_id.find(activity.session_id), [&](SessionState& s) {
    s.telemetry_only = false;
    if ((lifecycle == "start" || lifecycle == "resume") && s.completed()) s.restart(when);
    apply_change(s, change, when, limits_.session);
    if (lifecycle == "end") complete(s, when, now.steady, limits_.session.max_tool_calls);
    // What an event means is activity now, as for every older call (update()).
    mark_active(s, now);
    settled(s);
  });
  ++changes_;
  return result;
}

ApplyResult SessionStore::apply_telemetry(const nlohmann::json& change, const std::string& session_id, Now now) {
  ApplyResult result;
  // Arrival is the time that counts: exporters batch (logs every 5 s,
  // metrics every minute), and a record replayed or recorded long ago must
  // not make its session look idle for that long and expire at once.
  const std::pair<SystemTime, SteadyTime> when{now.system, now.steady};
  auto& by_id = sessions_.get<ById>();
  if (by_id.find(session_id) == by_id.end()) {
    if (sessions_.size() >= limits_.max_sessions) return result;
    SessionState s;
    s.session_id = session_id;
    s.start_time = s.last_activity = when.first;
    s.idle_since = when.second;
    s.agents.main().started_at = when.first;
    s.telemetry_only = true;
    insert(std::move(s));
  }
  const auto usage = change.find("usage");
  by_id.modify(by_id.find(session_id), [&](SessionState& s) {
    if (usage != change.end() && s.usage.apply(*usage)) {
      const auto errors = usage->find("api_errors");
      if (errors != usage->end() && errors->is_number_integer() && errors->get<std::int64_t>() > 0)
        api_errors_seen_ += static_cast<std::uint64_t>(errors->get<std::int64_t>());
    }
    // Tool results fill in calls the hooks missed (or finish them early
    // with the same facts); the rest of the vocabulary is the hooks'.
    if (change.contains("tool")) apply_change(s, nlohmann::json{{"tool", change["tool"]}}, when.first, limits_.session);
    s.last_activity = std::max(s.last_activity, when.first);
    s.idle_since = std::max(s.idle_since, when.second);
    settled(s);
  });
  ++changes_;
  result.applied = true;
  return result;
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

std::pair<std::shared_ptr<const std::string>, std::size_t> SessionStore::list_text(std::size_t limit) const {
  if (list_text_.text && list_text_.of_changes == changes_ && list_text_.limit == limit)
    return {list_text_.text, list_text_.count};
  std::string out = "[";
  std::size_t count = 0;
  const auto& by_recency = sessions_.get<ByRecency>();
  for (auto it = by_recency.rbegin(); it != by_recency.rend(); ++it) {
    if (limit != 0 && count >= limit) break;
    if (count++ > 0) out += ',';
    out += it->cached_text();
  }
  out += ']';
  list_text_ = {changes_, limit, count, std::make_shared<const std::string>(std::move(out))};
  return {list_text_.text, count};
}

nlohmann::json SessionStore::find(const std::string& session_id) const {
  const auto& by_id = sessions_.get<ById>();
  const auto it = by_id.find(session_id);
  return it == by_id.end() ? nlohmann::json(nullptr) : it->detail_json();
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
  // A handful of distinct activities: a short list beats a map (or the JSON
  // object itself) when every heartbeat after a change counts them all.
  std::vector<std::pair<std::string_view, std::size_t>> by_activity;
  for (const auto& s : sessions_) {
    switch (s.status) {
      case SessionStatus::Active: ++out.active; break;
      case SessionStatus::Delegated: ++out.delegated; break;
      case SessionStatus::Completed: ++out.completed; break;
    }
    out.stale += s.stale ? 1 : 0;
    out.background_running += s.agents.background_running();
    if (!s.usage.empty()) {
      out.usage += s.usage.shown().total;
      ++out.sessions_with_usage;
    }
    out.telemetry_only += s.telemetry_only ? 1 : 0;
    auto it = std::find_if(by_activity.begin(), by_activity.end(), [&](const auto& e) { return e.first == s.activity; });
    if (it == by_activity.end()) by_activity.emplace_back(s.activity, 1);
    else ++it->second;
  }
  for (const auto& [activity, count] : by_activity) out.by_activity[std::string(activity)] = count;
  out.api_errors_seen = api_errors_seen_;
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

std::size_t SessionStore::mark_stale(Now now) {
  std::size_t marked = 0;
  auto& by_stale = sessions_.get<ByStaleDue>();
  while (!by_stale.empty() && by_stale.begin()->stale_due <= now.steady) {
    // Not activity: last_activity stays as it was.
    by_stale.modify(by_stale.begin(), [&](SessionState& s) {
      s.stale = true;
      settled(s);
    });
    ++marked;
  }
  if (marked > 0) ++changes_;
  return marked;
}

std::optional<SteadyTime> SessionStore::next_deadline() const {
  if (sessions_.empty()) return std::nullopt;
  SteadyTime next = sessions_.get<ByRecency>().begin()->idle_since + to_steady(limits_.expire_after);
  const auto& first_completed = *sessions_.get<ByCompletion>().begin();
  if (first_completed.completed_at != SteadyTime::max())
    next = std::min(next, first_completed.completed_at + to_steady(limits_.completed_grace));
  next = std::min(next, sessions_.get<ByStaleDue>().begin()->stale_due);
  return next;
}

}  // namespace hookbroker::sessions
