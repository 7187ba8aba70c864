#include "ws_connection.hpp"

#include <sys/socket.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>

namespace hookbroker::sio {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

namespace {

/// At most this many frames per write of the backlog.
constexpr std::size_t kMaxBuffersPerWrite = 64;

}  // namespace

WsConnection::WsConnection(asio::ip::tcp::socket socket, std::shared_ptr<WsContext> context,
                           AcceptLoop::Ticket ticket, std::string remote)
    : socket_(std::move(socket)),
      context_(std::move(context)),
      ticket_(std::move(ticket)),
      remote_(std::move(remote)),
      reader_(context_->max_message_bytes) {}

WsConnection::~WsConnection() = default;

bool WsConnection::start(const std::string& handshake_answer, std::string already_read,
                         const std::function<void(const std::shared_ptr<WsLink>&)>& opened) {
  error_code ec;
  // Small frames (acks, events) must leave at once, not wait for Nagle and
  // the client's delayed ACK.
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  context_->open.emplace(this, weak_from_this());
  push(std::make_shared<const PreparedFrame>(PreparedFrame{handshake_answer}));
  if (closed_) return false;
  announced_ = true;
  opened(shared_from_this());
  if (!already_read.empty()) consume(already_read.data(), already_read.size());
  read();
  return true;
}

// ---- sending --------------------------------------------------------------

void WsConnection::send_text(const std::string& text) {
  if (close_sent_ || closed_) return;
  if (auto frame = ws_codec::text_frame(text)) push(std::move(frame));
}

void WsConnection::send_binary(const std::string& bytes) {
  if (close_sent_ || closed_) return;
  push(ws_codec::binary_frame(bytes));
}

void WsConnection::send_shared(const OutboundRun& run) {
  if (close_sent_ || closed_) return;
  if (!run.frames) run.frames = ws_codec::run_frames(run);
  if (run.frames) push(run.frames);
}

void WsConnection::push(Frame frame) {
  if (closed_) return;
  const std::size_t size = frame->bytes.size();
  std::size_t written = 0;
  if (!writing_ && head_ == queue_.size()) {
    // Nothing queued: straight to the socket, without blocking.
    const ssize_t n = ::send(socket_.native_handle(), frame->bytes.data(), size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return terminate();
    written = n > 0 ? static_cast<std::size_t>(n) : 0;
    if (written == size) return flushed();
    offset_ = written;
  }
  queue_.push_back(std::move(frame));
  buffered_ += size - written;
  write_backlog();
}

void WsConnection::write_backlog() {
  if (writing_ || closed_ || head_ == queue_.size()) return;
  // Asio's write tries the socket at once and otherwise waits for room; its
  // reactor keeps the readiness that an own wait could miss between a failed
  // send and the wait.
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(std::min(queue_.size() - head_, kMaxBuffersPerWrite));
  for (std::size_t i = head_; i < queue_.size() && buffers.size() < kMaxBuffersPerWrite; ++i) {
    const std::string& bytes = queue_[i]->bytes;
    const std::size_t skip = i == head_ ? offset_ : 0;
    buffers.emplace_back(bytes.data() + skip, bytes.size() - skip);
  }
  in_flight_ = buffers.size();
  writing_ = true;
  socket_.async_write_some(buffers, asio::bind_executor(context_->strand, [self = shared_from_this()](
                                                                              const error_code& ec, std::size_t n) {
                             self->on_written(ec, n);
                           }));
}

void WsConnection::on_written(const error_code& ec, std::size_t n) {
  writing_ = false;
  in_flight_ = 0;
  if (closed_) return;
  if (ec) return terminate();
  while (n > 0 && head_ < queue_.size()) {
    const std::size_t left = queue_[head_]->bytes.size() - offset_;
    const std::size_t taken = std::min(n, left);
    n -= taken;
    buffered_ -= taken;
    offset_ += taken;
    if (taken == left) {
      queue_[head_++].reset();
      offset_ = 0;
    }
  }
  if (head_ < queue_.size()) return write_backlog();
  // Empty: give the memory of a burst back.
  std::vector<Frame>().swap(queue_);
  head_ = 0;
  flushed();
}

// ---- closing ----------------------------------------------------------------

void WsConnection::close() { begin_close(ws_codec::kNoStatus, "", kCloseTimeout); }

void WsConnection::going_away() { begin_close(ws_codec::kGoingAway, "server shutdown", kCloseTimeout); }

void WsConnection::abort(const std::string& reason) {
  if (close_sent_ || closed_) return;
  // What the client did not take is dropped: only the frames a write is
  // under way for (or begun) must still leave whole, before the close frame.
  const std::size_t keep = head_ + (writing_ ? in_flight_ : (offset_ > 0 ? 1 : 0));
  for (std::size_t i = keep; i < queue_.size(); ++i) buffered_ -= queue_[i]->bytes.size();
  queue_.resize(std::min(keep, queue_.size()));
  begin_close(ws_codec::kPolicyViolation, reason, kAbortTimeout);
}

void WsConnection::begin_close(std::uint16_t code, const std::string& reason, std::chrono::milliseconds timeout) {
  if (close_sent_ || closed_) return;
  close_sent_ = true;
  close_timer_ = std::make_unique<asio::steady_timer>(context_->strand, timeout);
  close_timer_->async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec) self->terminate();
  });
  push(ws_codec::close_frame(code, reason));
}

void WsConnection::flushed() {
  if (!close_sent_ || closed_) return;
  if (close_received_) return terminate();  // the handshake is complete: the server closes TCP first
  if (draining_) {
    // After a protocol error nothing more is read as frames: the close frame
    // is out, end the connection's sending side and wait for the client's
    // end (or the timeout).
    error_code ec;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  }
}

void WsConnection::terminate() {
  if (closed_) return;
  closed_ = true;
  if (close_timer_) close_timer_->cancel();
  error_code ec;
  socket_.close(ec);  // pending operations end with operation_aborted
  if (!writing_) std::vector<Frame>().swap(queue_);
  head_ = offset_ = buffered_ = 0;
  ticket_.reset();
  context_->open.erase(this);
  // Later, not from here: a send that finds the client gone ends here,
  // inside the engine's loop over its sessions.
  if (announced_ && context_->on_close)
    asio::post(context_->strand, [self = shared_from_this()] { self->context_->on_close(self); });
}

// ---- reading ------------------------------------------------------------------

void WsConnection::read() {
  if (reading_ || closed_) return;
  reading_ = true;
  socket_.async_read_some(asio::buffer(buffer_),
                          asio::bind_executor(context_->strand, [self = shared_from_this()](const error_code& ec,
                                                                                             std::size_t n) {
                            self->on_read(ec, n);
                          }));
}

void WsConnection::on_read(const error_code& ec, std::size_t n) {
  reading_ = false;
  if (closed_) return;
  if (ec) return terminate();  // the client left (EOF) or the connection broke
  if (!draining_) consume(buffer_.data(), n);
  read();
}

void WsConnection::consume(char* data, std::size_t size) {
  ws_codec::FrameReader::Message message;
  while (size > 0 && !closed_ && !draining_) {
    std::size_t used = 0;
    switch (reader_.next(data, size, used, message)) {
      case ws_codec::FrameReader::Step::NeedMore:
        break;
      case ws_codec::FrameReader::Step::Message:
        on_frame(message);
        break;
      case ws_codec::FrameReader::Step::Error:
        draining_ = true;
        if (close_sent_) return terminate();
        begin_close(reader_.error_code(), reader_.error_text(), kAbortTimeout);
        return;
    }
    data += used;
    size -= used;
  }
}

void WsConnection::on_frame(ws_codec::FrameReader::Message& message) {
  using Kind = ws_codec::FrameReader::Kind;
  switch (message.kind) {
    case Kind::Text:
    case Kind::Binary:
      // After a close frame the client's data is too late (RFC 6455 5.5.1).
      if (close_sent_ || !context_->on_message) return;
      context_->on_message(shared_from_this(), std::move(message.payload), message.kind == Kind::Binary);
      return;
    case Kind::Ping:
      if (!close_sent_) push(ws_codec::pong_frame(message.payload));
      return;
    case Kind::Pong:
      return;  // Engine.IO pings at its own level; nothing waits for these
    case Kind::Close:
      close_received_ = true;
      if (close_sent_) {
        // The answer to ours: done once what is queued has left.
        if (!writing_ && head_ == queue_.size()) terminate();
        return;
      }
      // Echo the client's code (RFC 6455 5.5.1), then close TCP once it is out.
      begin_close(message.close_code, "", kCloseTimeout);
      return;
  }
}

}  // namespace hookbroker::sio
