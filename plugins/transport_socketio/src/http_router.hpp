// The transport's HTTP: every plain request goes to the core
// (TransportHost::serve_http), which applies the broker's HTTP policy and
// runs the route. The transport registers its own routes there at start:
//   GET  <path>socket.io.js   the client library (public)
//   GET/POST <path>*          Engine.IO handshakes, polls and posts (public;
//                             Socket.IO clients present the token on CONNECT)
//   POST /api/events          ingest one event (rest_routes.hpp)
//   GET  /api/history         the core's history ring, unless a plugin
//                             (history_sqlite) registered it first
//   GET  /*                   the dashboard's static files (public)
// Every answer is counted by method, route and status
// (http_request_counts.hpp) under the route's pattern, with the Engine.IO
// path for its routes, "static" for a dashboard file found, and "other" for
// everything else. Plugin strand only.
#pragma once

#include "engine_server.hpp"
#include "hookbroker/host_api.hpp"
#include "http_request_counts.hpp"
#include "rest_routes.hpp"
#include "static_files.hpp"

namespace hookbroker::sio {

class HttpRouter {
 public:
  HttpRouter(HostApi& host, const Options& options, EngineServer& engine, RestRoutes& rest, StaticFiles& files,
             HttpRequestCounts& counts);

  /// Registers the transport's routes with the core.
  void add_routes();
  void handle(const HttpRequest& request, HttpReply reply);

  /// The counting label of the route `method` and `path` reach. Any thread.
  std::string route_label(const std::string& method, const std::string& path) const;

 private:
  /// `reply`, counting its first answer under `route` ("other" instead when
  /// `found_or_other` and the answer is 404).
  HttpReply counted(const HttpRequest& request, std::string route, HttpReply reply, bool found_or_other = false);

  HostApi& host_;
  std::string engine_path_;
  std::string client_script_path_;
  EngineServer& engine_;
  RestRoutes& rest_;
  StaticFiles& files_;
  HttpRequestCounts& counts_;
};

}  // namespace hookbroker::sio
