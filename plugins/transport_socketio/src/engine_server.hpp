// The Engine.IO/Socket.IO endpoint: answers requests under the configured path
// (handshakes, polls, posts, WebSocket opens) the way the reference server
// does, keeps the sessions, admits Socket.IO clients (token), and fans
// broadcasts out to them.
//
// Plugin strand only, except check_upgrade() and connected_clients().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "broadcast_coalescer.hpp"
#include "engine_responses.hpp"
#include "engine_session.hpp"
#include "hookbroker/host_api.hpp"
#include "options.hpp"
#include "socketio_client.hpp"
#include "spell_log/spell_log.hpp"

namespace hookbroker::sio {

class ClientRequests;

class EngineServer : public SocketIoHandler {
 public:
  EngineServer(HostApi& host, const Options& options, ClientRequests& requests);
  ~EngineServer() override;

  /// Whether `path` belongs to the Engine.IO endpoint (prefix match, as the
  /// reference attaches to its path).
  bool owns_path(const std::string& path) const;

  /// A plain HTTP request under the path: handshake, poll or post.
  void handle_http(const HttpRequest& request, HttpReply reply);

  /// Whether a WebSocket handshake under the path may be accepted; the error
  /// to answer (HTTP 400, the message as text/html) when not. Any thread.
  std::optional<EngineError> check_upgrade(const HttpRequest& request) const;
  /// Reserves the place of a new session: 503 with Retry-After when it
  /// would pass max_sessions or max_pending_sessions, nullopt when the place
  /// is reserved. The next handshake without a sid takes it (a WebSocket is
  /// checked before the plugin's strand sees it); an upgrade that never opens
  /// gives it back with cancel_reservation(). Any thread.
  std::optional<HttpResponse> reserve_session();
  void cancel_reservation();
  /// An accepted WebSocket: a new session, or an upgrade of a polling one.
  void handle_ws_open(const std::shared_ptr<WsLink>& link, const HttpRequest& request);
  void handle_ws_frame(WsLink& link, std::string payload, bool binary);
  void handle_ws_closed(WsLink& link);

  /// Frames the event once and queues it for every connected client, at once
  /// or, within the coalescing window of the previous flush, with the next one.
  void broadcast(const std::string& channel, const std::string& payload_json);
  /// Broadcasts held by the coalescer now.
  std::size_t held_broadcasts() const { return coalescer_.held(); }
  /// The coalescing window in force now (it follows the load).
  std::chrono::microseconds coalesce_window() const { return coalescer_.window(); }
  /// Socket.IO clients connected to "/" now. Any thread.
  std::size_t connected_clients() const { return connected_.load(std::memory_order_relaxed); }
  /// Engine.IO sessions open now (connected or not).
  std::size_t session_count() const { return sessions_.size(); }
  /// Sessions whose client has not joined "/" yet. Any thread.
  std::size_t pending_sessions() const { return pending_.load(std::memory_order_relaxed); }
  /// Clients cut off because their send queue passed its bound, since start.
  /// Any thread.
  std::uint64_t dropped_slow_clients() const { return dropped_slow_clients_.load(std::memory_order_relaxed); }
  /// Connected Socket.IO clients by their current transport:
  /// {"websocket": n, "polling": m}. One pass over the sessions.
  nlohmann::json clients_by_transport() const;
  /// Sends held broadcasts, then closes every session (shutdown).
  void close_all();

  // SocketIoHandler
  std::string authorize(const nlohmann::json& auth, const std::string& remote) override;
  void before_join() override { coalescer_.flush(); }
  void on_connect(const std::shared_ptr<SocketIoClient>& client) override;
  void on_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent&& event) override;
  void on_disconnect(SocketIoClient& client, const std::string& reason) override;
  void on_send_queue_full(SocketIoClient& client) override;
  void on_protocol_error(SocketIoClient& client, const std::string& what) override;
  void on_session_closed(SocketIoClient& client) override;

 private:
  struct Entry {
    std::shared_ptr<EngineSession> engine;
    std::shared_ptr<SocketIoClient> client;
    bool pending = true;  ///< counted in pending_: not joined yet, still open
  };

  /// Takes a place reserve_session() reserved.
  std::shared_ptr<EngineSession> create_session(const std::string& remote);
  void release(const std::string& sid);
  /// The session stops counting as pending (joined, or ended).
  void settle(const std::string& sid);
  /// Every connected client gets the run (one write each on WebSocket).
  void deliver_to_all(const OutboundRun& run);

  HostApi& host_;
  Options options_;
  EngineOptions engine_options_;
  ClientRequests& requests_;

  std::unordered_map<std::string, Entry> sessions_;
  /// While sessions_ is being iterated, releases wait here.
  bool iterating_ = false;
  std::vector<std::string> released_while_iterating_;

  /// Live session ids, for check_upgrade() on the WebSocket layer's threads.
  mutable std::mutex sids_mutex_;
  std::unordered_set<std::string> sids_;

  BroadcastCoalescer coalescer_;

  /// Sessions and those not joined yet, reserved places included, for
  /// threads other than the strand.
  std::atomic<std::size_t> sessions_open_{0};
  std::atomic<std::size_t> pending_{0};
  /// Handshakes refused at a session limit, logged as spells.
  mutable spell_log::SpellLog refusals_log_;

  std::atomic<std::size_t> connected_{0};
  std::atomic<std::uint64_t> dropped_slow_clients_{0};
};

}  // namespace hookbroker::sio
