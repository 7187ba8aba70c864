// Where an HTTP request on the transport's port goes, in order:
//   OPTIONS                      CORS preflight (204)
//   <path>socket.io.js           the client library from the dashboard's vendor dir
//   <path>...                    Engine.IO (handshake, polls, posts)
//   routes plugins added         HostApi::handle_http (they win over built-ins)
//   /health, /api/...            built-in routes (rest_routes.hpp)
//   GET/HEAD anything else       the dashboard's static files
//   else                         404 JSON
// Every answer carries the CORS headers and is counted by method, route and
// status (http_request_counts.hpp); the route labels are the patterns above:
// the Engine.IO path, the client script's path, a plugin route's path,
// /health, /api/events, /api/history, /api/sessions,
// /api/sessions/{id}/{operation}, "static" for a dashboard file found, and
// "other" for everything else. Plugin strand only.
#pragma once

#include "cors.hpp"
#include "engine_server.hpp"
#include "hookbroker/host_api.hpp"
#include "http_request_counts.hpp"
#include "rest_routes.hpp"
#include "static_files.hpp"

namespace hookbroker::sio {

class HttpRouter {
 public:
  HttpRouter(HostApi& host, const Options& options, const CorsPolicy& cors, EngineServer& engine,
             RestRoutes& rest, StaticFiles& files, HttpRequestCounts& counts);

  void handle(const HttpRequest& request, HttpReply reply);

  /// The route label of a built-in route `path` belongs to ("other" if none).
  /// Any thread: it reads only what is fixed at construction.
  std::string builtin_route(const std::string& path) const;

 private:
  /// `reply`, counting its first answer under `route` ("other" instead when
  /// `found_or_other` and the answer is 404).
  HttpReply counted(const HttpRequest& request, std::string route, HttpReply reply,
                    bool found_or_other = false);

  HostApi& host_;
  std::string engine_path_;
  std::string client_script_path_;
  const CorsPolicy& cors_;
  EngineServer& engine_;
  RestRoutes& rest_;
  StaticFiles& files_;
  HttpRequestCounts& counts_;
};

}  // namespace hookbroker::sio
