#include "rest_routes.hpp"

#include <algorithm>

#include "client_requests.hpp"
#include "hookbroker/json_input.hpp"
#include "hookbroker/time.hpp"

namespace hookbroker::sio {
namespace {

// Sender-chosen ids and timestamps are kept only when they look sane.
constexpr std::size_t kMaxHeaderValue = 200;

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool parse_count(const std::string& text, std::size_t& out) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  out = std::stoul(text);
  return true;
}

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

void RestRoutes::history(const HttpRequest& request, HttpReply reply) {
  std::size_t limit = options_.history_on_connect;
  const std::string limit_text = request.query_param("limit");
  if (!limit_text.empty() && !parse_count(limit_text, limit)) {
    reply(HttpResponse::error(400, "limit must be a whole number of events, got '" + limit_text + "'"));
    return;
  }
  const auto types = split_commas(request.query_param("type"));
  reply(HttpResponse::json(
      200, ClientRequests::history_payload(host_.history(limit, types, request.query_param("session_id")))));
}

}  // namespace hookbroker::sio
