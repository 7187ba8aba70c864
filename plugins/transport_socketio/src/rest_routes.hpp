// The broker's built-in HTTP API on the transport's port:
//   POST /api/events   ingest one event (hooks post here)      204 / 400 / 401 / 413
//   GET  /health       is this a hookbroker, and how is it     200
//   GET  /api/history  recent events from the core's ring      200
// plus the session API (session_routes.hpp). Plugin strand only; replies may
// be sent later from any thread (ingest completes when sinks are durable).
#pragma once

#include <atomic>
#include <cstdint>

#include "hookbroker/host_api.hpp"
#include "options.hpp"

namespace hookbroker::sio {

class RestRoutes {
 public:
  RestRoutes(HostApi& host, const Options& options, const std::atomic<std::uint16_t>& bound_port);

  /// Answers and returns true when the path is one of these routes.
  bool handle(const HttpRequest& request, HttpReply& reply);

  /// 405 naming the allowed method.
  static HttpResponse method_not_allowed(const HttpRequest& request, const char* allowed);

 private:
  void post_event(const HttpRequest& request, HttpReply reply);
  void health(HttpReply reply);
  void history(const HttpRequest& request, HttpReply reply);

  HostApi& host_;
  Options options_;
  const std::atomic<std::uint16_t>& bound_port_;
};

}  // namespace hookbroker::sio
