#include "session_routes.hpp"

#include "hookbroker/json_input.hpp"

namespace hookbroker::sessions {
namespace {

HttpResponse unknown_session(const std::string& id) {
  return HttpResponse::error(404, "unknown session '" + id + "': start it first with POST /api/sessions/{id}/start");
}

std::string not_tracked(const std::string& id) {
  return "unknown session '" + id +
         "': no event of it was seen, or it ended or expired and is no longer kept; GET /api/sessions lists the "
         "sessions tracked now";
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

/// The "agent" of the body; false (with `reply` answered) when it is not a string.
bool read_agent(const HttpRequest& request, HttpReply& reply, std::string& agent) {
  nlohmann::json body;
  if (!read_body(request, reply, body)) return false;
  const auto it = body.find("agent");
  if (it != body.end() && !it->is_string()) {
    reply(HttpResponse::error(400, "\"agent\" must be a string, e.g. {\"agent\": \"engineer\"}"));
    return false;
  }
  agent = it == body.end() ? "" : it->get<std::string>();
  return true;
}

/// The {id} of the path; false (with `reply` answered) when it is too long.
bool read_id(const HttpRequest& request, HttpReply& reply, std::string& id) {
  id = request.path_param("id");
  if (id.size() <= kMaxSessionIdLength) return true;
  reply(HttpResponse::error(400, "the session id is longer than " + std::to_string(kMaxSessionIdLength) +
                                     " bytes: send the Claude Code session's id"));
  return false;
}

}  // namespace

nlohmann::json get_session_answer(const SessionTracker& tracker, const nlohmann::json& args) {
  const nlohmann::json* first = args.is_array() && !args.empty() ? &args.front() : nullptr;
  std::string id;
  if (first && first->is_string()) {
    id = first->get<std::string>();
  } else if (first && first->is_object() && first->contains("session_id") && (*first)["session_id"].is_string()) {
    id = (*first)["session_id"].get<std::string>();
  } else {
    return {{"error", "get_session needs the session's id: emit('get_session', {\"session_id\": \"...\"}, ack)"}};
  }
  if (id.empty() || id.size() > kMaxSessionIdLength)
    return {{"error", "the session id must be 1 to " + std::to_string(kMaxSessionIdLength) +
                          " bytes: send the Claude Code session's id"}};
  nlohmann::json session = tracker.find(id);
  if (session.is_null()) return {{"error", not_tracked(id)}};
  return {{"session", std::move(session)}};
}

void add_session_routes(HostApi& host, SessionTracker& tracker) {
  SessionTracker* t = &tracker;
  host.add_http_route("GET", "/api/sessions", [t](const HttpRequest&, HttpReply reply) {
    nlohmann::json list = t->list();
    const std::size_t count = list.is_array() ? list.size() : 0;
    reply(HttpResponse::json(200, {{"sessions", std::move(list)}, {"count", count}}));
  });
  host.add_http_route("GET", "/api/sessions/{id}", [t](const HttpRequest& request, HttpReply reply) {
    std::string id;
    if (!read_id(request, reply, id)) return;
    nlohmann::json session = t->find(id);
    if (session.is_null()) return reply(HttpResponse::error(404, not_tracked(id)));
    reply(HttpResponse::json(200, {{"session", std::move(session)}}));
  });
  if (!host.add_client_request("get_session", [t](const ClientInfo&, const nlohmann::json& args, ClientReply reply) {
        reply(nlohmann::json::array({get_session_answer(*t, args)}));
      }))
    host.warn("another plugin already answers get_session; Socket.IO clients get its sessions, not these");
  host.add_http_route("POST", "/api/sessions/{id}/start", [t](const HttpRequest& request, HttpReply reply) {
    std::string agent;
    if (!read_agent(request, reply, agent)) return;
    std::string id;
    if (!read_id(request, reply, id)) return;
    t->start(id, agent);
    reply(HttpResponse::json(200, {{"session", t->find(id)}}));
  });
  host.add_http_route("POST", "/api/sessions/{id}/delegate", [t](const HttpRequest& request, HttpReply reply) {
    std::string agent;
    if (!read_agent(request, reply, agent)) return;
    if (agent.empty())
      return reply(HttpResponse::error(400, "delegate needs the agent: send {\"agent\": \"engineer\"}"));
    std::string id;
    if (!read_id(request, reply, id)) return;
    if (!t->delegate(id, agent, "")) return reply(unknown_session(id));
    reply(HttpResponse::json(200, {{"session", t->find(id)}}));
  });
  host.add_http_route("POST", "/api/sessions/{id}/end", [t](const HttpRequest& request, HttpReply reply) {
    std::string agent;
    if (!read_agent(request, reply, agent)) return;
    std::string id;
    if (!read_id(request, reply, id)) return;
    if (!t->end(id)) return reply(unknown_session(id));
    reply(HttpResponse::json(200, {{"session", t->find(id)}}));
  });
}

}  // namespace hookbroker::sessions
