#include "node_directory.hpp"

#include <set>

namespace hookbroker::cluster {

void NodeDirectory::update(const std::vector<std::string>& ids, const RedisReply& announcements,
                           Clock::time_point now) {
  std::set<std::string> listed(ids.begin(), ids.end());
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    if (listed.count(it->first) == 0) it = nodes_.erase(it);  // taken out of the set by some node
    else ++it;
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Known& known = nodes_[ids[i]];
    const RedisReply* value =
        announcements.is_array() && i < announcements.elements.size() ? &announcements.elements[i] : nullptr;
    nlohmann::json parsed = value && value->is_string() ? nlohmann::json::parse(value->text, nullptr, false)
                                                        : nlohmann::json();
    if (parsed.is_object()) {
      known.announcement = std::move(parsed);
      known.up = true;
    } else if (known.up || known.lost_since == Clock::time_point{}) {
      known.up = false;
      known.lost_since = now;
    }
  }
}

std::vector<std::string> NodeDirectory::long_lost(Clock::time_point now, std::chrono::milliseconds forget_after) const {
  std::vector<std::string> out;
  for (const auto& [id, known] : nodes_)
    if (!known.up && now - known.lost_since >= forget_after) out.push_back(id);
  return out;
}

std::vector<std::string> NodeDirectory::lost() const {
  std::vector<std::string> out;
  for (const auto& [id, known] : nodes_)
    if (!known.up) out.push_back(id);
  return out;
}

nlohmann::json NodeDirectory::view() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [id, known] : nodes_) {
    nlohmann::json node = known.announcement;
    node["node_id"] = id;
    node["state"] = known.up ? "up" : "lost";
    out.push_back(std::move(node));
  }
  return out;
}

}  // namespace hookbroker::cluster
