// The rules every HTTP request and WebSocket upgrade meets before a route
// runs: the Host allow-list (DNS-rebinding defence), the Origin check, the
// broker's token (constant-time), JSON bodies, CORS. One object, built from
// the broker's settings; immutable, so any thread may use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/http.hpp"
#include "http/auth_failure_log.hpp"

namespace hookbroker::core {

class HttpPolicy {
 public:
  struct Config {
    std::string token;                       ///< "" = no authentication
    std::string bind_host;                   ///< the configured host
    std::vector<std::string> allowed_hosts;  ///< more names the Host header may carry; "*" = any
    std::vector<std::string> cors_origins;   ///< "scheme://host:port", "scheme://host:*" or "*"
  };

  explicit HttpPolicy(Config config);

  /// 403 when the Host header names someone else (a DNS-rebinding page).
  std::optional<HttpResponse> check_host(const HttpRequest& request) const;
  /// 403 when a browser (Origin header) calls from an origin that is neither
  /// the broker's own nor in cors_origins.
  std::optional<HttpResponse> check_origin(const HttpRequest& request) const;
  /// 401 when a token is configured and the request does not carry it.
  std::optional<HttpResponse> check_token(const HttpRequest& request) const;
  /// What the request's Authorization header presents (Accepted when no
  /// token is configured), compared in constant time.
  Credential bearer_credential(const HttpRequest& request) const;
  /// The 401 for a Missing or Wrong bearer credential.
  static HttpResponse token_refusal(Credential credential);
  /// 415 when a request that sends a body does not send it as JSON.
  static std::optional<HttpResponse> check_json_body(const HttpRequest& request);
  /// 400 when a header value, a query parameter or a matched path parameter
  /// is not valid UTF-8: such text would poison whatever later serialises it.
  static std::optional<HttpResponse> check_text(const HttpRequest& request);
  /// A Socket.IO CONNECT's `auth` object: "" when accepted, else the reason.
  std::string check_client_auth(const nlohmann::json& auth) const;
  /// What a CONNECT's `auth` object presents, compared in constant time.
  Credential client_credential(const nlohmann::json& auth) const;
  /// The CONNECT_ERROR message for a Missing or Wrong client credential.
  static std::string client_refusal(Credential credential);

  /// Adds the CORS headers for the request's Origin to a response.
  void add_cors_headers(const HttpRequest& request, HttpResponse& response) const;
  /// The answer to an OPTIONS preflight.
  HttpResponse preflight(const HttpRequest& request) const;

  bool has_token() const { return !config_.token.empty(); }

 private:
  bool origin_allowed(const HttpRequest& request, std::string_view origin) const;
  bool host_allowed(const std::string& host) const;

  Config config_;
  std::string bind_name_;  ///< the configured host as a Host header names it
  bool bind_all_ = false;  ///< bound to 0.0.0.0 / ::: IP literals are fine
};

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or
/// code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

/// Compares secrets without an early exit on the first differing byte.
bool constant_time_equals(std::string_view expected, std::string_view given);

}  // namespace hookbroker::core
