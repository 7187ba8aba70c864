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

std::uint64_t next_version() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

/// The last lookup this thread made (RouteTable::find), in whichever table.
struct LastLookup {
  std::uint64_t version = 0;  ///< the table's version when it was made; 0: none yet
  std::string method;
  std::string path;
  /// Weak: a thread's leftover must not keep a route's handler, whose code
  /// may be in a plugin that is gone, nor outlive the table. Expired when
  /// nothing matched (while the version stands, the entry is the table's).
  std::weak_ptr<const RouteTable::Entry> entry;
  std::vector<std::pair<std::string, std::string>> params;
};
thread_local LastLookup last_lookup;

}  // namespace

RouteTable::RouteTable() : version_(next_version()) {}

bool RouteTable::add(Entry entry, std::string& error) {
  error = check_pattern(entry.route.path);
  if (!error.empty()) return false;
  if (entry.route.method.empty()) {
    error = "a route needs a method";
    return false;
  }
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) {
    if (e->route.method == entry.route.method && e->route.path == entry.route.path) {
      error = entry.route.method + " " + entry.route.path + " is already served by '" + e->owner + "'";
      return false;
    }
  }
  entries_.push_back(std::make_shared<const Entry>(std::move(entry)));
  version_.store(next_version(), std::memory_order_release);
  return true;
}

std::optional<RouteTable::Match> RouteTable::find_exact_method(const std::string& method,
                                                               const std::string& path) const {
  const std::shared_ptr<const Entry>* best = nullptr;
  std::vector<std::pair<std::string, std::string>> best_params;
  for (const auto& e : entries_) {
    if (e->route.method != method) continue;
    std::vector<std::pair<std::string, std::string>> params;
    if (!match_route_path(e->route.path, path, &params)) continue;
    if (best && !route_precedes(e->route.path, (*best)->route.path)) continue;
    best = &e;
    best_params = std::move(params);
  }
  if (!best) return std::nullopt;
  return Match{*best, std::move(best_params)};
}

std::optional<RouteTable::Match> RouteTable::find(const std::string& method, const std::string& path) const {
  LastLookup& last = last_lookup;
  if (last.version == version_.load(std::memory_order_acquire) && last.method == method && last.path == path) {
    auto entry = last.entry.lock();
    if (!entry) return std::nullopt;
    return Match{std::move(entry), last.params};
  }
  std::optional<Match> match;
  std::uint64_t version = 0;
  {
    std::lock_guard lock(mutex_);
    version = version_.load(std::memory_order_relaxed);
    match = find_exact_method(method, path);
    if (!match && method == "HEAD") match = find_exact_method("GET", path);
  }
  last.version = version;
  last.method = method;
  last.path = path;
  last.entry = match ? match->entry : nullptr;
  if (match)
    last.params = match->params;
  else
    last.params.clear();
  return match;
}

std::string RouteTable::methods_for(const std::string& path) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> methods;
  for (const auto& e : entries_) {
    // A prefix route (static files) does not make every path "known".
    if (is_prefix_route(e->route.path) || !match_route_path(e->route.path, path)) continue;
    if (std::find(methods.begin(), methods.end(), e->route.method) == methods.end())
      methods.push_back(e->route.method);
  }
  std::sort(methods.begin(), methods.end());
  std::string out;
  for (const auto& m : methods) out += (out.empty() ? "" : ", ") + m;
  return out;
}

std::vector<std::pair<HttpRoute, std::string>> RouteTable::routes() const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<HttpRoute, std::string>> out;
  for (const auto& e : entries_) out.emplace_back(e->route, e->owner);
  return out;
}

void RouteTable::remove_owner(const std::string& owner) {
  std::lock_guard lock(mutex_);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const std::shared_ptr<const Entry>& e) { return e->owner == owner; }),
                 entries_.end());
  version_.store(next_version(), std::memory_order_release);
}

}  // namespace hookbroker::core
