// The transport's built-in API routes, registered with the core (which
// checks the token, Host, Origin and content type before they run):
//   POST /api/events   ingest one event (hooks post here)      204 / 400 / 413
//   GET  /api/history  recent events from the core's ring      200
// /health is the core's, /api/sessions the session tracker's. Plugin strand
// only; replies may be sent later from any thread (ingest completes when
// sinks are durable).
#pragma once

#include "hookbroker/host_api.hpp"
#include "options.hpp"

namespace hookbroker::sio {

class RestRoutes {
 public:
  RestRoutes(HostApi& host, const Options& options);

  /// Registers the routes; GET /api/history only when no plugin has it.
  void add_routes();

 private:
  void post_event(const HttpRequest& request, HttpReply reply);
  void history(const HttpRequest& request, HttpReply reply);

  HostApi& host_;
  Options options_;
};

}  // namespace hookbroker::sio
