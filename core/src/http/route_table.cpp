#include "http/route_table.hpp"

#include <algorithm>

namespace hookbroker::core {
namespace {

std::string check_pattern(const std::string& path) {
  if (path.empty() || path.front() != '/') return "a route path starts with '/'";
  if (path.find('*') != std::string::npos && (!is_prefix_route(path) || path.find('*') != path.size() - 1))
    return "'*' may only end a route path, as \"/prefix/*\"";
  std::size_t open = 0;
  while ((open = path.find('{', open)) != std::string::npos) {
    const std::size_t close = path.find('}', open);
    if (close == std::string::npos || close == open + 1 || path[open - 1] != '/' ||
        (close + 1 < path.size() && path[close + 1] != '/'))
      return "a \"{name}\" must be a whole path segment";
    open = close;
  }
  return {};
}

}  // namespace

bool RouteTable::add(Entry entry, std::string& error) {
  error = check_pattern(entry.route.path);
  if (!error.empty()) return false;
  if (entry.route.method.empty()) {
    error = "a route needs a method";
    return false;
  }
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) {
    if (e.route.method == entry.route.method && e.route.path == entry.route.path) {
      error = entry.route.method + " " + entry.route.path + " is already served by '" + e.owner + "'";
      return false;
    }
  }
  entries_.push_back(std::move(entry));
  return true;
}

std::optional<RouteTable::Match> RouteTable::find_exact_method(const std::string& method,
                                                               const std::string& path) const {
  const Entry* best = nullptr;
  std::vector<std::pair<std::string, std::string>> best_params;
  for (const auto& e : entries_) {
    if (e.route.method != method) continue;
    std::vector<std::pair<std::string, std::string>> params;
    if (!match_route_path(e.route.path, path, &params)) continue;
    if (best && !route_precedes(e.route.path, best->route.path)) continue;
    best = &e;
    best_params = std::move(params);
  }
  if (!best) return std::nullopt;
  return Match{*best, std::move(best_params)};
}

std::optional<RouteTable::Match> RouteTable::find(const std::string& method, const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto match = find_exact_method(method, path);
  if (!match && method == "HEAD") match = find_exact_method("GET", path);
  return match;
}

std::string RouteTable::methods_for(const std::string& path) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> methods;
  for (const auto& e : entries_) {
    // A prefix route (static files) does not make every path "known".
    if (is_prefix_route(e.route.path) || !match_route_path(e.route.path, path)) continue;
    if (std::find(methods.begin(), methods.end(), e.route.method) == methods.end())
      methods.push_back(e.route.method);
  }
  std::sort(methods.begin(), methods.end());
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

std::vector<std::pair<HttpRoute, std::string>> RouteTable::routes() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<HttpRoute, std::string>> out;
  for (const auto& e : entries_) out.emplace_back(e.route, e.owner);
  return out;
}

void RouteTable::remove_owner(const std::string& owner) {
  std::lock_guard lock(mutex_);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.owner == owner; }),
                 entries_.end());
}

}  // namespace hookbroker::core
