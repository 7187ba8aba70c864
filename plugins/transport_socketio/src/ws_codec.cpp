#include "ws_codec.hpp"

#include <algorithm>
#include <memory>

#include <websocketpp/close.hpp>
#include <websocketpp/config/core.hpp>
#include <websocketpp/processors/hybi13.hpp>

namespace hookbroker::sio::ws_codec {
namespace {

/// What a message's payload reserves up front at most. The library reserves
/// the size a client's frame header declares (up to max_payload) before a
/// byte of it arrives; a client that sends only headers would hold that
/// much per connection. Past this the payload grows as its bytes arrive.
constexpr std::size_t kMaxReservedBytes = 4096;

/// websocketpp's per-connection message manager (message_buffer/alloc.hpp)
/// with each message's reservation capped at kMaxReservedBytes.
template <typename MessageType>
class CappedMessageManager : public std::enable_shared_from_this<CappedMessageManager<MessageType>> {
 public:
  using type = CappedMessageManager<MessageType>;
  using ptr = std::shared_ptr<CappedMessageManager>;
  using weak_ptr = std::weak_ptr<CappedMessageManager>;
  using message_ptr = typename MessageType::ptr;

  message_ptr get_message() { return std::make_shared<MessageType>(this->shared_from_this()); }
  message_ptr get_message(websocketpp::frame::opcode::value op, std::size_t size) {
    return std::make_shared<MessageType>(this->shared_from_this(), op, std::min(size, kMaxReservedBytes));
  }
  /// Messages are not recycled: false tells the library to free them.
  bool recycle(MessageType*) { return false; }
};

struct Config : websocketpp::config::core {
  using message_type = websocketpp::message_buffer::message<CappedMessageManager>;
  using con_msg_manager_type = CappedMessageManager<message_type>;
};

using MessagePtr = Config::message_type::ptr;
using websocketpp::frame::opcode::value;

/// The processor, with its handshake-key function (protected there) in
/// reach.
class Processor : public websocketpp::processor::hybi13<Config> {
 public:
  using hybi13::hybi13;
  using hybi13::process_handshake_key;

  /// Gives back what a continuation frame's header made the message being
  /// read reserve (the library reserves it on the payload directly, past the
  /// message manager) beyond the bytes that arrived. The string grows by
  /// doubling, so only a header declaring more than half the bytes read so
  /// far passes 3x; a frame delivers what it declared before the next one
  /// begins, so each trim follows 1.5x growth: O(log size) copies a message.
  void release_unfilled_reservation() {
    if (!m_data_msg.msg_ptr) return;
    std::string& payload = m_data_msg.msg_ptr->get_raw_payload();
    if (payload.capacity() > 3 * payload.size() + kMaxReservedBytes) payload.shrink_to_fit();
  }
};

/// What framing needs of the library's per-connection objects, shared: the
/// message manager holds no state, and a server never masks, so the random
/// source is never read.
struct Shared {
  Config::con_msg_manager_type::ptr manager = std::make_shared<Config::con_msg_manager_type>();
  Config::rng_type rng;
  Processor framer{false, true, manager, rng};
};

Shared& shared() {
  // Used on the plugin's strand and, for accept_key(), on the front's
  // threads: framing reads only constant state of the processor.
  static Shared s;
  return s;
}

std::shared_ptr<const PreparedFrame> as_prepared(const MessagePtr& framed) {
  auto out = std::make_shared<PreparedFrame>();
  out->bytes.reserve(framed->get_header().size() + framed->get_payload().size());
  out->bytes += framed->get_header();
  out->bytes += framed->get_payload();
  return out;
}

/// The frame for `payload` (header and payload), or nullptr (text that is
/// not UTF-8).
MessagePtr frame(const std::string& payload, value op) {
  Shared& s = shared();
  auto in = s.manager->get_message(op, payload.size());
  in->set_payload(payload);
  auto out = s.manager->get_message(op, payload.size() + 14);
  if (s.framer.prepare_data_frame(in, out)) return nullptr;
  return out;
}

}  // namespace

std::shared_ptr<const PreparedFrame> text_frame(const std::string& text) {
  const auto framed = frame(text, websocketpp::frame::opcode::text);
  return framed ? as_prepared(framed) : nullptr;
}

std::shared_ptr<const PreparedFrame> binary_frame(const std::string& bytes) {
  return as_prepared(frame(bytes, websocketpp::frame::opcode::binary));
}

std::shared_ptr<const PreparedFrame> close_frame(std::uint16_t code, const std::string& reason) {
  Shared& s = shared();
  auto out = s.manager->get_message(websocketpp::frame::opcode::close, reason.size() + 16);
  if (code == kNoStatus || s.framer.prepare_close(code, reason.substr(0, 123), out))
    s.framer.prepare_close(websocketpp::close::status::no_status, "", out);
  return as_prepared(out);
}

std::shared_ptr<const PreparedFrame> pong_frame(const std::string& payload) {
  Shared& s = shared();
  auto out = s.manager->get_message(websocketpp::frame::opcode::pong, payload.size() + 2);
  // A ping's payload is at most 125 bytes (the reader refuses longer ones).
  s.framer.prepare_pong(payload, out);
  return as_prepared(out);
}

std::shared_ptr<const PreparedFrame> run_frames(const OutboundRun& run) {
  if (run.texts.size() == 1) return text_frame(*run.texts.front());
  auto out = std::make_shared<PreparedFrame>();
  out->bytes.reserve(run.bytes + run.texts.size() * 10);
  for (const auto& text : run.texts) {
    const auto framed = frame(*text, websocketpp::frame::opcode::text);
    if (!framed) continue;
    out->bytes += framed->get_header();
    out->bytes += framed->get_payload();
  }
  if (out->bytes.empty()) return nullptr;
  return out;
}

std::string accept_key(const std::string& client_key) {
  std::string key = client_key;
  shared().framer.process_handshake_key(key);
  return key;
}

struct FrameReader::Impl {
  explicit Impl(std::size_t max_message_bytes) : processor(false, true, shared().manager, shared().rng) {
    processor.set_max_message_size(max_message_bytes);
  }
  Processor processor;
};

FrameReader::FrameReader(std::size_t max_message_bytes) : impl_(std::make_unique<Impl>(max_message_bytes)) {}

FrameReader::~FrameReader() = default;

FrameReader::Step FrameReader::next(char* data, std::size_t size, std::size_t& used, Message& out) {
  used = 0;
  if (error_code_) return Step::Error;
  Processor& p = impl_->processor;
  websocketpp::lib::error_code ec;
  used = p.consume(reinterpret_cast<std::uint8_t*>(data), size, ec);
  p.release_unfilled_reservation();
  if (ec) {
    error_code_ = websocketpp::processor::error::to_ws(ec);
    if (error_code_ == websocketpp::close::status::blank) error_code_ = kProtocolError;
    error_text_ = ec.message();
    return Step::Error;
  }
  if (!p.ready()) return Step::NeedMore;
  const MessagePtr message = p.get_message();
  out.close_code = kNoStatus;
  switch (message->get_opcode()) {
    case websocketpp::frame::opcode::text:
      out.kind = Kind::Text;
      break;
    case websocketpp::frame::opcode::binary:
      out.kind = Kind::Binary;
      break;
    case websocketpp::frame::opcode::ping:
      out.kind = Kind::Ping;
      break;
    case websocketpp::frame::opcode::pong:
      out.kind = Kind::Pong;
      break;
    case websocketpp::frame::opcode::close: {
      out.kind = Kind::Close;
      websocketpp::lib::error_code close_ec;
      const auto code = websocketpp::close::extract_code(message->get_payload(), close_ec);
      if (!close_ec) {
        out.payload = websocketpp::close::extract_reason(message->get_payload(), close_ec);
        out.close_code = code == websocketpp::close::status::no_status ? std::uint16_t{kNoStatus} : code;
      }
      if (close_ec) {
        error_code_ = kProtocolError;
        error_text_ = "invalid close frame: " + close_ec.message();
        return Step::Error;
      }
      return Step::Message;
    }
    default:
      error_code_ = kProtocolError;
      error_text_ = "unexpected opcode";
      return Step::Error;
  }
  out.payload = std::move(message->get_raw_payload());
  return Step::Message;
}

}  // namespace hookbroker::sio::ws_codec
