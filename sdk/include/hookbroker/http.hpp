// hookbroker SDK — HTTP routes a plugin can add to the transport's port.
//
// Any plugin may register routes (HostApi::add_http_route); transports that
// speak HTTP serve them on their port. A route registered by a plugin takes
// precedence over a transport's built-in one with the same method and path
// (that is how a storage plugin answers GET /api/history from disk).
#pragma once

#include <algorithm>
#include <cctype>
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

  static std::string decode(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
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

  static HttpResponse json(int status, const nlohmann::json& body) {
    HttpResponse r;
    r.status = status;
    r.body = body.dump();
    return r;
  }
  /// The error shape every hookbroker route uses: {"error": "..."}.
  static HttpResponse error(int status, const std::string& message) {
    return json(status, nlohmann::json{{"error", message}});
  }
};

/// Call exactly once, from any thread.
using HttpReply = std::function<void(HttpResponse)>;
/// Runs on the registering plugin's strand.
using HttpHandler = std::function<void(const HttpRequest&, HttpReply)>;

}  // namespace hookbroker
