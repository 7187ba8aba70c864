#include "socketio_client.hpp"

#include <array>
#include <random>

#include "hookbroker/time.hpp"

namespace hookbroker::sio {

std::string random_id() {
  // 15 random bytes as 20 URL-safe base64 characters, the shape of the
  // reference's ids. The generator is seeded once per thread from the OS.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string id(20, 'A');
  std::uint64_t bits = 0;
  int available = 0;
  for (char& c : id) {
    if (available < 6) {
      bits = generator();
      available = 64;
    }
    c = kAlphabet[bits & 63];
    bits >>= 6;
    available -= 6;
  }
  return id;
}

SocketIoClient::SocketIoClient(std::shared_ptr<EngineSession> engine, SocketIoHandler& handler,
                               Strand& strand, std::chrono::milliseconds connect_timeout,
                               std::size_t max_auth_failures, DecodeLimits limits)
    : engine_(std::move(engine)),
      handler_(handler),
      strand_(strand),
      connect_timeout_(connect_timeout),
      max_auth_failures_(max_auth_failures),
      limits_(limits),
      connect_timer_(strand) {
  info_.id = engine_->sid();
  info_.remote = engine_->remote();
  info_.transport = transport_name(engine_->transport());
}

void SocketIoClient::start() {
  std::weak_ptr<SocketIoClient> weak = weak_from_this();
  engine_->on_message = [weak](EnginePacket&& message) {
    if (auto self = weak.lock()) self->on_message(std::move(message));
  };
  engine_->on_close = [weak](const std::string& reason) {
    if (auto self = weak.lock()) self->engine_closed(reason);
  };
  connect_timer_.get().expires_after(connect_timeout_);
  connect_timer_.get().async_wait([weak](boost::system::error_code ec) {
    auto self = weak.lock();
    // As the reference: a client that joined no namespace in time is closed.
    if (!ec && self && !self->connected_ && self->engine_->is_open()) self->engine_->close();
  });
}

void SocketIoClient::on_message(EnginePacket&& message) {
  if (message.binary) {
    if (!assembler_) return protocol_error("got binary data when not reconstructing a packet");
    if (assembler_->add(std::move(message.data))) {
      std::vector<std::string> attachments = assembler_->take_attachments();
      Packet packet = assembler_->take_packet();
      assembler_.reset();
      dispatch(std::move(packet), std::move(attachments));
    }
    return;
  }
  if (assembler_) return protocol_error("got plaintext data when reconstructing a packet");
  Packet packet;
  const std::string error = decode_packet(message.data, packet, limits_);
  if (!error.empty()) return protocol_error(error);
  if (packet.type == PacketType::BinaryEvent || packet.type == PacketType::BinaryAck) {
    assembler_ = std::make_unique<BinaryAssembler>();
    assembler_->begin(std::move(packet));
    return;
  }
  dispatch(std::move(packet), {});
}

void SocketIoClient::dispatch(Packet&& packet, std::vector<std::string> attachments) {
  const bool joined = connected_ && packet.nsp == "/";
  if (!joined && packet.type == PacketType::Connect) return connect(packet);
  if (!joined || packet.type == PacketType::Connect || packet.type == PacketType::ConnectError)
    return protocol_error("packet type " + std::to_string(static_cast<int>(packet.type)) +
                          " not valid for namespace " + packet.nsp + " in this state");

  switch (packet.type) {
    case PacketType::Event:
    case PacketType::BinaryEvent: {
      if (!packet.data.is_array() || packet.data.empty()) return;  // no name: nothing to do
      ClientEvent event;
      const auto& name = packet.data.front();
      event.name = name.is_string() ? name.get<std::string>() : name.dump();
      event.args_json = event_arguments_json(packet.json);
      event.args = std::move(packet.data);
      event.args.erase(event.args.begin());
      event.attachments = std::move(attachments);
      event.ack_id = packet.id;
      handler_.on_event(shared_from_this(), std::move(event));
      return;
    }
    case PacketType::Disconnect:
      connected_ = false;
      handler_.on_disconnect(*this, "client namespace disconnect");
      return;
    default:
      return;  // ACKs: the server never asks clients for one
  }
}

void SocketIoClient::connect(const Packet& packet) {
  if (packet.nsp != "/") {
    Packet error;
    error.type = PacketType::ConnectError;
    error.nsp = packet.nsp;
    error.json = R"({"message":"Invalid namespace"})";
    send(encode_packet(error));
    return;
  }
  const std::string refusal =
      handler_.authorize(packet.data.is_object() ? packet.data : nlohmann::json::object(), info_.remote);
  if (!refusal.empty()) {
    Packet error;
    error.type = PacketType::ConnectError;
    error.json = nlohmann::json{{"message", refusal}}.dump();
    send(encode_packet(error));
    // Retrying on the same connection is allowed (the stock client does it
    // with new credentials), guessing at wire speed is not.
    if (max_auth_failures_ != 0 && ++auth_failures_ >= max_auth_failures_) engine_->close();
    return;
  }
  connect_timer_.release();
  handler_.before_join();
  connected_ = true;
  info_.id = random_id();
  info_.transport = transport_name(engine_->transport());
  info_.connected_at = now_iso8601_utc();
  Packet ok;
  ok.type = PacketType::Connect;
  ok.json = "{\"sid\":\"" + info_.id + "\"}";
  send(encode_packet(ok));
  handler_.on_connect(shared_from_this());
}

void SocketIoClient::emit(std::string_view event, std::string_view args_json) {
  send(encode_event(event, args_json));
}

void SocketIoClient::ack(std::uint64_t id, std::string_view args_json,
                         const std::vector<std::string>& attachments) {
  send(encode_ack(id, args_json, attachments.size()));
  for (const auto& bytes : attachments) {
    if (!engine_->is_open()) return;
    if (!engine_->send_binary(bytes)) return handler_.on_send_queue_full(*this);
  }
}

void SocketIoClient::deliver(const OutboundRun& run) {
  if (!engine_->send_shared(run)) handler_.on_send_queue_full(*this);
}

void SocketIoClient::send(const std::string& text) {
  if (!engine_->send_text(text)) handler_.on_send_queue_full(*this);
}

void SocketIoClient::close() { engine_->close(); }

void SocketIoClient::protocol_error(const std::string& what) {
  assembler_.reset();
  handler_.on_protocol_error(*this, what);
  engine_->close();
}

void SocketIoClient::engine_closed(const std::string& reason) {
  connect_timer_.cancel();
  assembler_.reset();
  if (connected_) {
    connected_ = false;
    handler_.on_disconnect(*this, reason);
  }
  handler_.on_session_closed(*this);
}

}  // namespace hookbroker::sio
