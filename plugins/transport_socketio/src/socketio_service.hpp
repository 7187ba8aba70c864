// Everything of the transport that lives on the plugin's strand, in one
// object the network side reaches through a weak pointer (so a request that
// arrives during shutdown finds nothing instead of freed memory).
#pragma once

#include "client_requests.hpp"
#include "engine_server.hpp"
#include "hookbroker/host_api.hpp"
#include "http_request_counts.hpp"
#include "http_router.hpp"
#include "options.hpp"
#include "rest_routes.hpp"
#include "static_files.hpp"

namespace hookbroker::sio {

class SocketIoService {
 public:
  SocketIoService(HostApi& host, const Options& options);

  HttpRouter& router() { return router_; }
  EngineServer& engine() { return engine_; }
  /// Any thread.
  HttpRequestCounts& http_counts() { return http_counts_; }

  /// The transport's heartbeat key `socketio`: {dropped_slow_clients,
  /// http_requests, clients_by_transport}. Plugin strand (it walks the
  /// sessions once).
  nlohmann::json heartbeat() const;

 private:
  HttpRequestCounts http_counts_;
  ClientRequests requests_;
  EngineServer engine_;
  RestRoutes rest_;
  StaticFiles files_;
  HttpRouter router_;
};

}  // namespace hookbroker::sio
