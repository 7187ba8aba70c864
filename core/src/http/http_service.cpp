#include "http/http_service.hpp"

#include "strands/run_here_or_post.hpp"

namespace hookbroker::core {

HttpService::HttpService(HttpPolicy policy, boost::asio::io_context& io, std::chrono::milliseconds auth_log_interval,
                         std::shared_ptr<spdlog::logger> log)
    : policy_(std::move(policy)), log_(log), auth_failures_(io, auth_log_interval, std::move(log)) {}

std::string HttpService::check_client_auth(const nlohmann::json& auth, const std::string& remote) const {
  const Credential credential = policy_.client_credential(auth);
  if (credential == Credential::Accepted) return {};
  auth_failures_.record(credential, "Socket.IO CONNECT", remote);
  return HttpPolicy::client_refusal(credential);
}

std::optional<HttpResponse> HttpService::check_upgrade(const HttpRequest& request) const {
  if (auto refused = policy_.check_host(request)) return refused;
  return policy_.check_origin(request);
}

std::string HttpService::route_of(const std::string& method, const std::string& path) const {
  const auto match = routes_.find(method, path);
  return match ? match->entry->route.path : std::string();
}

std::size_t HttpService::max_body_bytes(const std::string& method, const std::string& path) const {
  const auto match = routes_.find(method, path);
  return match ? match->entry->max_body_bytes : 0;
}

void HttpService::serve(const HttpRequest& request, HttpReply plain_reply) const {
  if (auto refused = check_upgrade(request)) return plain_reply(std::move(*refused));
  if (request.method == "OPTIONS") return plain_reply(policy_.preflight(request));

  // The CORS headers depend on the request only: compute them now so the
  // reply can be sent from any thread without it.
  HttpResponse cors;
  policy_.add_cors_headers(request, cors);
  HttpReply reply = [plain_reply = std::move(plain_reply), extra = std::move(cors.headers)](HttpResponse r) {
    r.headers.insert(r.headers.end(), extra.begin(), extra.end());
    plain_reply(std::move(r));
  };

  auto match = routes_.find(request.method, request.path);
  // A prefix route (the dashboard's files) does not answer for a path that
  // other methods know: GET /api/events is a 405, not a missing file.
  const bool fallback = !match || is_prefix_route(match->entry->route.path);
  const std::string allowed = fallback ? routes_.methods_for(request.path) : std::string();
  if (!match || !allowed.empty()) {
    if (allowed.empty())
      return reply(HttpResponse::error(404, "no route for " + request.method + " " + request.path));
    auto r = HttpResponse::error(405, request.method + " is not allowed on " + request.path + ": use " + allowed);
    r.headers.emplace_back("Allow", allowed);
    return reply(std::move(r));
  }
  const RouteTable::Entry& entry = *match->entry;
  if (entry.route.access == RouteAccess::Token) {
    const Credential credential = policy_.bearer_credential(request);
    if (credential != Credential::Accepted) {
      // The route's pattern, not the path: a bounded set of kinds to count.
      auth_failures_.record(credential, "HTTP " + request.method + " " + entry.route.path, request.remote);
      return reply(HttpPolicy::token_refusal(credential));
    }
  }
  if (entry.max_body_bytes != 0 && request.body.size() > entry.max_body_bytes)
    return reply(HttpResponse::error(
        413, body_over_limit_message(request.method, request.path, entry.max_body_bytes, request.body.size())));
  if (entry.route.body == RouteBody::Json)
    if (auto refused = HttpPolicy::check_json_body(request)) return reply(std::move(*refused));

  HttpRequest routed = request;
  routed.route = entry.route.path;
  routed.path_params = std::move(match->params);
  if (auto refused = HttpPolicy::check_text(routed)) return reply(std::move(*refused));
  Strand& strand = *entry.strand;
  auto run = [log = log_, route = std::move(match->entry), routed = std::move(routed), reply = std::move(reply)]() {
    auto fail = [&](const std::string& what) {
      log->error("HTTP route {} {} of plugin '{}' threw: {}", routed.method, routed.route, route->owner, what);
      reply(HttpResponse::error(500, "plugin '" + route->owner + "' failed on this request: " + what));
    };
    try {
      route->handler(routed, reply);
    } catch (const std::exception& e) {
      fail(e.what());
    } catch (...) {
      fail("a non-standard exception");
    }
  };
  // A transport serving its own route (every POST /api/events) is already
  // on the route's strand: the handler runs here and now. Another plugin's
  // route keeps its own strand and thread, so a slow handler does not hold
  // the transport (run_here_or_post.hpp says why this rule is not
  // run_in_order's).
  strands::run_here_or_post(strand, std::move(run));
}

}  // namespace hookbroker::core
