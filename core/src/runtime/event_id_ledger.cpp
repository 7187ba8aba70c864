#include "runtime/event_id_ledger.hpp"

namespace hookbroker::core {

EventIdLedger::Claim EventIdLedger::claim(const std::string& id, IngestDone& waiter) {
  std::lock_guard<std::mutex> lock(mutex_);
  Claim claim;
  auto [it, inserted] = entries_.try_emplace(id);
  Entry& entry = it->second;
  if (inserted) {
    entry.seq = ++next_seq_;
    order_.emplace_back(id, entry.seq);
    evict();
    return claim;
  }
  switch (entry.state) {
    case State::Stored:
      claim.kind = Claim::Kind::Stored;
      break;
    case State::InFlight:
      claim.kind = Claim::Kind::Joined;
      entry.waiters.push_back(std::move(waiter));
      break;
    case State::Failed:
      claim.kind = Claim::Kind::Retry;
      claim.failed = entry.failed;
      drop_failed_data(entry);
      entry.state = State::InFlight;
      break;
  }
  return claim;
}

std::vector<IngestDone> EventIdLedger::stored(const std::string& id) { return settle(id, State::Stored, {}); }

std::vector<IngestDone> EventIdLedger::failed(const std::string& id, Failed failed) {
  return settle(id, State::Failed, std::move(failed));
}

std::vector<IngestDone> EventIdLedger::forget(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return {};
  std::vector<IngestDone> waiters = std::move(it->second.waiters);
  drop_failed_data(it->second);
  entries_.erase(it);  // its marks go stale and are skipped
  return waiters;
}

std::vector<IngestDone> EventIdLedger::settle(const std::string& id, State state, Failed failed) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = entries_.find(id);
  if (it == entries_.end()) return {};
  Entry& entry = it->second;
  std::vector<IngestDone> waiters = std::move(entry.waiters);
  entry.waiters.clear();
  drop_failed_data(entry);
  entry.state = state;
  if (state == State::Failed) {
    entry.fail_seq = ++next_seq_;
    failed_bytes_ += failed.bytes;
    ++failed_count_;
    entry.failed = std::move(failed);
    failed_order_.emplace_back(id, entry.fail_seq);
    evict_failed();
  }
  return waiters;
}

void EventIdLedger::drop_failed_data(Entry& entry) {
  if (entry.state == State::Failed) {
    failed_bytes_ -= entry.failed.bytes;
    --failed_count_;
  }
  entry.failed = {};
}

void EventIdLedger::evict() {
  // Entries in flight go to the back instead: their waiters must be answered.
  for (std::size_t rotations = 0; order_.size() > capacity_ && rotations <= order_.size();) {
    Mark mark = std::move(order_.front());
    order_.pop_front();
    const auto it = entries_.find(mark.first);
    if (it == entries_.end() || it->second.seq != mark.second) continue;  // stale
    if (it->second.state == State::InFlight) {
      it->second.seq = ++next_seq_;
      order_.emplace_back(std::move(mark.first), it->second.seq);
      ++rotations;
      continue;
    }
    drop_failed_data(it->second);
    entries_.erase(it);
  }
}

void EventIdLedger::evict_failed() {
  while (!failed_order_.empty() && (failed_count_ > failed_capacity_ || failed_bytes_ > failed_bytes_limit_)) {
    const Mark mark = std::move(failed_order_.front());
    failed_order_.pop_front();
    const auto it = entries_.find(mark.first);
    if (it == entries_.end() || it->second.state != State::Failed || it->second.fail_seq != mark.second) continue;
    // Forgotten, not kept as stored: its retry becomes a new event.
    drop_failed_data(it->second);
    entries_.erase(it);
  }
  // Failures that were retried leave stale marks; keep the queue near its live size.
  if (failed_order_.size() > 2 * failed_count_ + 64) {
    std::deque<Mark> live;
    for (auto& mark : failed_order_) {
      const auto it = entries_.find(mark.first);
      if (it != entries_.end() && it->second.state == State::Failed && it->second.fail_seq == mark.second)
        live.push_back(std::move(mark));
    }
    failed_order_ = std::move(live);
  }
}

std::size_t EventIdLedger::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::size_t EventIdLedger::failed_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failed_count_;
}

}  // namespace hookbroker::core
