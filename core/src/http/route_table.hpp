// The HTTP routes plugins registered, by method and path pattern (http.hpp),
// each with its owner and the strand its handler runs on.
#pragma once

#include <cstddef>
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
    Entry entry;
    std::vector<std::pair<std::string, std::string>> params;
  };

  /// False when the method and path are taken, or the path is not a valid
  /// pattern (`error` says which).
  bool add(Entry entry, std::string& error);
  /// The route for `method` (HEAD falls back to GET) and `path`: exact paths
  /// first, then "{name}" patterns, then prefixes, the longest first.
  std::optional<Match> find(const std::string& method, const std::string& path) const;
  /// Methods that have a route for `path` ("GET, POST"), "" when none: for 405.
  std::string methods_for(const std::string& path) const;
  /// Every registered route with its owner, in registration order (GET /api/routes).
  std::vector<std::pair<HttpRoute, std::string>> routes() const;
  void remove_owner(const std::string& owner);

 private:
  std::optional<Match> find_exact_method(const std::string& method, const std::string& path) const;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace hookbroker::core
