#include "runtime/recent_ids.hpp"

namespace hookbroker::core {

bool RecentIds::claim(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ids_.insert(id).second) return false;
  order_.push_back(id);
  if (order_.size() > capacity_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

void RecentIds::release(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  ids_.erase(id);  // its entry in order_ ages out harmlessly
}

}  // namespace hookbroker::core
