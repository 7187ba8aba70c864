#include "engine_server.hpp"

#include "client_requests.hpp"

namespace hookbroker::sio {
namespace {

// Sessions free up as clients leave or are reaped (connect_timeout_ms), not
// at once: a client should wait a little before its next handshake.
constexpr int kSessionRetryAfterS = 5;

spell_log::SpellLog::Report refusals_report(HostApi& host, std::chrono::milliseconds interval) {
  HostApi* log = &host;
  const std::string every = spell_log::seconds_text(interval);
  return {[log, every](std::size_t refused) {
            log->warn(std::to_string(refused) + " Socket.IO handshakes answered 503 at the session limits in the last " +
                      every);
          },
          [log, every](std::size_t refused, std::chrono::milliseconds lasted) {
            log->info("Socket.IO handshakes admitted again: none refused in the last " + every + "; " +
                      std::to_string(refused) + " were answered 503 at the session limits over " +
                      std::to_string(lasted.count()) + " ms");
          }};
}

}  // namespace

EngineServer::EngineServer(HostApi& host, const Options& options, ClientRequests& requests)
    : host_(host),
      options_(options),
      requests_(requests),
      coalescer_(host.strand(), options.coalesce_window_min, options.coalesce_window,
                 [this](const OutboundRun& run) { deliver_to_all(run); }),
      refusals_log_(host.io_context(), options.limit_log_interval, refusals_report(host, options.limit_log_interval)) {
  engine_options_.ping_interval = options.ping_interval;
  engine_options_.ping_timeout = options.ping_timeout;
  engine_options_.upgrade_timeout = options.upgrade_timeout;
  engine_options_.max_payload = options.max_payload;
  engine_options_.send_queue_bytes = options.send_queue_bytes;
}

EngineServer::~EngineServer() {
  // Sessions may outlive us in pending handlers: cut their way back to us.
  for (auto& [sid, entry] : sessions_) {
    entry.engine->on_released = nullptr;
    entry.engine->on_close = nullptr;
    entry.engine->on_message = nullptr;
  }
}

bool EngineServer::owns_path(const std::string& path) const {
  return path.compare(0, options_.path.size(), options_.path) == 0;
}

// ---- HTTP -----------------------------------------------------------------

void EngineServer::handle_http(const HttpRequest& request, HttpReply reply) {
  // The order of checks is the reference's (Server.verify, then handshake).
  const std::string transport = request.query_param("transport");
  if (transport != "polling" && transport != "websocket")
    return reply(engine_error_response(EngineError::UnknownTransport));

  const std::string sid = request.query_param("sid");
  if (!sid.empty()) {
    const auto it = sessions_.find(sid);
    if (it == sessions_.end()) return reply(engine_error_response(EngineError::UnknownSid));
    const auto engine = it->second.engine;  // a copy: the request may end the session
    // A plain HTTP request must use the session's current transport and
    // protocol revision.
    if (transport != transport_name(engine->transport()) || request.query_param("EIO") != "4")
      return reply(engine_error_response(EngineError::BadRequest));
    if (request.method == "GET") return engine->handle_poll(std::move(reply));
    if (request.method == "POST") return engine->handle_post(request, std::move(reply));
    return reply(bare_response(500));
  }

  if (request.method != "GET") return reply(engine_error_response(EngineError::BadHandshakeMethod));
  if (transport == "websocket") return reply(engine_error_response(EngineError::BadRequest));
  if (request.query_param("EIO") != "4")
    return reply(engine_error_response(EngineError::UnsupportedProtocolVersion));
  if (auto refused = reserve_session()) return reply(std::move(*refused));
  create_session(request.remote)->start_polling(std::move(reply));
}

namespace {

/// Adds one to `count` unless it is at `limit` already.
bool take_place(std::atomic<std::size_t>& count, std::size_t limit) {
  std::size_t now = count.load(std::memory_order_relaxed);
  while (now < limit)
    if (count.compare_exchange_weak(now, now + 1, std::memory_order_relaxed)) return true;
  return false;
}

}  // namespace

std::optional<HttpResponse> EngineServer::reserve_session() {
  std::string why;
  if (!take_place(sessions_open_, options_.max_sessions)) {
    why = "the broker has " + std::to_string(options_.max_sessions) +
          " Socket.IO sessions open, its limit (max_sessions)";
  } else if (!take_place(pending_, options_.max_pending_sessions)) {
    sessions_open_.fetch_sub(1, std::memory_order_relaxed);
    why = std::to_string(options_.max_pending_sessions) +
          " Socket.IO handshakes are waiting for their CONNECT, the limit (max_pending_sessions); each is closed "
          "after connect_timeout_ms";
  } else {
    return std::nullopt;
  }
  if (refusals_log_.occurred()) host_.warn(why + "; new handshakes are answered 503 until sessions end");
  auto r = HttpResponse::error(503, why + ": try again later");
  r.headers.emplace_back("Retry-After", std::to_string(kSessionRetryAfterS));
  return r;
}

void EngineServer::cancel_reservation() {
  sessions_open_.fetch_sub(1, std::memory_order_relaxed);
  pending_.fetch_sub(1, std::memory_order_relaxed);
}

// ---- WebSocket ------------------------------------------------------------

std::optional<EngineError> EngineServer::check_upgrade(const HttpRequest& request) const {
  const std::string transport = request.query_param("transport");
  if (transport != "websocket")
    return transport == "polling" ? EngineError::BadRequest : EngineError::UnknownTransport;
  const std::string sid = request.query_param("sid");
  if (sid.empty())
    return request.query_param("EIO") == "4"
               ? std::nullopt
               : std::optional<EngineError>(EngineError::UnsupportedProtocolVersion);
  {
    std::lock_guard lock(sids_mutex_);
    if (sids_.count(sid) == 0) return EngineError::UnknownSid;
  }
  if (request.query_param("EIO") != "4") return EngineError::BadRequest;
  return std::nullopt;
}

void EngineServer::handle_ws_open(const std::shared_ptr<WsLink>& link, const HttpRequest& request) {
  const std::string sid = request.query_param("sid");
  if (sid.empty()) {
    auto engine = create_session(link->remote());
    link->session = engine;
    engine->start_websocket(link);
    return;
  }
  const auto it = sessions_.find(sid);
  if (it == sessions_.end() || !it->second.engine->is_open()) {
    link->close();  // the session ended between the handshake check and now
    return;
  }
  link->session = it->second.engine;
  it->second.engine->begin_upgrade(link);
}

void EngineServer::handle_ws_frame(WsLink& link, std::string payload, bool binary) {
  if (auto engine = link.session.lock()) engine->handle_ws_frame(link, std::move(payload), binary);
}

void EngineServer::handle_ws_closed(WsLink& link) {
  if (auto engine = link.session.lock()) engine->handle_ws_closed(link);
}

// ---- sessions ------------------------------------------------------------------

std::shared_ptr<EngineSession> EngineServer::create_session(const std::string& remote) {
  std::string sid = random_id();
  while (sessions_.count(sid) != 0) sid = random_id();
  auto engine = std::make_shared<EngineSession>(sid, host_.strand(), engine_options_, remote);
  auto client = std::make_shared<SocketIoClient>(engine, *this, host_.strand(), options_.connect_timeout,
                                                 options_.max_auth_failures);
  engine->on_released = [this, sid] { release(sid); };
  client->start();
  sessions_.emplace(sid, Entry{engine, client});
  std::lock_guard lock(sids_mutex_);
  sids_.insert(sid);
  return engine;
}

void EngineServer::release(const std::string& sid) {
  if (iterating_) {
    released_while_iterating_.push_back(sid);
    return;
  }
  settle(sid);
  if (sessions_.erase(sid) != 0) sessions_open_.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard lock(sids_mutex_);
  sids_.erase(sid);
}

void EngineServer::settle(const std::string& sid) {
  const auto it = sessions_.find(sid);
  if (it == sessions_.end() || !it->second.pending) return;
  it->second.pending = false;
  pending_.fetch_sub(1, std::memory_order_relaxed);
}

void EngineServer::broadcast(const std::string& channel, const std::string& payload_json) {
  coalescer_.add(std::make_shared<const std::string>(encode_broadcast_message(channel, payload_json)));
}

void EngineServer::deliver_to_all(const OutboundRun& run) {
  iterating_ = true;
  for (auto& [sid, entry] : sessions_)
    if (entry.client->connected()) entry.client->deliver(run);
  iterating_ = false;
  auto released = std::move(released_while_iterating_);
  released_while_iterating_.clear();
  for (const auto& sid : released) release(sid);
}

nlohmann::json EngineServer::clients_by_transport() const {
  std::size_t websocket = 0;
  std::size_t polling = 0;
  for (const auto& [sid, entry] : sessions_) {
    if (!entry.client->connected()) continue;
    ++(entry.engine->transport() == EngineTransport::WebSocket ? websocket : polling);
  }
  return {{"websocket", websocket}, {"polling", polling}};
}

void EngineServer::close_all() {
  coalescer_.flush();
  iterating_ = true;
  for (auto& [sid, entry] : sessions_) entry.engine->close();
  iterating_ = false;
  auto released = std::move(released_while_iterating_);
  released_while_iterating_.clear();
  for (const auto& sid : released) release(sid);
}

// ---- Socket.IO clients ------------------------------------------------------------

std::string EngineServer::authorize(const nlohmann::json& auth, const std::string& remote) {
  return host_.transport_host()->check_client_auth(auth, remote);
}

void EngineServer::on_connect(const std::shared_ptr<SocketIoClient>& client) {
  settle(client->engine().sid());
  connected_.fetch_add(1, std::memory_order_relaxed);
  host_.debug("client " + client->info().id + " connected over " + client->info().transport + " from " +
              client->info().remote);
  host_.transport_host()->client_connected(client->info());
  requests_.on_connect(client);
}

void EngineServer::on_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent&& event) {
  requests_.on_event(client, std::move(event));
}

void EngineServer::on_disconnect(SocketIoClient& client, const std::string& reason) {
  connected_.fetch_sub(1, std::memory_order_relaxed);
  host_.debug("client " + client.info().id + " disconnected: " + reason);
  host_.transport_host()->client_disconnected(client.info());
}

void EngineServer::on_send_queue_full(SocketIoClient& client) {
  const auto& info = client.info();
  dropped_slow_clients_.fetch_add(1, std::memory_order_relaxed);
  host_.warn("client " + info.id + " (" + transport_name(client.engine().transport()) + " from " +
             info.remote + ") disconnected: it reads too slowly and its send queue passed " +
             std::to_string(options_.send_queue_bytes) +
             " bytes (send_queue_bytes); other clients are not affected");
  client.engine().abort("send queue full");
}

void EngineServer::on_session_closed(SocketIoClient& client) { settle(client.engine().sid()); }

void EngineServer::on_protocol_error(SocketIoClient& client, const std::string& what) {
  host_.debug("closing client " + client.info().id + " from " + client.info().remote +
              ": malformed Socket.IO packet (" + what + ")");
}

}  // namespace hookbroker::sio
