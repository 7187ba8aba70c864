#include "http_front.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <optional>

#include "chunked_body.hpp"
#include "http_framing/field_text.hpp"
#include "http_framing/request_head.hpp"

namespace hookbroker::sio {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

/// After the last answer on a connection, what the client still sends is
/// read and dropped for this long (or this much) before the socket closes:
/// closing with unread bytes resets the connection, and a reset can destroy
/// the answer before the client has read it (the early 413).
constexpr std::chrono::milliseconds kLingerTime{1000};
constexpr std::size_t kLingerBytes = 1 << 20;

/// 1xx, 204 and 304 answers have no body and no Content-Length (RFC 9110 8.6).
bool bodyless_status(int status) { return status < 200 || status == 204 || status == 304; }

/// Framing is the front's: a handler's own framing headers are not sent.
bool framing_header(const std::string& name) {
  const std::string lower = http_framing::ascii_lower(name);
  return lower == "connection" || lower == "content-length" || lower == "transfer-encoding" || lower == "keep-alive";
}

std::string remote_of(const tcp::socket& socket) {
  error_code ec;
  const auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

std::string_view view(boost::beast::string_view text) { return {text.data(), text.size()}; }

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

class FrontConnection : public std::enable_shared_from_this<FrontConnection> {
 public:
  FrontConnection(tcp::socket socket, AcceptLoop::Ticket ticket, std::shared_ptr<const HttpFrontConfig> config)
      : socket_(std::move(socket)),
        strand_(asio::make_strand(socket_.get_executor())),
        timer_(strand_),
        ticket_(std::move(ticket)),
        config_(std::move(config)),
        limits_(config_->limits),
        remote_(remote_of(socket_)) {}

  void start() {
    error_code ec;
    // Answers are small and must leave at once, not wait for Nagle and the
    // client's delayed ACK.
    socket_.set_option(tcp::no_delay(true), ec);
    asio::dispatch(strand_, [self = shared_from_this()] { self->next_request(); });
  }

 private:
  enum class Phase { Head, Body, Handling, Writing, Closing, Gone };
  enum class Timeout { Idle, Request, Write, Linger };

  // ---- reading a request ------------------------------------------------

  void next_request() {
    phase_ = Phase::Head;
    searched_ = 0;
    request_ = HttpRequest{};
    version_ = 11;
    keep_alive_ = false;
    head_method_ = false;
    expects_continue_ = false;
    framing_ = http_framing::BodyFraming::None;
    chunked_.reset();
    if (in_.empty())
      arm(limits_.idle_timeout, Timeout::Idle);
    else
      arm(limits_.request_timeout, Timeout::Request);
    parse();
  }

  void read_more() {
    if (reading_) return;
    reading_ = true;
    socket_.async_read_some(asio::buffer(chunk_),
                            asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec,
                                                                                      std::size_t n) {
                              self->on_read(ec, n);
                            }));
  }

  void on_read(const error_code& ec, std::size_t n) {
    reading_ = false;
    if (phase_ != Phase::Head && phase_ != Phase::Body) return;  // timed out meanwhile
    if (ec) return close_now();  // the client left (between requests, or cutting one off: nobody to answer)
    in_.append(chunk_.data(), n);
    if (timeout_ == Timeout::Idle) arm(limits_.request_timeout, Timeout::Request);
    parse();
  }

  /// Makes what progress the buffered bytes allow on the current request.
  void parse() {
    if (phase_ == Phase::Head) {
      const std::size_t end = http_framing::find_head_end(in_, searched_ < 3 ? 0 : searched_ - 3);
      if ((end == std::string::npos ? in_.size() : end) > limits_.max_head_bytes)
        return refuse(431, "the request head is larger than " + std::to_string(limits_.max_head_bytes) +
                               " bytes: send fewer or shorter headers");
      if (end == std::string::npos) {
        searched_ = in_.size();
        return read_more();
      }
      if (!read_head(end)) return;
    }
    if (phase_ != Phase::Body) return;
    if (!body_complete()) {
      if (phase_ != Phase::Body) return;  // the chunked body was refused
      if (expects_continue_) return send_continue();
      return read_more();
    }
    dispatch_request();
  }

  /// Checks and parses the head in in_[0, end); false when the request was
  /// answered or handed over instead.
  bool read_head(std::size_t end) {
    const std::string_view head(in_.data(), end);
    const http_framing::HeadCheck check = http_framing::check_request_head(head);
    if (!check.ok()) {
      refuse(check.status, check.error);
      return false;
    }
    http::request_parser<http::empty_body> parser;
    parser.eager(false);
    parser.header_limit(static_cast<std::uint32_t>(end));
    // The head alone: the front reads and bounds bodies itself. (Beast 1.74
    // reads body_limit(none) as "less than anything", hence skip.)
    parser.skip(true);
    error_code ec;
    parser.put(asio::buffer(head.data(), head.size()), ec);
    if (ec || !parser.is_header_done()) {
      refuse(400, "the request head is malformed (" + (ec ? ec.message() : std::string("incomplete")) + ")");
      return false;
    }
    const auto& req = parser.get();
    if (boost::beast::websocket::is_upgrade(req)) {
      hand_over();
      return false;
    }
    request_.method = std::string(view(req.method_string()));
    const std::string_view target = view(req.target());
    const std::size_t q = target.find('?');
    request_.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) request_.query = std::string(target.substr(q + 1));
    for (const auto& field : req) {
      // Repeated fields are one list (RFC 9110 5.3), as the routes read them.
      std::string name = http_framing::ascii_lower(view(field.name_string()));
      auto same = std::find_if(request_.headers.begin(), request_.headers.end(),
                               [&](const auto& h) { return h.first == name; });
      if (same == request_.headers.end())
        request_.headers.emplace_back(std::move(name), std::string(view(field.value())));
      else
        same->second.append(", ").append(view(field.value()));
    }
    request_.remote = remote_;
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    head_method_ = req.method() == http::verb::head;
    in_.erase(0, end);
    framing_ = check.framing;
    if (framing_ == http_framing::BodyFraming::ContentLength) {
      if (check.content_length > limits_.max_body_bytes) {
        refuse(413, "the body (" + std::to_string(check.content_length) + " bytes) is larger than this server takes (" +
                        std::to_string(limits_.max_body_bytes) + " bytes)");
        return false;
      }
      content_length_ = static_cast<std::size_t>(check.content_length);
    } else if (framing_ == http_framing::BodyFraming::Chunked) {
      chunked_.emplace(limits_.max_body_bytes);
    }
    expects_continue_ = version_ >= 11 && framing_ != http_framing::BodyFraming::None &&
                        boost::beast::iequals(req[http::field::expect], "100-continue");
    phase_ = Phase::Body;
    return true;
  }

  /// True once the body is in request_.body (and out of in_).
  bool body_complete() {
    switch (framing_) {
      case http_framing::BodyFraming::None:
        return true;
      case http_framing::BodyFraming::ContentLength:
        if (in_.size() < content_length_) return false;
        request_.body.assign(in_, 0, content_length_);
        in_.erase(0, content_length_);
        return true;
      case http_framing::BodyFraming::Chunked: {
        const std::size_t used = chunked_->feed(in_.data(), in_.size(), request_.body);
        in_.erase(0, used);
        if (chunked_->failed()) {
          refuse(chunked_->too_large() ? 413 : 400, "malformed chunked body: " + chunked_->error());
          return false;
        }
        return chunked_->done();
      }
    }
    return false;
  }

  /// `Expect: 100-continue`: the client waits for this before the body.
  void send_continue() {
    expects_continue_ = false;
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue),
                      asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, std::size_t) {
                        if (self->phase_ != Phase::Body) return;
                        if (ec) return self->close_now();
                        self->read_more();
                      }));
  }

  // ---- answering --------------------------------------------------------

  void dispatch_request() {
    ++served_;
    phase_ = Phase::Handling;
    disarm();  // a handler may hold its answer (Engine.IO long-polling)
    auto answered = std::make_shared<std::atomic<bool>>(false);
    HttpReply reply = [self = shared_from_this(), answered](HttpResponse response) {
      if (answered->exchange(true)) return;
      asio::post(self->strand_, [self, response = std::move(response)]() mutable {
        self->respond(std::move(response), false);
      });
    };
    config_->on_http(std::move(request_), std::move(reply));
  }

  /// An error the front answers itself; the connection closes after it.
  void refuse(int status, const std::string& reason) {
    head_method_ = false;
    respond(HttpResponse::error(status, "HTTP request refused: " + reason), true);
  }

  void respond(HttpResponse answer, bool close_after) {
    if (phase_ == Phase::Closing || phase_ == Phase::Gone) return;
    const bool keep = keep_alive_ && !close_after && served_ < limits_.max_requests;
    response_.emplace();
    auto& res = *response_;
    res.version(version_);
    res.result(static_cast<unsigned>(answer.status >= 100 && answer.status <= 999 ? answer.status : 500));
    res.set(http::field::server, "hookbroker");
    for (const auto& [name, value] : answer.headers)
      if (!framing_header(name)) res.insert(name, value);
    if (!bodyless_status(answer.status)) {
      if (!answer.content_type.empty()) res.set(http::field::content_type, answer.content_type);
      res.content_length(answer.body.size());  // HEAD: the GET's length, without its body
      if (!head_method_) res.body() = std::move(answer.body);
    }
    res.keep_alive(keep);
    phase_ = Phase::Writing;
    arm(limits_.request_timeout, Timeout::Write);
    http::async_write(socket_, res,
                      asio::bind_executor(strand_, [self = shared_from_this(), keep](const error_code& ec,
                                                                                      std::size_t) {
                        self->written(ec, keep);
                      }));
  }

  void written(const error_code& ec, bool keep) {
    if (phase_ != Phase::Writing) return;
    response_.reset();
    if (ec) return close_now();
    if (keep) return next_request();
    linger();
  }

  // ---- closing ----------------------------------------------------------

  void linger() {
    phase_ = Phase::Closing;
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close_now();
    arm(kLingerTime, Timeout::Linger);
    drain();
  }

  void drain() {
    socket_.async_read_some(asio::buffer(chunk_),
                            asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec,
                                                                                      std::size_t n) {
                              if (self->phase_ != Phase::Closing) return;
                              self->drained_ += n;
                              if (ec || self->drained_ > kLingerBytes) return self->close_now();
                              self->drain();
                            }));
  }

  void close_now() {
    phase_ = Phase::Gone;
    disarm();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    ticket_.reset();
  }

  /// The connection leaves the front for the WebSocket layer.
  void hand_over() {
    phase_ = Phase::Gone;
    disarm();
    config_->on_upgrade(std::move(socket_), std::move(in_), std::move(ticket_));
  }

  // ---- timeouts ---------------------------------------------------------

  void arm(std::chrono::milliseconds after, Timeout kind) {
    timeout_ = kind;
    const std::uint64_t generation = ++timer_generation_;
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
      if (ec || generation != self->timer_generation_) return;
      self->timed_out();
    });
  }

  void disarm() {
    ++timer_generation_;
    timer_.cancel();
  }

  void timed_out() {
    if (phase_ == Phase::Head && timeout_ == Timeout::Request) {
      error_code ec;
      socket_.cancel(ec);  // the pending read
      reading_ = false;
      return refuse(408, "the request did not arrive whole within " + ms_text(limits_.request_timeout) +
                             " (request_timeout_ms)");
    }
    if (phase_ == Phase::Body && timeout_ == Timeout::Request) {
      error_code ec;
      socket_.cancel(ec);
      reading_ = false;
      head_method_ = false;
      return refuse(408, "the request body did not arrive whole within " + ms_text(limits_.request_timeout) +
                             " (request_timeout_ms)");
    }
    // Idle between requests, an answer nobody takes, or the linger is over.
    close_now();
  }

  tcp::socket socket_;
  asio::strand<tcp::socket::executor_type> strand_;
  asio::steady_timer timer_;
  AcceptLoop::Ticket ticket_;
  std::shared_ptr<const HttpFrontConfig> config_;
  const HttpFrontConfig::Limits& limits_;
  const std::string remote_;

  Phase phase_ = Phase::Head;
  Timeout timeout_ = Timeout::Idle;
  std::uint64_t timer_generation_ = 0;
  bool reading_ = false;
  std::array<char, 4096> chunk_{};
  std::string in_;             ///< received and not yet used: the current request, and any pipelined after it
  std::size_t searched_ = 0;   ///< in_ searched for the head's end up to here
  std::size_t served_ = 0;     ///< requests handed to on_http
  std::size_t drained_ = 0;    ///< bytes dropped while lingering

  // The current request.
  HttpRequest request_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_method_ = false;
  bool expects_continue_ = false;
  http_framing::BodyFraming framing_ = http_framing::BodyFraming::None;
  std::size_t content_length_ = 0;
  std::optional<ChunkedBodyDecoder> chunked_;
  std::optional<http::response<http::string_body>> response_;
};

}  // namespace

void serve_http_front(tcp::socket socket, AcceptLoop::Ticket ticket, std::shared_ptr<const HttpFrontConfig> config) {
  std::make_shared<FrontConnection>(std::move(socket), std::move(ticket), std::move(config))->start();
}

}  // namespace hookbroker::sio
