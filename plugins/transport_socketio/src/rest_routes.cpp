#include "rest_routes.hpp"

#include <unistd.h>

#include <algorithm>

#include "builtin_history.hpp"
#include "hookbroker/json_input.hpp"
#include "hookbroker/time.hpp"
#include "session_routes.hpp"
#include "token_check.hpp"

namespace hookbroker::sio {
namespace {

// Sender-chosen ids and timestamps are kept only when they look sane.
constexpr std::size_t kMaxHeaderValue = 200;

}  // namespace

RestRoutes::RestRoutes(HostApi& host, const Options& options, const std::atomic<std::uint16_t>& bound_port)
    : host_(host), options_(options), bound_port_(bound_port) {}

HttpResponse RestRoutes::method_not_allowed(const HttpRequest& request, const char* allowed) {
  auto r =
      HttpResponse::error(405, request.method + " is not allowed on " + request.path + ": use " + allowed);
  r.headers.emplace_back("Allow", allowed);
  return r;
}

bool RestRoutes::handle(const HttpRequest& request, HttpReply& reply) {
  const std::string& path = request.path;
  if (path == "/health") {
    if (request.method != "GET" && request.method != "HEAD")
      reply(method_not_allowed(request, "GET"));
    else
      health(std::move(reply));
    return true;
  }
  const bool api = path.compare(0, 5, "/api/") == 0;
  if (!api) return false;
  if (path != "/api/events" && path != "/api/history" && path != "/api/sessions" &&
      path.compare(0, 14, "/api/sessions/") != 0)
    return false;

  if (const std::string denied = check_bearer_token(host_.settings().token, request); !denied.empty()) {
    auto r = HttpResponse::error(401, denied);
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    reply(std::move(r));
    return true;
  }
  if (path == "/api/events") {
    if (request.method != "POST")
      reply(method_not_allowed(request, "POST"));
    else
      post_event(request, std::move(reply));
    return true;
  }
  if (path == "/api/history") {
    if (request.method != "GET")
      reply(method_not_allowed(request, "GET"));
    else
      history(request, std::move(reply));
    return true;
  }
  handle_session_request(host_, request, reply);
  return true;
}

void RestRoutes::post_event(const HttpRequest& request, HttpReply reply) {
  if (request.body.size() > options_.max_body_bytes) {
    reply(HttpResponse::error(
        413, "event body of " + std::to_string(request.body.size()) + " bytes is over the limit of " +
                 std::to_string(options_.max_body_bytes) +
                 " bytes: send a smaller event or raise plugins.transport_socketio.config.max_body_bytes"));
    return;
  }
  JsonInput input = parse_json_input(request.body);
  if (!input.ok) {
    reply(HttpResponse::error(400, input.error));
    return;
  }

  IngestContext context;
  context.source = "http";
  context.raw_bytes = request.body;
  context.received_at = now_iso8601_utc();
  if (const std::string id = request.header("x-hookbroker-event-id");
      !id.empty() && id.size() <= kMaxHeaderValue)
    context.event_id = id;
  if (request.header("x-hookbroker-replayed") == "1") {
    context.replayed = true;
    const std::string sent_at = request.header("x-hookbroker-sent-at");
    if (!sent_at.empty() && sent_at.size() <= 40) context.received_at = sent_at;
  }
  host_.ingest(std::move(input.value), std::move(context), [reply](IngestResult result) {
    if (result.ok()) {
      HttpResponse r;
      r.status = 204;
      r.content_type.clear();
      reply(std::move(r));
    } else {
      reply(HttpResponse::error(400, result.error));
    }
  });
}

void RestRoutes::health(HttpReply reply) {
  const Counters c = host_.counters();
  reply(HttpResponse::json(200, {{"status", "ok"},
                                 {"service", "hookbroker"},
                                 {"version", host_.settings().version},
                                 {"uptime_seconds", c.uptime_seconds},
                                 {"clients", c.connected_clients},
                                 {"events", c.total_events},
                                 {"sessions", c.sessions},
                                 {"port", bound_port_.load()},
                                 {"pid", static_cast<long>(::getpid())}}));
}

void RestRoutes::history(const HttpRequest& request, HttpReply reply) {
  const HistoryQueryParse parsed = parse_history_query(request);
  if (!parsed.ok()) return reply(HttpResponse::error(400, parsed.error));
  reply(HttpResponse::json(200, builtin_history_page(host_, *parsed.query)));
}

}  // namespace hookbroker::sio
