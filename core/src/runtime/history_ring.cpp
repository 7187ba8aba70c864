#include "runtime/history_ring.hpp"

#include <algorithm>

namespace hookbroker::core {
namespace {

std::string string_field(const nlohmann::json& event, const char* key) {
  auto it = event.find(key);
  return it != event.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool matches(const nlohmann::json& event, const std::vector<std::string>& types, const std::string& session_id) {
  if (!session_id.empty() && string_field(event, "session_id") != session_id) return false;
  if (types.empty()) return true;
  const std::string type = string_field(event, "type"), subtype = string_field(event, "subtype");
  return std::any_of(types.begin(), types.end(),
                     [&](const std::string& t) { return t == type || t == subtype; });
}

}  // namespace

void HistoryRing::push(std::shared_ptr<const nlohmann::json> event) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (events_.size() == capacity_) events_.pop_front();
  events_.push_back(std::move(event));
}

nlohmann::json HistoryRing::query(std::size_t limit, const std::vector<std::string>& types,
                                  const std::string& session_id) const {
  std::vector<std::shared_ptr<const nlohmann::json>> picked;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = events_.rbegin(); it != events_.rend() && picked.size() < limit; ++it)
      if (matches(**it, types, session_id)) picked.push_back(*it);
  }
  nlohmann::json out = nlohmann::json::array();
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) out.push_back(**it);
  return out;
}

std::size_t HistoryRing::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return events_.size();
}

}  // namespace hookbroker::core
