// One Engine.IO v4 session: its transport (HTTP long-polling or WebSocket), the
// upgrade from polling to WebSocket, server pings with their timeout, and the
// queue of packets a polling client has not fetched yet. Behaves as the
// reference engine.io 6.x Socket does.
//
// Lives on the plugin's strand: every member function is called there, and
// its timers run there.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "socketio_codec/engineio_codec.hpp"
#include "hookbroker/host_api.hpp"
#include "lazy_timer.hpp"
#include "ws_link.hpp"

namespace hookbroker::sio {

// The Engine.IO codec (libs/socketio_codec) as this transport uses it.
using socketio_codec::base64_decode;
using socketio_codec::decode_engine_packet;
using socketio_codec::decode_engine_payload;
using socketio_codec::DecodedPayload;
using socketio_codec::encode_binary_for_polling;
using socketio_codec::encode_engine_handshake;
using socketio_codec::encode_engine_packet;
using socketio_codec::EngineHandshake;
using socketio_codec::EnginePacket;
using socketio_codec::EnginePacketType;
using socketio_codec::kRecordSeparator;

/// Copied from Options (EngineServer); the defaults live in option_table() only.
struct EngineOptions {
  std::chrono::milliseconds ping_interval{};
  std::chrono::milliseconds ping_timeout{};
  std::chrono::milliseconds upgrade_timeout{};
  std::size_t max_payload = 0;
  std::size_t send_queue_bytes = 0;
};

enum class EngineTransport { Polling, WebSocket };

const char* transport_name(EngineTransport t);

class EngineSession : public std::enable_shared_from_this<EngineSession> {
 public:
  EngineSession(std::string sid, Strand& strand, const EngineOptions& options, std::string remote);
  ~EngineSession();

  EngineSession(const EngineSession&) = delete;
  EngineSession& operator=(const EngineSession&) = delete;

  /// A message packet arrived (text, or binary bytes).
  std::function<void(EnginePacket&& message)> on_message;
  /// The session closed; called once, with the reference's reason
  /// ("transport close", "ping timeout", "parse error", "transport error",
  /// "forced close").
  std::function<void(const std::string& reason)> on_close;
  /// The session no longer needs its id (after on_close, once a closing
  /// polling client fetched its close packet); the owner forgets it.
  std::function<void()> on_released;

  // ---- opening -------------------------------------------------------------
  /// Handshake over polling: answers `reply` with the open packet.
  void start_polling(HttpReply reply);
  /// Handshake over WebSocket: sends the open packet on `link`.
  void start_websocket(std::shared_ptr<WsLink> link);

  // ---- requests the owner routes here ------------------------------------------
  void handle_poll(HttpReply reply);
  void handle_post(const HttpRequest& request, HttpReply reply);
  /// A WebSocket opened with this session's id: the upgrade begins.
  void begin_upgrade(std::shared_ptr<WsLink> link);
  void handle_ws_frame(const WsLink& link, std::string payload, bool binary);
  void handle_ws_closed(const WsLink& link);

  // ---- sending -----------------------------------------------------------------
  /// Each returns false when the packet would push this client's send queue
  /// past send_queue_bytes (a client with nothing queued takes any one
  /// message); nothing is queued then (the owner drops the client).
  bool send_text(const std::string& text);     ///< a message packet: "4" + text
  bool send_binary(const std::string& bytes);  ///< a binary message
  bool send_shared(const OutboundRun& run);

  /// Server-initiated close ("forced close"). A polling client without a
  /// pending poll gets its close packet on its next poll.
  void close();
  /// Drops a client that cannot keep up with its send queue.
  void abort(const std::string& reason);

  const std::string& sid() const { return sid_; }
  const std::string& remote() const { return remote_; }
  EngineTransport transport() const { return transport_; }
  bool is_open() const { return state_ == State::Open; }
  std::size_t queued_bytes() const;

 private:
  enum class State { Open, Closing, Closed };

  std::string handshake_packet() const;
  void on_packet(EnginePacket&& packet);
  void on_probe_frame(std::string payload, bool binary);
  void arm_upgrade_noop();
  void finish_upgrade();
  void cancel_upgrade();
  bool has_room(std::size_t queued, std::size_t size) const;
  bool enqueue(std::shared_ptr<const std::string> encoded);
  void schedule_flush();
  void flush();
  /// The queued packets as one polling payload; the queue is empty after.
  std::string take_outbox();
  void answer_poll(std::string payload);
  void schedule_ping();
  void send_ping();
  void fail(const std::string& reason);
  void closed(const std::string& reason);
  void release();

  std::string sid_;
  Strand& strand_;
  EngineOptions options_;
  std::string remote_;
  State state_ = State::Open;
  EngineTransport transport_ = EngineTransport::Polling;

  std::shared_ptr<WsLink> ws_;
  std::shared_ptr<WsLink> probe_;  ///< WebSocket being upgraded to
  bool upgraded_ = false;

  HttpReply pending_poll_;
  /// Encoded packets for polling, all taken by the next poll. A vector: an
  /// empty one costs nothing, where a std::deque allocates ~600 bytes up front
  /// for every session, WebSocket ones included.
  std::vector<std::shared_ptr<const std::string>> outbox_;
  std::size_t outbox_bytes_ = 0;
  bool flush_scheduled_ = false;
  /// What a closing polling client gets on its last poll: what was queued,
  /// then the close packet.
  std::string closing_payload_;

  boost::asio::steady_timer ping_interval_timer_;
  boost::asio::steady_timer ping_timeout_timer_;
  bool awaiting_pong_ = false;
  bool pong_deadline_refreshed_ = false;
  LazyTimer upgrade_timer_;
  LazyTimer noop_timer_;
  LazyTimer linger_timer_;
  bool released_ = false;
};

}  // namespace hookbroker::sio
