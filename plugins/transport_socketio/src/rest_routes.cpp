#include "rest_routes.hpp"

#include <algorithm>

#include "hookbroker/json_input.hpp"
#include "hookbroker/time.hpp"

namespace hookbroker::sio {
namespace {

// Sender-chosen ids and timestamps are kept only when they look sane.
constexpr std::size_t kMaxHeaderValue = 200;

}  // namespace

RestRoutes::RestRoutes(HostApi& host, const Options& options) : host_(host), options_(options) {}

void RestRoutes::add_routes() {
  host_.add_http_route("POST", "/api/events",
                       [this](const HttpRequest& request, HttpReply reply) { post_event(request, std::move(reply)); });
  host_.add_http_route("GET", "/api/history",
                       [this](const HttpRequest& request, HttpReply reply) { history(request, std::move(reply)); });
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
    if (!sent_at.empty()) {
      // It becomes the event's timestamp: a time, or the request is refused.
      if (sent_at.size() > 40 || !parse_iso8601(sent_at))
        return reply(HttpResponse::error(
            400, "X-Hookbroker-Sent-At must be an ISO-8601 time such as 2026-01-17T12:00:00.000Z"));
      context.received_at = sent_at;
    }
  }
  host_.ingest(std::move(input.value), std::move(context),
               [reply](IngestResult result) { reply(ingest_answer(result)); });
}

HttpResponse ingest_answer(const IngestResult& result) {
  if (result.ok()) {
    HttpResponse r;
    r.status = 204;  // the event is in every sink: stored where a store is loaded
    r.content_type.clear();
    return r;
  }
  if (!result.retry_later()) return HttpResponse::error(400, result.error);
  // Not kept: the sender keeps the event and sends it again, under the same
  // X-Hookbroker-Event-Id (the broker then stores it without showing it to
  // clients twice).
  const std::uint32_t after = std::max<std::uint32_t>(result.retry_after_s, 1);
  HttpResponse r = HttpResponse::json(
      result.status == IngestResult::Status::StorageFull ? 507 : 503,
      {{"error", result.error + "; send it again in " + std::to_string(after) +
                     " s with the same X-Hookbroker-Event-Id"},
       {"retry_after_s", after}});
  r.headers.emplace_back("Retry-After", std::to_string(after));
  return r;
}

void RestRoutes::history(const HttpRequest& request, HttpReply reply) {
  const HistoryQueryParse parsed = parse_history_query(request);
  if (!parsed.ok()) return reply(HttpResponse::error(400, parsed.error));
  reply(HttpResponse::json(200, host_.history(*parsed.query)));
}

}  // namespace hookbroker::sio
