#include "http_router.hpp"

#include <atomic>
#include <memory>

namespace hookbroker::sio {
namespace {

constexpr const char* kStaticRoute = "/*";

}  // namespace

HttpRouter::HttpRouter(HostApi& host, const Options& options, EngineServer& engine, RestRoutes& rest,
                       StaticFiles& files, HttpRequestCounts& counts)
    : host_(host),
      engine_path_(options.path),
      client_script_path_(options.path + "socket.io.js"),
      engine_(engine),
      rest_(rest),
      files_(files),
      counts_(counts) {}

void HttpRouter::add_routes() {
  host_.add_http_route(HttpRoute{"GET", client_script_path_, RouteAccess::Public, RouteBody::Json},
                       [this](const HttpRequest&, HttpReply reply) { files_.serve("/vendor/socket.io.js", reply); });
  // Every method: Engine.IO answers the ones it does not take itself, as the reference does.
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"})
    host_.add_http_route(HttpRoute{method, engine_path_ + "*", RouteAccess::Public, RouteBody::Any},
                         [this](const HttpRequest& request, HttpReply reply) {
                           if (!engine_.owns_path(request.path))
                             return reply(HttpResponse::error(404, "no route for " + request.method + " " +
                                                                       request.path));
                           engine_.handle_http(request, std::move(reply));
                         });
  rest_.add_routes();
  host_.add_http_route(HttpRoute{"GET", kStaticRoute, RouteAccess::Public, RouteBody::Json},
                       [this](const HttpRequest& request, HttpReply reply) { files_.serve(request.path, reply); });
}

std::string HttpRouter::route_label(const std::string& method, const std::string& path) const {
  const std::string route = host_.transport_host()->route_of(method, path);
  if (route.empty()) return std::string(kOtherRoute);
  if (route == kStaticRoute) return "static";
  if (route == engine_path_ + "*") return engine_path_;
  return route;
}

HttpReply HttpRouter::counted(const HttpRequest& request, std::string route, HttpReply reply, bool found_or_other) {
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

void HttpRouter::handle(const HttpRequest& request, HttpReply reply) {
  const std::string label = route_label(request.method, request.path);
  host_.transport_host()->serve_http(request, counted(request, label, std::move(reply), label == "static"));
}

}  // namespace hookbroker::sio
