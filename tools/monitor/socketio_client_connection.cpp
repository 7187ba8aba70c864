#include "socketio_client_connection.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include "socketio_codec/engineio_codec.hpp"
#include "socketio_codec/socketio_codec.hpp"

namespace hookbroker::monitor {

namespace codec = socketio_codec;

namespace {

using Client = websocketpp::client<websocketpp::config::asio_client>;
using websocketpp::connection_hdl;

/// Before the open packet tells us the broker's ping timers.
constexpr std::chrono::milliseconds kOpenPacketTimeout{10000};

std::string close_reason(const Client::connection_ptr& con) {
  const auto code = con->get_remote_close_code();
  std::string reason = "the broker closed the connection";
  if (code == websocketpp::close::status::abnormal_close) return "the connection dropped (broker stopped or crashed?)";
  if (code == websocketpp::close::status::going_away) reason += " (shutting down)";
  else if (code != websocketpp::close::status::normal && code != websocketpp::close::status::no_status)
    reason += " (code " + std::to_string(code) + (con->get_remote_close_reason().empty() ? "" : ": " + con->get_remote_close_reason()) + ")";
  return reason;
}

}  // namespace

struct SocketIoClientConnection::Impl {
  Impl(boost::asio::io_context& io, ConnectionEvents events) : io(io), events(std::move(events)), watchdog(io) {
    client.clear_access_channels(websocketpp::log::alevel::all);  // stdout belongs to the monitor's output
    client.clear_error_channels(websocketpp::log::elevel::all);
    client.init_asio(&io);
    client.set_open_handshake_timeout(5000);
    client.set_close_handshake_timeout(1000);
  }

  boost::asio::io_context& io;
  ConnectionEvents events;
  Client client;
  Client::connection_ptr con;
  boost::asio::steady_timer watchdog;
  std::string auth_json;
  std::chrono::milliseconds ping_deadline{kOpenPacketTimeout};
  std::uint64_t generation = 0;  ///< callbacks of an ended attempt carry an older one and are ignored
  bool active = false;
  bool closing = false;  ///< close() or a refusal: the end is expected, not a loss

  void open(const std::string& uri, const std::string& auth) {
    const std::uint64_t gen = ++generation;
    active = true;
    closing = false;
    auth_json = auth;
    websocketpp::lib::error_code ec;
    con = client.get_connection(uri, ec);
    if (ec) {
      boost::asio::post(io, [this, gen, why = "bad address " + uri + ": " + ec.message()] {
        if (gen == generation) end(why);
      });
      return;
    }
    con->set_open_handler([this, gen](connection_hdl) {
      if (gen == generation) arm_watchdog(kOpenPacketTimeout, "no Engine.IO open packet from the broker");
    });
    con->set_fail_handler([this, gen](connection_hdl h) {
      if (gen != generation) return;
      const auto c = client.get_con_from_hdl(h);
      // websocketpp reports socket errors as "Underlying Transport Error";
      // the socket's own error says what happened (connection refused...).
      const auto transport_ec = c->get_transport_ec();
      std::string why = transport_ec ? transport_ec.message() : c->get_ec().message();
      if (!transport_ec && c->get_ec() == websocketpp::transport::error::pass_through)
        why = "could not connect (nothing listening there, or the broker is not up yet)";
      if (const int status = c->get_response_code(); status != 0 && status != 101)
        why = "HTTP " + std::to_string(status) + " instead of a WebSocket upgrade (is this a hookbroker with transport_socketio?)";
      end(why);
    });
    con->set_close_handler([this, gen](connection_hdl h) {
      if (gen == generation) end(close_reason(client.get_con_from_hdl(h)));
    });
    con->set_message_handler([this, gen](connection_hdl, Client::message_ptr msg) {
      if (gen != generation || msg->get_opcode() != websocketpp::frame::opcode::text) return;  // binary: not for us
      on_text(msg->get_payload());
    });
    client.connect(con);
  }

  void close() {
    if (!active) {
      boost::asio::post(io, [this] {
        if (events.on_closed) events.on_closed();
      });
      return;
    }
    closing = true;
    websocketpp::lib::error_code ec;
    con->close(websocketpp::close::status::normal, "monitor exiting", ec);
    // Not open yet (still connecting): nothing to say goodbye to. websocketpp
    // would only notice a dropped socket at its own timeout, so end here.
    if (ec) abandon();
  }

  /// Ends the attempt now; whatever the old connection still does is ignored.
  void abandon() {
    if (!active) return;
    boost::system::error_code ignored;
    con->get_raw_socket().close(ignored);
    end("closed");
  }

  void end(const std::string& why) {
    if (!active) return;
    active = false;
    ++generation;
    watchdog.cancel();
    con.reset();
    if (closing) {
      closing = false;
      if (events.on_closed) events.on_closed();
    } else if (events.on_lost) {
      events.on_lost(why);
    }
  }

  /// Ends the attempt as lost and closes its connection with `code`.
  void fail(const std::string& why, websocketpp::close::status::value code) {
    if (!active) return;
    websocketpp::lib::error_code ec;
    con->close(code, why, ec);
    if (ec) {
      boost::system::error_code ignored;
      con->get_raw_socket().close(ignored);
    }
    end(why);
  }

  void arm_watchdog(std::chrono::milliseconds after, const char* why) {
    watchdog.expires_after(after);
    watchdog.async_wait([this, gen = generation, why](const boost::system::error_code& ec) {
      if (!ec && gen == generation) fail(why, websocketpp::close::status::going_away);
    });
  }

  void send(const std::string& text) {
    if (!active) return;
    if (const auto ec = con->send(text, websocketpp::frame::opcode::text)) fail("cannot send to the broker: " + ec.message(), websocketpp::close::status::abnormal_close);
  }

  void on_text(const std::string& text) {
    codec::EnginePacket packet;
    if (!codec::decode_engine_packet(text, packet))
      return fail("protocol error: not an Engine.IO packet", websocketpp::close::status::protocol_error);
    // Any packet shows the broker is alive; Engine.IO v4 clients expect a
    // ping at least every pingInterval + pingTimeout.
    if (packet.type != codec::EnginePacketType::Open)
      arm_watchdog(ping_deadline, "no ping from the broker in time (broker hung or network down)");
    switch (packet.type) {
      case codec::EnginePacketType::Open: {
        codec::EngineHandshake handshake;
        const std::string error = codec::parse_engine_handshake(packet.data, handshake);
        if (!error.empty()) return fail("protocol error: " + error, websocketpp::close::status::protocol_error);
        ping_deadline = std::chrono::milliseconds(handshake.ping_interval_ms + handshake.ping_timeout_ms);
        arm_watchdog(ping_deadline, "no ping from the broker in time (broker hung or network down)");
        return send(codec::encode_engine_packet(codec::EnginePacketType::Message, codec::encode_connect(auth_json)));
      }
      case codec::EnginePacketType::Ping:
        return send(codec::encode_engine_packet(codec::EnginePacketType::Pong, packet.data));
      case codec::EnginePacketType::Close:
        return fail("the broker closed the session", websocketpp::close::status::normal);
      case codec::EnginePacketType::Message:
        return on_socketio(packet.data);
      default:
        return;  // noop, pong, upgrade: nothing to do over a plain WebSocket
    }
  }

  void on_socketio(const std::string& text) {
    codec::Packet packet;
    const std::string error = codec::decode_packet(text, packet);
    if (!error.empty()) return fail("protocol error: " + error, websocketpp::close::status::protocol_error);
    if (packet.nsp != "/") return;
    switch (packet.type) {
      case codec::PacketType::Connect:
        if (events.on_joined) events.on_joined();
        return;
      case codec::PacketType::ConnectError: {
        const std::string message = text_of_message(packet.data);
        closing = true;  // expected end: the caller decides what a refusal means
        websocketpp::lib::error_code ec;
        con->close(websocketpp::close::status::normal, "refused", ec);
        if (events.on_refused) events.on_refused(message);
        if (ec) abandon();  // no-op if the handler already ended the attempt
        return;
      }
      case codec::PacketType::Event: {
        if (!packet.data.is_array() || packet.data.empty() || !packet.data.front().is_string()) return;
        const std::string name = packet.data.front().get<std::string>();
        packet.data.erase(packet.data.begin());
        if (events.on_event) events.on_event(name, packet.data);
        return;
      }
      case codec::PacketType::Disconnect:
        return fail("the broker disconnected this client", websocketpp::close::status::normal);
      default:
        return;  // acks and binary events: the monitor asks for neither
    }
  }

  static std::string text_of_message(const nlohmann::json& data) {
    if (data.is_object() && data.contains("message") && data["message"].is_string())
      return data["message"].get<std::string>();
    return data.is_null() ? "no reason given" : data.dump();
  }
};

SocketIoClientConnection::SocketIoClientConnection(boost::asio::io_context& io, ConnectionEvents events)
    : impl_(std::make_unique<Impl>(io, std::move(events))) {}

SocketIoClientConnection::~SocketIoClientConnection() = default;

void SocketIoClientConnection::open(const std::string& ws_uri, const std::string& auth_json) {
  impl_->open(ws_uri, auth_json);
}

void SocketIoClientConnection::close() { impl_->close(); }

bool SocketIoClientConnection::active() const { return impl_->active; }

}  // namespace hookbroker::monitor
