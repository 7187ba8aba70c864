// hookbroker SDK — HTTP routes a plugin can add to the broker's port.
//
// Any plugin may register routes (HostApi::add_http_route); transports that
// speak HTTP hand every request to the core, which applies one policy to all
// of them before a handler runs (docs/plugins.md, "HTTP routes"):
//  - the Host header must name this broker (loopback names, the configured
//    host, `allowed_hosts`): DNS-rebinding defence;
//  - a browser request (one with an Origin header) from an origin that is
//    neither the broker's own nor in `cors_origins` is refused, whatever its
//    method (WebSocket upgrades and Engine.IO polling included);
//  - the broker's token is required (`Authorization: Bearer <token>`, compared
//    in constant time) unless the route is registered as RouteAccess::Public;
//  - POST/PUT/PATCH/DELETE bodies must be `Content-Type: application/json`
//    unless the route takes RouteBody::Any (415 otherwise, so a cross-site
//    HTML form cannot post without a CORS preflight);
//  - CORS headers and preflights, and the error shape {"error": "..."}.
// So a handler only ever sees requests it is allowed to answer.
//
// Paths: "/api/history" matches exactly; "{name}" matches one segment and is
// passed in HttpRequest::path_params ("/api/sessions/{id}"); a final "/*"
// matches the prefix and everything below it. Exact paths win over patterns,
// patterns over prefixes, and a longer prefix over a shorter one. One route
// per method and path: the first plugin to register it keeps it (plugins
// start before transports, so a storage plugin's GET /api/history replaces
// the transport's built-in one). A GET route also answers HEAD.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker {

struct HttpRequest {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< without the query, e.g. "/api/history"
  std::string query;   ///< raw query string without '?', still percent-encoded
  std::vector<std::pair<std::string, std::string>> headers;  ///< names lower-case
  std::string body;
  std::string remote;  ///< peer address, e.g. "127.0.0.1:53122"
  /// Filled by the core before a handler runs: the pattern that matched and
  /// the values of its "{name}" segments (percent-decoded; "*" for the rest
  /// of a prefix route).
  std::string route;
  std::vector<std::pair<std::string, std::string>> path_params;

  /// A "{name}" segment's value, or "" when the route has none of that name.
  std::string path_param(const std::string& name) const {
    for (const auto& [k, v] : path_params)
      if (k == name) return v;
    return {};
  }

  /// Header value by name (any case), or "" when absent.
  std::string header(std::string name) const {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto& [k, v] : headers)
      if (k == name) return v;
    return {};
  }

  /// Query parameter, percent-decoded ('+' is a space), or `fallback`.
  std::string query_param(const std::string& name, const std::string& fallback = {}) const {
    std::size_t pos = 0;
    while (pos <= query.size()) {
      std::size_t end = query.find('&', pos);
      if (end == std::string::npos) end = query.size();
      const std::string pair = query.substr(pos, end - pos);
      const std::size_t eq = pair.find('=');
      if (decode(pair.substr(0, eq)) == name)
        return eq == std::string::npos ? std::string() : decode(pair.substr(eq + 1));
      pos = end + 1;
    }
    return fallback;
  }

  /// Percent-decodes; '+' is a space in a query, itself in a path.
  static std::string decode(const std::string& s, bool plus_is_space = true) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+' && plus_is_space) {
        out += ' ';
      } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
                 std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
        out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers

  /// Never throws for text that is not UTF-8 (a header or path quoted in a
  /// message): such bytes become U+FFFD.
  static HttpResponse json(int status, const nlohmann::json& body) {
    HttpResponse r;
    r.status = status;
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
  }
  /// The error shape every hookbroker route uses: {"error": "..."}.
  static HttpResponse error(int status, const std::string& message) {
    return json(status, nlohmann::json{{"error", message}});
  }
};

/// ABI 3.2. The message of the 413 for a body over a route's own limit
/// (HostApi::add_http_route_with_body_limit), one wording whether the core
/// or a transport (before reading the body) refuses it.
inline std::string body_over_limit_message(const std::string& method, const std::string& path, std::size_t limit,
                                           std::uint64_t body_bytes) {
  return "the request body of " + std::to_string(body_bytes) + " bytes is over the limit of " +
         std::to_string(limit) + " bytes that " + method + " " + path +
         " takes: send less per request, or raise the limit in the config of the plugin that serves it "
         "(GET /api/routes names it)";
}

/// Call exactly once, from any thread.
using HttpReply = std::function<void(HttpResponse)>;
/// Runs on the registering plugin's strand.
using HttpHandler = std::function<void(const HttpRequest&, HttpReply)>;

/// Who may call a route.
enum class RouteAccess : unsigned char {
  Token,   ///< the broker's token when one is configured (the default)
  Public,  ///< anyone the Host and Origin checks let through (/health, static files)
};

/// What a route accepts as a request body.
enum class RouteBody : unsigned char {
  Json,  ///< a non-empty body must be sent as application/json (the default)
  Any,   ///< protocols with their own framing (Engine.IO polling sends text/plain)
};

/// A route as registered with HostApi::add_http_route.
struct HttpRoute {
  std::string method;  ///< "GET", "POST", ...
  std::string path;    ///< exact, with "{name}" segments, or ending in "/*"
  RouteAccess access = RouteAccess::Token;
  RouteBody body = RouteBody::Json;
};

/// True for a pattern that ends in "/*" (a whole subtree).
inline bool is_prefix_route(const std::string& pattern) {
  return pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, "/*") == 0;
}

/// Between two patterns that both match a path: true when `a` wins (exact
/// over "{name}" over prefix, then the longer).
inline bool route_precedes(const std::string& a, const std::string& b) {
  auto shape = [](const std::string& p) {
    if (is_prefix_route(p)) return 2;
    return p.find('{') == std::string::npos ? 0 : 1;
  };
  if (shape(a) != shape(b)) return shape(a) < shape(b);
  return a.size() > b.size();
}

/// Matches `path` against a route pattern (see the top of this file); fills
/// `params` on a match. The core and the testing FakeHost both route with it.
inline bool match_route_path(const std::string& pattern, const std::string& path,
                             std::vector<std::pair<std::string, std::string>>* params = nullptr) {
  std::vector<std::pair<std::string, std::string>> found;
  std::size_t p = 0, q = 0;
  while (p < pattern.size()) {
    if (p + 2 == pattern.size() && is_prefix_route(pattern)) {
      if (q != path.size() && path[q] != '/') return false;
      found.emplace_back("*", HttpRequest::decode(q < path.size() ? path.substr(q + 1) : std::string(), false));
      if (params) *params = std::move(found);
      return true;
    }
    if (pattern[p] == '{') {
      const std::size_t close = pattern.find('}', p);
      if (close == std::string::npos) return false;
      const std::size_t end = std::min(path.find('/', q), path.size());
      if (end == q) return false;  // an empty segment names nothing
      found.emplace_back(pattern.substr(p + 1, close - p - 1), HttpRequest::decode(path.substr(q, end - q), false));
      p = close + 1;
      q = end;
      continue;
    }
    if (q >= path.size() || pattern[p] != path[q]) return false;
    ++p;
    ++q;
  }
  if (q != path.size()) return false;
  if (params) *params = std::move(found);
  return true;
}

}  // namespace hookbroker
