#include "runtime/history_ring.hpp"

#include <algorithm>

namespace hookbroker::core {

void HistoryRing::push(std::shared_ptr<const nlohmann::json> event) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.size() == capacity_) events_.pop_front();
  events_.push_back(std::move(event));
  ++pushed_;
}

nlohmann::json HistoryRing::page(const HistoryQuery& query) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::uint64_t first = pushed_ - events_.size() + 1;  // the oldest event's number
  std::size_t end = events_.size();
  if (query.cursor) end = *query.cursor <= first ? 0 : std::min<std::uint64_t>(*query.cursor - first, end);
  return select_history_page(
      query, end, [&](std::size_t i) -> const nlohmann::json& { return *events_[i]; },
      [&](std::size_t i) { return first + i; }, "memory");
}

nlohmann::json HistoryRing::query(std::size_t limit, const std::vector<std::string>& types,
                                  const std::string& session_id) const {
  HistoryQuery query;  // the old call: any limit, no time range, no cursor
  query.limit = limit;
  query.types = types;
  query.session_id = session_id;
  nlohmann::json answer = page(query);
  return std::move(answer["events"]);
}

std::size_t HistoryRing::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_.size();
}

}  // namespace hookbroker::core
