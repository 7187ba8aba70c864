// The transport's built-in API routes, registered with the core (which
// checks the token, Host, Origin and content type before they run):
//   POST /api/events   ingest one event (hooks post here)      204 / 400 / 413 / 503 / 507
//   GET  /api/history  recent events from the core's ring      200
// /health is the core's, /api/sessions the session tracker's. Plugin strand
// only; replies may be sent later from any thread (ingest completes when
// sinks are durable).
#pragma once

#include "hookbroker/host_api.hpp"
#include "options.hpp"

namespace hookbroker::sio {

/// The answer to POST /api/events for an ingest result: 204 when the broker
/// has the event; 400 with the reason when it never will; 503 (507 when a
/// store is full) with Retry-After and {"error", "retry_after_s"} when it was
/// not kept now and should be sent again.
HttpResponse ingest_answer(const IngestResult& result);

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
