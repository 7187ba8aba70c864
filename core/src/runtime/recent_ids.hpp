// Remembers the ids of recently accepted events so a sender's retry (the hook
// forwarder resending after a timeout, a spool replay after a crash) is
// acknowledged but not counted or broadcast twice.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace hookbroker::core {

class RecentIds {
 public:
  explicit RecentIds(std::size_t capacity) : capacity_(capacity) {}

  /// True when `id` is new (it is then remembered); false for a repeat.
  bool claim(const std::string& id);
  /// Forgets an id whose event was finally not accepted.
  void release(const std::string& id);

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::unordered_set<std::string> ids_;
  std::deque<std::string> order_;
};

}  // namespace hookbroker::core
