#include "http_router.hpp"

#include <atomic>
#include <memory>

namespace hookbroker::sio {
namespace {

constexpr std::string_view kSessionsPrefix = "/api/sessions/";

}  // namespace

HttpRouter::HttpRouter(HostApi& host, const Options& options, const CorsPolicy& cors, EngineServer& engine,
                       RestRoutes& rest, StaticFiles& files, HttpRequestCounts& counts)
    : host_(host),
      engine_path_(options.path),
      client_script_path_(options.path + "socket.io.js"),
      cors_(cors),
      engine_(engine),
      rest_(rest),
      files_(files),
      counts_(counts) {}

std::string HttpRouter::builtin_route(const std::string& path) const {
  if (path == client_script_path_) return client_script_path_;
  if (engine_.owns_path(path)) return engine_path_;
  if (path == "/health" || path == "/api/events" || path == "/api/history" || path == "/api/sessions")
    return path;
  if (path.compare(0, kSessionsPrefix.size(), kSessionsPrefix) == 0) return "/api/sessions/{id}/{operation}";
  return std::string(kOtherRoute);
}

HttpReply HttpRouter::counted(const HttpRequest& request, std::string route, HttpReply reply,
                              bool found_or_other) {
  // A reply may be called again (a handler that threw is answered 500 after
  // it replied); the transport sends the first answer only, so count that.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [counts = &counts_, method = std::string(method_label(request.method)), route = std::move(route),
          found_or_other, answered, reply = std::move(reply)](HttpResponse response) {
    if (!answered->exchange(true)) {
      const bool other = found_or_other && response.status == 404;
      counts->add(method, other ? kOtherRoute : std::string_view(route), response.status);
    }
    reply(std::move(response));
  };
}

void HttpRouter::handle(const HttpRequest& request, HttpReply plain_reply) {
  if (request.method == "OPTIONS")
    return counted(request, builtin_route(request.path), std::move(plain_reply))(cors_.preflight(request));

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
    return files_.serve("/vendor/socket.io.js", counted(request, client_script_path_, std::move(reply)));
  if (engine_.owns_path(request.path))
    return engine_.handle_http(request, counted(request, engine_path_, std::move(reply)));
  // Plugins add routes by exact path, so a matched path is a bounded label.
  if (host_.handle_http(request, counted(request, request.path, reply))) return;
  HttpReply rest_reply = counted(request, builtin_route(request.path), reply);
  if (rest_.handle(request, rest_reply)) return;
  if (read) return files_.serve(request.path, counted(request, "static", std::move(reply), true));
  counted(request, std::string(kOtherRoute), std::move(reply))(
      HttpResponse::error(404, "no route for " + request.method + " " + request.path));
}

}  // namespace hookbroker::sio
