#include "http_request_counts.hpp"

#include <array>

namespace hookbroker::sio {

std::string_view method_label(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",    "HEAD",  "POST",   "PUT",
                                                             "DELETE", "PATCH", "OPTIONS"};
  for (const std::string_view known : kKnown)
    if (method == known) return known;
  return "other";
}

void HttpRequestCounts::add(std::string_view method, std::string_view route, int code) {
  Key key{std::string(method_label(method)), std::string(route), code};
  std::lock_guard lock(mutex_);
  ++counts_[std::move(key)];
}

nlohmann::json HttpRequestCounts::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  std::lock_guard lock(mutex_);
  for (const auto& [key, count] : counts_) {
    const auto& [method, route, code] = key;
    list.push_back({{"method", method}, {"route", route}, {"code", code}, {"count", count}});
  }
  return list;
}

}  // namespace hookbroker::sio
