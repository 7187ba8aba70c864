// The HTTP routes plugins registered, by method and path pattern (http.hpp),
// each with its owner and the strand its handler runs on.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hookbroker/host_api.hpp"
#include "hookbroker/http.hpp"

namespace hookbroker::core {

class RouteTable {
 public:
  struct Entry {
    HttpRoute route;
    std::string owner;
    Strand* strand = nullptr;
    HttpHandler handler;
    /// Largest request body the route takes; 0 = the transport's limit
    /// (HostApi::add_http_route_with_body_limit).
    std::size_t max_body_bytes = 0;
  };
  struct Match {
    /// Shared with the table: a request in flight keeps its route's entry
    /// after the owner's routes are removed.
    std::shared_ptr<const Entry> entry;
    std::vector<std::pair<std::string, std::string>> params;
  };

  RouteTable();

  /// False when the method and path are taken, or the path is not a valid
  /// pattern (`error` says which).
  bool add(Entry entry, std::string& error);
  /// The route for `method` (HEAD falls back to GET) and `path`: exact paths
  /// first, then "{name}" patterns, then prefixes, the longest first.
  /// Each thread's last answer is kept until the table changes, and a
  /// lookup of the same method and path takes it without matching again: a
  /// transport asks for one request's body limit, its route (a metrics
  /// label) and then serves it, three calls through TransportHost that must
  /// cost one match.
  std::optional<Match> find(const std::string& method, const std::string& path) const;
  /// Methods that have a route for `path` ("GET, POST"), "" when none: for 405.
  std::string methods_for(const std::string& path) const;
  /// Every registered route with its owner, in registration order (GET /api/routes).
  std::vector<std::pair<HttpRoute, std::string>> routes() const;
  void remove_owner(const std::string& owner);

 private:
  std::optional<Match> find_exact_method(const std::string& method, const std::string& path) const;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<const Entry>> entries_;
  /// Changes with every add and removal; no two tables share a value, so a
  /// thread's last answer names the table and the state it came from.
  std::atomic<std::uint64_t> version_;
};

}  // namespace hookbroker::core
