// Where an HTTP request on the transport's port goes, in order:
//   OPTIONS                      CORS preflight (204)
//   <path>socket.io.js           the client library from the dashboard's vendor dir
//   <path>...                    Engine.IO (handshake, polls, posts)
//   routes plugins added         HostApi::handle_http (they win over built-ins)
//   /health, /api/...            built-in routes (rest_routes.hpp)
//   GET/HEAD anything else       the dashboard's static files
//   else                         404 JSON
// Every answer carries the CORS headers. Plugin strand only.
#pragma once

#include "cors.hpp"
#include "engine_server.hpp"
#include "hookbroker/host_api.hpp"
#include "rest_routes.hpp"
#include "static_files.hpp"

namespace hookbroker::sio {

class HttpRouter {
 public:
  HttpRouter(HostApi& host, const Options& options, const CorsPolicy& cors, EngineServer& engine,
             RestRoutes& rest, StaticFiles& files);

  void handle(const HttpRequest& request, HttpReply reply);

 private:
  HostApi& host_;
  std::string client_script_path_;
  const CorsPolicy& cors_;
  EngineServer& engine_;
  RestRoutes& rest_;
  StaticFiles& files_;
};

}  // namespace hookbroker::sio
