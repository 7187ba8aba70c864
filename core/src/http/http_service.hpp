// The core's HTTP front door: every request a transport receives comes here
// (TransportHost::serve_http). It applies the HttpPolicy, answers
// preflights, 404 and 405 itself, and runs the matching route's handler on
// its owner's strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "http/http_policy.hpp"
#include "http/route_table.hpp"

namespace hookbroker::core {

class HttpService {
 public:
  /// Failed authentications are logged once, then summarised every
  /// `auth_log_interval` while they go on (auth_failure_log.hpp).
  HttpService(HttpPolicy policy, boost::asio::io_context& io, std::chrono::milliseconds auth_log_interval,
              std::shared_ptr<spdlog::logger> log);

  const HttpPolicy& policy() const { return policy_; }
  RouteTable& routes() { return routes_; }
  const RouteTable& routes() const { return routes_; }

  /// Any thread; `reply` is called exactly once. Called on the route
  /// owner's strand, the handler runs before serve returns; otherwise it is
  /// posted to that strand.
  void serve(const HttpRequest& request, HttpReply reply) const;
  /// Host and Origin checks for a WebSocket upgrade; nullopt = go ahead.
  std::optional<HttpResponse> check_upgrade(const HttpRequest& request) const;
  /// The matched route's pattern, "" when none.
  std::string route_of(const std::string& method, const std::string& path) const;
  /// The matched route's own body limit, 0 when it has none (TransportHost::max_body_bytes).
  std::size_t max_body_bytes(const std::string& method, const std::string& path) const;
  /// A Socket.IO CONNECT's credentials (TransportHost::check_client_auth):
  /// "" when accepted, else the reason; a failure is logged.
  std::string check_client_auth(const nlohmann::json& auth, const std::string& remote) const;

 private:
  HttpPolicy policy_;
  RouteTable routes_;
  std::shared_ptr<spdlog::logger> log_;
  /// Logging is not part of the service's observable state.
  mutable AuthFailureLog auth_failures_;
};

}  // namespace hookbroker::core
