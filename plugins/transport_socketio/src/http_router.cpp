#include "http_router.hpp"

namespace hookbroker::sio {

HttpRouter::HttpRouter(HostApi& host, const Options& options, const CorsPolicy& cors, EngineServer& engine,
                       RestRoutes& rest, StaticFiles& files)
    : host_(host),
      client_script_path_(options.path + "socket.io.js"),
      cors_(cors),
      engine_(engine),
      rest_(rest),
      files_(files) {}

void HttpRouter::handle(const HttpRequest& request, HttpReply plain_reply) {
  if (request.method == "OPTIONS") return plain_reply(cors_.preflight(request));

  // The CORS headers depend on the request's Origin only; compute them now so
  // the reply can be sent from any thread without the request.
  HttpResponse cors_headers;
  cors_.decorate(request, cors_headers);
  HttpReply reply = [plain_reply = std::move(plain_reply),
                     extra = std::move(cors_headers.headers)](HttpResponse response) {
    response.headers.insert(response.headers.end(), extra.begin(), extra.end());
    plain_reply(std::move(response));
  };

  const bool read = request.method == "GET" || request.method == "HEAD";
  if (read && request.path == client_script_path_)
    return files_.serve("/vendor/socket.io.js", std::move(reply));
  if (engine_.owns_path(request.path)) return engine_.handle_http(request, std::move(reply));
  if (host_.handle_http(request, reply)) return;
  if (rest_.handle(request, reply)) return;
  if (read) return files_.serve(request.path, std::move(reply));
  reply(HttpResponse::error(404, "no route for " + request.method + " " + request.path));
}

}  // namespace hookbroker::sio
