// The Socket.IO v5 layer of one Engine.IO session, as the reference
// socket.io 4.8 Client/Socket pair behaves for the main namespace "/":
// CONNECT (with auth payload) or CONNECT_ERROR, EVENT/BINARY_EVENT with ack
// ids, DISCONNECT, connect timeout, and closing the connection on any
// malformed packet. What the events mean is up to the SocketIoHandler.
//
// Plugin strand only.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "socketio_codec/socketio_codec.hpp"
#include "engine_session.hpp"
#include "hookbroker/clients.hpp"
#include "lazy_timer.hpp"

namespace hookbroker::sio {

// The Socket.IO codec (libs/socketio_codec) as this transport uses it.
using socketio_codec::BinaryAssembler;
using socketio_codec::decode_packet;
using socketio_codec::DecodeLimits;
using socketio_codec::encode_ack;
using socketio_codec::encode_broadcast_message;
using socketio_codec::encode_event;
using socketio_codec::encode_packet;
using socketio_codec::event_arguments_json;
using socketio_codec::Packet;
using socketio_codec::PacketType;

class SocketIoClient;

/// An event a client emitted.
struct ClientEvent {
  std::string name;
  std::string args_json;                 ///< the arguments array as received (name removed)
  nlohmann::json args;                   ///< the same, parsed (placeholders for binary)
  std::vector<std::string> attachments;  ///< binary attachments, in placeholder order
  std::optional<std::uint64_t> ack_id;   ///< set when the client waits for an ack
};

class SocketIoHandler {
 public:
  virtual ~SocketIoHandler() = default;
  /// "" admits the client; anything else is the CONNECT_ERROR message.
  /// `remote` is the peer's address, for the log of failed attempts.
  virtual std::string authorize(const nlohmann::json& auth, const std::string& remote) = 0;
  /// An admitted client is about to join "/" (then on_connect): broadcasts
  /// the handler still holds must go out before it joins, not to it, since its
  /// `history` already carries them.
  virtual void before_join() {}
  virtual void on_connect(const std::shared_ptr<SocketIoClient>& client) = 0;
  virtual void on_event(const std::shared_ptr<SocketIoClient>& client, ClientEvent&& event) = 0;
  virtual void on_disconnect(SocketIoClient& client, const std::string& reason) = 0;
  /// A send would push the client's queue over its bound.
  virtual void on_send_queue_full(SocketIoClient& client) = 0;
  /// The client broke the protocol (for logs); the connection is closed.
  virtual void on_protocol_error(SocketIoClient& client, const std::string& what) = 0;
  /// The Engine.IO session ended, joined or not (after on_disconnect for a
  /// joined client). Called once.
  virtual void on_session_closed(SocketIoClient& client) = 0;
};

class SocketIoClient : public std::enable_shared_from_this<SocketIoClient> {
 public:
  /// After `max_auth_failures` refused CONNECTs (0: no limit) the
  /// connection is closed: a guesser must open a new session per few guesses.
  SocketIoClient(std::shared_ptr<EngineSession> engine, SocketIoHandler& handler, Strand& strand,
                 std::chrono::milliseconds connect_timeout, std::size_t max_auth_failures = 0,
                 DecodeLimits limits = DecodeLimits{});

  /// Hooks into the engine session and arms the connect timeout.
  void start();

  bool connected() const { return connected_; }
  /// Who this is, for ClientInfo and logs (the socket id once connected).
  const ClientInfo& info() const { return info_; }
  EngineSession& engine() { return *engine_; }

  /// Emits an event on "/": `args_json` is the JSON array of its arguments.
  void emit(std::string_view event, std::string_view args_json);
  /// Answers ack `id` with the arguments array, then its binary attachments.
  void ack(std::uint64_t id, std::string_view args_json, const std::vector<std::string>& attachments = {});
  /// Broadcasts, shared with every other recipient.
  void deliver(const OutboundRun& run);
  /// Closes the whole connection.
  void close();

 private:
  void on_message(EnginePacket&& message);
  void dispatch(Packet&& packet, std::vector<std::string> attachments);
  void connect(const Packet& packet);
  void send(const std::string& text);
  void protocol_error(const std::string& what);
  void engine_closed(const std::string& reason);

  std::shared_ptr<EngineSession> engine_;
  SocketIoHandler& handler_;
  Strand& strand_;
  std::chrono::milliseconds connect_timeout_;
  std::size_t max_auth_failures_;
  std::size_t auth_failures_ = 0;
  DecodeLimits limits_;
  LazyTimer connect_timer_;
  /// Only while a binary packet's attachments arrive (most clients never
  /// send one: not carried by every idle client).
  std::unique_ptr<BinaryAssembler> assembler_;
  bool connected_ = false;
  ClientInfo info_;
};

/// A random id like the reference's base64id: 20 URL-safe base64 characters.
std::string random_id();

}  // namespace hookbroker::sio
