#include "engine_session.hpp"

#include <boost/asio/post.hpp>

#include "engine_responses.hpp"

namespace hookbroker::sio {
namespace {

using error_code = boost::system::error_code;

// How often a pending poll is answered with a noop while a WebSocket probe is
// being confirmed, so the client can finish the upgrade (reference: 100 ms).
constexpr std::chrono::milliseconds kUpgradeNoopEvery{100};

// How long a closed polling session keeps its id so the client's next poll
// can fetch the close packet (reference: the polling transport's closeTimeout).
constexpr std::chrono::seconds kCloseLinger{30};

std::shared_ptr<const std::string> packet_ptr(EnginePacketType type, std::string_view data = {}) {
  return std::make_shared<const std::string>(encode_engine_packet(type, data));
}

}  // namespace

const char* transport_name(EngineTransport t) {
  return t == EngineTransport::Polling ? "polling" : "websocket";
}

EngineSession::EngineSession(std::string sid, Strand& strand, const EngineOptions& options,
                             std::string remote)
    : sid_(std::move(sid)),
      strand_(strand),
      options_(options),
      remote_(std::move(remote)),
      ping_interval_timer_(strand),
      ping_timeout_timer_(strand),
      upgrade_timer_(strand),
      noop_timer_(strand),
      linger_timer_(strand) {}

EngineSession::~EngineSession() = default;

std::string EngineSession::handshake_packet() const {
  EngineHandshake h;
  h.sid = sid_;
  if (transport_ == EngineTransport::Polling) h.upgrades = {"websocket"};
  h.ping_interval_ms = options_.ping_interval.count();
  h.ping_timeout_ms = options_.ping_timeout.count();
  h.max_payload = static_cast<long long>(options_.max_payload);
  return encode_engine_handshake(h);
}

// ---- opening -----------------------------------------------------------------

void EngineSession::start_polling(HttpReply reply) {
  transport_ = EngineTransport::Polling;
  pending_poll_ = std::move(reply);
  enqueue(std::make_shared<const std::string>(handshake_packet()));
  flush();
  schedule_ping();
}

void EngineSession::start_websocket(std::shared_ptr<WsLink> link) {
  transport_ = EngineTransport::WebSocket;
  upgraded_ = true;  // nothing to upgrade to
  ws_ = std::move(link);
  ws_->send_text(handshake_packet());
  schedule_ping();
}

// ---- polling requests -----------------------------------------------------------

void EngineSession::handle_poll(HttpReply reply) {
  if (state_ == State::Closing) {
    // The close packet this client has been waiting for.
    reply(poll_response(std::move(closing_payload_)));
    release();
    return;
  }
  if (state_ == State::Closed) {
    reply(engine_error_response(EngineError::UnknownSid));
    return;
  }
  if (pending_poll_) {
    // Two polls at once: the reference treats it as a transport error.
    reply(bare_response(400));
    fail("transport error");
    return;
  }
  pending_poll_ = std::move(reply);
  flush();
}

void EngineSession::handle_post(const HttpRequest& request, HttpReply reply) {
  if (state_ != State::Open) {
    reply(engine_error_response(EngineError::UnknownSid));
    return;
  }
  if (request.header("content-type") == "application/octet-stream") {
    // Protocol v4 carries binary as base64 text on polling.
    reply(bare_response(400));
    fail("transport error");
    return;
  }
  if (request.body.size() > options_.max_payload) {
    reply(bare_response(413));
    return;
  }
  DecodedPayload payload = decode_engine_payload(request.body);
  auto self = shared_from_this();  // a packet may close and release us
  reply(post_ok_response());
  for (auto& packet : payload.packets) {
    if (state_ != State::Open) return;
    if (packet.type == EnginePacketType::Close) {
      if (pending_poll_) answer_poll(encode_engine_packet(EnginePacketType::Noop));
      fail("transport close");
      return;
    }
    on_packet(std::move(packet));
  }
  if (payload.error && state_ == State::Open) fail("parse error");
}

// ---- WebSocket ------------------------------------------------------------------

void EngineSession::begin_upgrade(std::shared_ptr<WsLink> link) {
  if (state_ != State::Open || upgraded_ || probe_ || transport_ != EngineTransport::Polling) {
    link->close();  // reference: "transport has already been (trying to be) upgraded"
    return;
  }
  probe_ = std::move(link);
  upgrade_timer_.get().expires_after(options_.upgrade_timeout);
  upgrade_timer_.get().async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    if (ec || !self || !self->probe_) return;
    self->cancel_upgrade();
  });
}

void EngineSession::handle_ws_frame(const WsLink& link, std::string payload, bool binary) {
  if (state_ != State::Open) return;
  if (probe_ && &link == probe_.get()) {
    on_probe_frame(std::move(payload), binary);
    return;
  }
  if (!ws_ || &link != ws_.get()) return;
  if (binary) {
    EnginePacket packet;
    packet.type = EnginePacketType::Message;
    packet.binary = true;
    packet.data = std::move(payload);
    on_packet(std::move(packet));
    return;
  }
  EnginePacket packet;
  if (!decode_engine_packet(payload, packet)) {
    fail("parse error");
    return;
  }
  if (packet.type == EnginePacketType::Close) {
    fail("transport close");
    return;
  }
  on_packet(std::move(packet));
}

void EngineSession::handle_ws_closed(const WsLink& link) {
  if (probe_ && &link == probe_.get()) {
    cancel_upgrade();
    return;
  }
  if (ws_ && &link == ws_.get() && state_ != State::Closed) fail("transport close");
}

void EngineSession::on_probe_frame(std::string payload, bool binary) {
  if (!binary && payload == "2probe") {
    probe_->send_text("3probe");
    arm_upgrade_noop();
    return;
  }
  if (!binary && payload == "5") {
    finish_upgrade();
    return;
  }
  cancel_upgrade();  // anything else aborts the upgrade, as the reference does
}

void EngineSession::arm_upgrade_noop() {
  // While the probe is confirmed, answer the pending poll with a noop every
  // 100 ms so the client can pause polling and send the upgrade packet.
  noop_timer_.get().expires_after(kUpgradeNoopEvery);
  noop_timer_.get().async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    if (ec || !self || !self->probe_ || self->state_ != State::Open) return;
    if (self->pending_poll_) self->answer_poll(encode_engine_packet(EnginePacketType::Noop));
    self->arm_upgrade_noop();
  });
}

void EngineSession::finish_upgrade() {
  upgrade_timer_.cancel();
  noop_timer_.cancel();
  ws_ = std::move(probe_);
  probe_.reset();
  upgraded_ = true;
  transport_ = EngineTransport::WebSocket;
  // The polling transport is discarded: release its pending poll, then move
  // whatever it had not delivered to the WebSocket, in order.
  if (pending_poll_) answer_poll(encode_engine_packet(EnginePacketType::Noop));
  for (const auto& encoded : outbox_) {
    // Polling carries binary as "b<base64>"; WebSocket as a binary frame.
    if (!encoded->empty() && encoded->front() == 'b')
      ws_->send_binary(base64_decode(std::string_view(*encoded).substr(1)));
    else
      ws_->send_text(*encoded);
  }
  outbox_.clear();
  outbox_bytes_ = 0;
}

void EngineSession::cancel_upgrade() {
  upgrade_timer_.cancel();
  noop_timer_.cancel();
  if (probe_) {
    auto probe = std::move(probe_);
    probe_.reset();
    probe->close();
  }
}

// ---- packets ----------------------------------------------------------------

void EngineSession::on_packet(EnginePacket&& packet) {
  if (state_ != State::Open) return;
  if (awaiting_pong_ && !pong_deadline_refreshed_ && packet.type != EnginePacketType::Pong) {
    // Traffic while waiting for a pong proves the client alive: extend the
    // deadline once, as the reference does.
    pong_deadline_refreshed_ = true;
    ping_timeout_timer_.expires_after(options_.ping_timeout);
    ping_timeout_timer_.async_wait([weak = weak_from_this()](error_code ec) {
      auto self = weak.lock();
      if (!ec && self && self->awaiting_pong_) self->fail("ping timeout");
    });
  }
  switch (packet.type) {
    case EnginePacketType::Ping:
      fail("transport error");  // v4: only the server pings
      return;
    case EnginePacketType::Pong:
      awaiting_pong_ = false;
      ping_timeout_timer_.cancel();
      schedule_ping();
      return;
    case EnginePacketType::Message:
      if (on_message) on_message(std::move(packet));
      return;
    default:
      return;  // open, upgrade, noop: nothing to do
  }
}

// ---- heartbeat --------------------------------------------------------------------

void EngineSession::schedule_ping() {
  ping_interval_timer_.expires_after(options_.ping_interval);
  ping_interval_timer_.async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    if (!ec && self && self->state_ == State::Open) self->send_ping();
  });
}

void EngineSession::send_ping() {
  awaiting_pong_ = true;
  pong_deadline_refreshed_ = false;
  if (transport_ == EngineTransport::WebSocket) {
    ws_->send_text(encode_engine_packet(EnginePacketType::Ping));
  } else {
    // Control packets are not held to the send-queue bound.
    outbox_.push_back(packet_ptr(EnginePacketType::Ping));
    outbox_bytes_ += 1;
    schedule_flush();
  }
  ping_timeout_timer_.expires_after(options_.ping_timeout);
  ping_timeout_timer_.async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    if (!ec && self && self->awaiting_pong_) self->fail("ping timeout");
  });
}

// ---- sending -----------------------------------------------------------------

std::size_t EngineSession::queued_bytes() const {
  return transport_ == EngineTransport::WebSocket && ws_ ? ws_->buffered_bytes() : outbox_bytes_;
}

bool EngineSession::has_room(std::size_t queued, std::size_t size) const {
  // send_queue_bytes bounds a backlog: a client that is keeping up (nothing
  // queued) takes any one message, so a single big event or reply cannot get
  // every client dropped as a slow reader.
  return queued == 0 || queued + size <= options_.send_queue_bytes;
}

bool EngineSession::send_text(const std::string& text) {
  if (state_ != State::Open) return true;
  if (transport_ == EngineTransport::WebSocket) {
    if (!has_room(ws_->buffered_bytes(), text.size() + 1)) return false;
    ws_->send_text(encode_engine_packet(EnginePacketType::Message, text));
    return true;
  }
  return enqueue(packet_ptr(EnginePacketType::Message, text));
}

bool EngineSession::send_binary(const std::string& bytes) {
  if (state_ != State::Open) return true;
  if (transport_ == EngineTransport::WebSocket) {
    if (!has_room(ws_->buffered_bytes(), bytes.size())) return false;
    ws_->send_binary(bytes);
    return true;
  }
  return enqueue(std::make_shared<const std::string>(encode_binary_for_polling(bytes)));
}

bool EngineSession::send_shared(const OutboundRun& run) {
  if (state_ != State::Open) return true;
  if (transport_ == EngineTransport::WebSocket) {
    if (!has_room(ws_->buffered_bytes(), run.bytes)) return false;
    ws_->send_shared(run);
    return true;
  }
  if (!has_room(outbox_bytes_, run.bytes)) return false;
  for (const auto& text : run.texts) {
    outbox_bytes_ += text->size();
    outbox_.push_back(text);
  }
  // A run is a batch already (BroadcastCoalescer): a waiting poll takes it
  // in this strand turn, not in one more.
  flush();
  return true;
}

bool EngineSession::enqueue(std::shared_ptr<const std::string> encoded) {
  if (!has_room(outbox_bytes_, encoded->size())) return false;
  outbox_bytes_ += encoded->size();
  outbox_.push_back(std::move(encoded));
  schedule_flush();
  return true;
}

void EngineSession::schedule_flush() {
  // Packets queued in one strand turn (a burst of broadcasts) leave together.
  if (flush_scheduled_ || !pending_poll_) return;
  flush_scheduled_ = true;
  boost::asio::post(strand_, [weak = weak_from_this()] {
    if (auto self = weak.lock()) {
      self->flush_scheduled_ = false;
      self->flush();
    }
  });
}

void EngineSession::flush() {
  if (!pending_poll_ || outbox_.empty()) return;
  answer_poll(take_outbox());
}

std::string EngineSession::take_outbox() {
  std::string payload;
  payload.reserve(outbox_bytes_ + outbox_.size());
  for (const auto& encoded : outbox_) {
    if (!payload.empty()) payload += kRecordSeparator;
    payload += *encoded;
  }
  outbox_.clear();
  outbox_bytes_ = 0;
  return payload;
}

void EngineSession::answer_poll(std::string payload) {
  HttpReply reply = std::move(pending_poll_);
  pending_poll_ = nullptr;
  reply(poll_response(std::move(payload)));
}

// ---- closing --------------------------------------------------------------------

void EngineSession::close() {
  if (state_ != State::Open) return;
  cancel_upgrade();
  if (transport_ == EngineTransport::WebSocket) {
    ws_->close();
    closed("forced close");
    release();
    return;
  }
  // As the reference: what is queued leaves first, then the close packet
  // (a CONNECT_ERROR before the close that follows it, for one).
  std::string farewell = take_outbox();
  if (!farewell.empty()) farewell += kRecordSeparator;
  farewell += encode_engine_packet(EnginePacketType::Close);
  if (pending_poll_) {
    answer_poll(std::move(farewell));
    closed("forced close");
    release();
    return;
  }
  // Keep the id until the client polls for its close packet.
  closing_payload_ = std::move(farewell);
  closed("forced close");
  state_ = State::Closing;
  linger_timer_.get().expires_after(kCloseLinger);
  linger_timer_.get().async_wait([weak = weak_from_this()](error_code ec) {
    auto self = weak.lock();
    if (!ec && self) self->release();
  });
}

void EngineSession::abort(const std::string& reason) {
  if (state_ != State::Open) return;
  cancel_upgrade();
  if (transport_ == EngineTransport::WebSocket) {
    ws_->abort(reason);
  } else if (pending_poll_) {
    answer_poll(encode_engine_packet(EnginePacketType::Close));
  }
  closed(reason);
  release();
}

void EngineSession::fail(const std::string& reason) {
  if (state_ != State::Open) return;
  cancel_upgrade();
  if (transport_ == EngineTransport::WebSocket) {
    if (ws_) ws_->close();
  } else if (pending_poll_) {
    answer_poll(encode_engine_packet(EnginePacketType::Close));
  }
  closed(reason);
  release();
}

void EngineSession::closed(const std::string& reason) {
  state_ = State::Closed;
  awaiting_pong_ = false;
  ping_interval_timer_.cancel();
  ping_timeout_timer_.cancel();
  outbox_.clear();
  outbox_bytes_ = 0;
  if (on_close) {
    auto callback = std::move(on_close);
    on_close = nullptr;
    callback(reason);
  }
}

void EngineSession::release() {
  state_ = State::Closed;
  linger_timer_.cancel();
  if (released_) return;
  released_ = true;
  if (ws_) ws_->session.reset();
  if (on_released) {
    auto callback = std::move(on_released);
    on_released = nullptr;
    callback();
  }
}

}  // namespace hookbroker::sio
