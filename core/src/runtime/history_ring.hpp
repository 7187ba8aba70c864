// The bounded in-memory history of recent events (oldest dropped first).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/history_query.hpp"

namespace hookbroker::core {

class HistoryRing {
 public:
  explicit HistoryRing(std::size_t capacity) : capacity_(capacity) {}

  void push(std::shared_ptr<const nlohmann::json> event);

  /// The newest `limit` events matching the filters, oldest first. `types`
  /// matches an event's type or subtype (empty = all); `session_id` "" = all.
  nlohmann::json query(std::size_t limit, const std::vector<std::string>& types,
                       const std::string& session_id) const;

  /// One page of history (HistoryQuery's shape, "source": "memory"). Each
  /// event's cursor is its position in the order of arrival (1 = the first
  /// event ever pushed), so paging stays exact while new events arrive and
  /// old ones are dropped.
  nlohmann::json page(const HistoryQuery& query) const;

  std::size_t size() const;

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<const nlohmann::json>> events_;
  std::uint64_t pushed_ = 0;  ///< events ever pushed: events_.back() is number pushed_
};

}  // namespace hookbroker::core
