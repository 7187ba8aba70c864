#include "session_routes.hpp"

#include "hookbroker/json_input.hpp"
#include "hookbroker/session_tracker.hpp"
#include "rest_routes.hpp"

namespace hookbroker::sio {
namespace {

constexpr std::string_view kPrefix = "/api/sessions/";

HttpResponse no_tracker() {
  return HttpResponse::error(503,
                             "no session tracker is loaded: enable the sessions_memory plugin "
                             "(config: plugins.sessions_memory.enabled = true)");
}

HttpResponse unknown_session(const std::string& id) {
  return HttpResponse::error(
      404, "unknown session '" + id + "': start it first with POST /api/sessions/{id}/start");
}

// The optional JSON object body; false (with `reply` answered) when invalid.
bool read_body(const HttpRequest& request, HttpReply& reply, nlohmann::json& out) {
  out = nlohmann::json::object();
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return true;
  JsonInput input = parse_json_input(request.body);
  if (!input.ok || !input.value.is_object()) {
    reply(HttpResponse::error(
        400, input.ok ? "the body must be a JSON object like {\"agent\": \"engineer\"}" : input.error));
    return false;
  }
  out = std::move(input.value);
  return true;
}

}  // namespace

void handle_session_request(HostApi& host, const HttpRequest& request, HttpReply& reply) {
  if (request.path == "/api/sessions") {
    if (request.method != "GET") return reply(RestRoutes::method_not_allowed(request, "GET"));
    SessionTracker* tracker = host.sessions();
    if (tracker == nullptr) return reply(no_tracker());
    nlohmann::json list = tracker->list();
    const std::size_t count = list.is_array() ? list.size() : 0;
    return reply(HttpResponse::json(200, {{"sessions", std::move(list)}, {"count", count}}));
  }

  // /api/sessions/{id}/{operation}
  const std::string rest = request.path.substr(kPrefix.size());
  const std::size_t slash = rest.rfind('/');
  const std::string id = slash == std::string::npos ? "" : HttpRequest::decode(rest.substr(0, slash));
  const std::string operation = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (id.empty() || (operation != "start" && operation != "delegate" && operation != "end"))
    return reply(HttpResponse::error(
        404, "no route for " + request.method + " " + request.path +
                 ": use POST /api/sessions/{id}/start, /delegate or /end, or GET /api/sessions"));
  if (request.method != "POST") return reply(RestRoutes::method_not_allowed(request, "POST"));
  SessionTracker* tracker = host.sessions();
  if (tracker == nullptr) return reply(no_tracker());

  nlohmann::json body;
  if (!read_body(request, reply, body)) return;
  const auto agent = body.find("agent");
  if (agent != body.end() && !agent->is_string())
    return reply(HttpResponse::error(400, "\"agent\" must be a string, e.g. {\"agent\": \"engineer\"}"));
  const std::string agent_name = agent == body.end() ? "" : agent->get<std::string>();

  if (operation == "start") {
    tracker->start(id, agent_name);
  } else if (operation == "delegate") {
    if (agent_name.empty())
      return reply(HttpResponse::error(400, "delegate needs the agent: send {\"agent\": \"engineer\"}"));
    if (!tracker->delegate(id, agent_name, "")) return reply(unknown_session(id));
  } else if (!tracker->end(id)) {
    return reply(unknown_session(id));
  }
  reply(HttpResponse::json(200, {{"session", tracker->find(id)}}));
}

}  // namespace hookbroker::sio
