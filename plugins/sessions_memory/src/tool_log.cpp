#include "tool_log.hpp"

#include <algorithm>

#include "hookbroker/time.hpp"

namespace hookbroker::sessions {

namespace {

constexpr char kSeparator = '\0';
constexpr std::string_view kOtherTools = "(other)";

nlohmann::json time_or_null(EpochMs ms) {
  if (ms == kNoTime) return nullptr;
  return iso8601_utc(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

nlohmann::json text_or_null(std::string_view s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); }

/// The duration to keep: the payload's when given, else measured.
float duration_of(double given, EpochMs started, EpochMs ended) {
  if (given >= 0) return static_cast<float>(given);
  if (started == kNoTime || ended == kNoTime || ended < started) return -1;
  return static_cast<float>(ended - started);
}

}  // namespace

const char* to_string(ToolOutcome outcome) {
  switch (outcome) {
    case ToolOutcome::Ok: return "ok";
    case ToolOutcome::Failed: return "failed";
    case ToolOutcome::Denied: return "denied";
    case ToolOutcome::Interrupted: return "interrupted";
  }
  return "ok";
}

std::optional<ToolOutcome> tool_outcome_from(std::string_view text) {
  for (ToolOutcome o : {ToolOutcome::Ok, ToolOutcome::Failed, ToolOutcome::Denied, ToolOutcome::Interrupted})
    if (text == to_string(o)) return o;
  return std::nullopt;
}

EpochMs epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

ToolCall::ToolCall(std::string_view tool_use_id, std::string_view tool_name, AgentSerial agent, EpochMs started)
    : agent(agent), started_ms(started) {
  text_.reserve(tool_use_id.size() + tool_name.size() + 2);
  text_.append(tool_use_id).push_back(kSeparator);
  text_.append(tool_name).push_back(kSeparator);
}

std::string_view ToolCall::tool_use_id() const {
  const std::string_view all(text_);
  return all.substr(0, all.find(kSeparator));
}

std::string_view ToolCall::tool_name() const {
  const std::string_view all(text_);
  const std::size_t begin = all.find(kSeparator) + 1;
  return all.substr(begin, all.find(kSeparator, begin) - begin);
}

std::string_view ToolCall::error() const {
  const std::string_view all(text_);
  return all.substr(all.find(kSeparator, all.find(kSeparator) + 1) + 1);
}

void ToolCall::set_error(std::string_view error) {
  text_.resize(text_.size() - this->error().size());
  text_.append(error);
}

void ToolLog::start(std::string_view tool_use_id, std::string_view tool_name, AgentSerial agent, EpochMs at,
                    std::size_t max_calls) {
  if (!tool_use_id.empty()) {
    for (const auto& c : in_flight_)
      if (c.tool_use_id() == tool_use_id) return;
    if (find_recent(tool_use_id) != recent_.end()) return;  // its result came first
  }
  in_flight_.emplace_back(tool_use_id, tool_name, agent, at);
  while (in_flight_.size() > max_calls) {  // results that never came (hooks not installed for them)
    ToolCall oldest = std::move(in_flight_.front());
    in_flight_.erase(in_flight_.begin());
    oldest.outcome = ToolOutcome::Interrupted;
    oldest.inferred = true;
    oldest.ended_ms = at;
    oldest.duration_ms = duration_of(-1, oldest.started_ms, at);
    retire(std::move(oldest), max_calls);
  }
}

void ToolLog::finish(std::string_view tool_use_id, std::string_view tool_name, AgentSerial agent,
                     ToolOutcome outcome, std::string_view error, double duration_ms, EpochMs at,
                     std::size_t max_calls) {
  const auto match = std::find_if(in_flight_.begin(), in_flight_.end(), [&](const ToolCall& c) {
    if (!tool_use_id.empty()) return c.tool_use_id() == tool_use_id;
    return c.tool_use_id().empty() && c.agent == agent && c.tool_name() == tool_name;
  });
  if (match != in_flight_.end()) {
    ToolCall call = std::move(*match);
    in_flight_.erase(match);
    call.outcome = outcome;
    call.set_error(error);
    call.ended_ms = at;
    call.duration_ms = duration_of(duration_ms, call.started_ms, at);
    retire(std::move(call), max_calls);
    return;
  }
  if (!tool_use_id.empty()) {
    const auto done = find_recent(tool_use_id);
    if (done != recent_.end()) {
      if (!done->inferred) return;  // the same result again
      count(*done, -1);
      done->outcome = outcome;
      done->set_error(error);
      done->inferred = false;
      done->awaiting_permission = false;
      done->duration_ms = duration_of(duration_ms, done->started_ms, done->ended_ms);
      count(*done, +1);
      return;
    }
  }
  ToolCall call(tool_use_id, tool_name, agent, kNoTime);  // its start was not seen
  call.outcome = outcome;
  call.set_error(error);
  call.ended_ms = at;
  call.duration_ms = duration_of(duration_ms, kNoTime, at);
  retire(std::move(call), max_calls);
}

void ToolLog::permission_requested(std::string_view tool_name, AgentSerial agent) {
  for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it)
    if (it->agent == agent && it->tool_name() == tool_name) {
      it->awaiting_permission = true;
      return;
    }
}

void ToolLog::end_turn(AgentSerial agent, EpochMs at, std::size_t max_calls) {
  std::vector<ToolCall> ended;
  auto keep = std::stable_partition(in_flight_.begin(), in_flight_.end(),
                                    [&](const ToolCall& c) { return c.agent != agent; });
  std::move(keep, in_flight_.end(), std::back_inserter(ended));
  in_flight_.erase(keep, in_flight_.end());
  for (auto& call : ended) {
    call.outcome = call.awaiting_permission ? ToolOutcome::Denied : ToolOutcome::Interrupted;
    call.inferred = true;
    call.ended_ms = at;
    call.duration_ms = duration_of(-1, call.started_ms, at);
    retire(std::move(call), max_calls);
  }
}

void ToolLog::end_all(EpochMs at, std::size_t max_calls) {
  while (!in_flight_.empty()) end_turn(in_flight_.front().agent, at, max_calls);
}

void ToolLog::clear() { *this = ToolLog(); }

bool ToolLog::awaiting_permission(AgentSerial agent) const {
  return std::any_of(in_flight_.begin(), in_flight_.end(),
                     [&](const ToolCall& c) { return c.agent == agent && c.awaiting_permission; });
}

void ToolLog::retire(ToolCall call, std::size_t max_calls) {
  count(call, +1);
  ++finished_;
  recent_.push_back(std::move(call));
  while (recent_.size() > max_calls) {
    recent_.pop_front();
    ++dropped_;
  }
}

ToolTally& ToolLog::tally(std::string_view name) {
  for (auto& t : by_tool_)
    if (t.name == name) return t;
  const std::string_view kept = by_tool_.size() < kMaxToolNames ? name : kOtherTools;
  if (kept != name)
    for (auto& t : by_tool_)
      if (t.name == kept) return t;
  by_tool_.push_back({std::string(kept)});
  return by_tool_.back();
}

void ToolLog::count(const ToolCall& call, int sign) {
  ToolTally& t = tally(call.tool_name());
  t.calls += sign;
  switch (call.outcome) {
    case ToolOutcome::Ok: break;
    case ToolOutcome::Failed:
      t.failed += sign;
      failed_ += sign;
      break;
    case ToolOutcome::Denied: t.denied += sign; break;
    case ToolOutcome::Interrupted: t.interrupted += sign; break;
  }
  if (call.duration_ms >= 0) t.total_ms += sign * static_cast<double>(call.duration_ms);
}

std::deque<ToolCall>::iterator ToolLog::find_recent(std::string_view tool_use_id) {
  return std::find_if(recent_.begin(), recent_.end(),
                      [&](const ToolCall& c) { return c.tool_use_id() == tool_use_id; });
}

nlohmann::json ToolLog::counts_json() const {
  return {{"in_flight", in_flight_.size()}, {"finished", finished_}, {"failed", failed_}};
}

nlohmann::json ToolLog::to_json(const std::function<nlohmann::json(AgentSerial)>& agent_id) const {
  nlohmann::json in_flight = nlohmann::json::array();
  for (const auto& c : in_flight_)
    in_flight.push_back({{"tool_use_id", text_or_null(c.tool_use_id())},
                         {"tool_name", c.tool_name()},
                         {"agent_id", agent_id(c.agent)},
                         {"started_at", time_or_null(c.started_ms)},
                         {"awaiting_permission", c.awaiting_permission}});
  nlohmann::json recent = nlohmann::json::array();
  for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
    const ToolCall& c = *it;
    nlohmann::json j = {{"tool_use_id", text_or_null(c.tool_use_id())},
                        {"tool_name", c.tool_name()},
                        {"agent_id", agent_id(c.agent)},
                        {"started_at", time_or_null(c.started_ms)},
                        {"ended_at", time_or_null(c.ended_ms)},
                        {"duration_ms", c.duration_ms >= 0 ? nlohmann::json(c.duration_ms) : nlohmann::json(nullptr)},
                        {"outcome", to_string(c.outcome)}};
    if (!c.error().empty()) j["error"] = c.error();
    if (c.inferred) j["inferred"] = true;
    recent.push_back(std::move(j));
  }
  nlohmann::json by_tool = nlohmann::json::object();
  for (const auto& t : by_tool_)
    if (t.calls > 0)
      by_tool[t.name] = {{"calls", t.calls}, {"failed", t.failed}, {"denied", t.denied},
                         {"interrupted", t.interrupted}, {"total_ms", t.total_ms}};
  return {{"in_flight", std::move(in_flight)}, {"recent", std::move(recent)}, {"by_tool", std::move(by_tool)},
          {"batches", batches_}, {"dropped", dropped_}};
}

}  // namespace hookbroker::sessions
