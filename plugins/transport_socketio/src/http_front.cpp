#include "http_front.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>
#include <utility>

#include "http_framing/field_text.hpp"
#include "http_date.hpp"
#include "http_request_reader.hpp"
#include "strands/run_in_order.hpp"

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
        remote_(remote_of(socket_)),
        reader_(limits_.max_head_bytes, limits_.max_body_bytes, &limits_.route_body_limit) {}

  void start() {
    error_code ec;
    // Answers are small and must leave at once, not wait for Nagle and the
    // client's delayed ACK.
    socket_.set_option(tcp::no_delay(true), ec);
    asio::dispatch(strand_, [self = shared_from_this()] { self->next_request(); });
  }

 private:
  enum class Phase { Reading, Handling, Writing, Closing, Gone };
  enum class Timeout { Idle, Request, Write, Linger };

  // ---- reading a request ------------------------------------------------

  void next_request() {
    phase_ = Phase::Reading;
    if (reader_.has_buffered())
      arm(limits_.request_timeout, Timeout::Request);
    else
      arm(limits_.idle_timeout, Timeout::Idle);
    parse();
  }

  void read_more() {
    if (reading_) return;
    reading_ = true;
    // Into the reader's buffer: nothing is read that the reader cannot see,
    // and an idle connection holds no read buffer of its own.
    std::size_t room = 0;
    char* into = reader_.prepare_read(room);
    socket_.async_read_some(asio::buffer(into, room),
                            asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec,
                                                                                      std::size_t n) {
                              self->on_read(ec, n);
                            }));
  }

  void on_read(const error_code& ec, std::size_t n) {
    reading_ = false;
    reader_.commit_read(ec ? 0 : n);
    if (phase_ != Phase::Reading) return;  // timed out meanwhile
    if (ec) return close_now();  // the client left (between requests, or cutting one off: nobody to answer)
    if (timeout_ == Timeout::Idle) arm(limits_.request_timeout, Timeout::Request);
    parse();
  }

  /// Makes what progress the buffered bytes allow on the current request.
  void parse() {
    switch (reader_.next()) {
      case HttpRequestReader::Step::NeedMore:
        return read_more();
      case HttpRequestReader::Step::Continue:
        return send_continue();
      case HttpRequestReader::Step::Request:
        return dispatch_request();
      case HttpRequestReader::Step::Upgrade:
        return hand_over();
      case HttpRequestReader::Step::Refuse:
        return refuse(reader_.refusal().status, reader_.refusal().reason);
    }
  }

  /// `Expect: 100-continue`: the client waits for this before the body.
  void send_continue() {
    static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    asio::async_write(socket_, asio::buffer(kContinue),
                      asio::bind_executor(strand_, [self = shared_from_this()](const error_code& ec, std::size_t) {
                        if (self->phase_ != Phase::Reading) return;
                        if (ec) return self->close_now();
                        self->parse();
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
      // Answered within on_http below (the request went through the core on
      // this thread): written when on_http returns, without a trip through
      // the scheduler. running_in_this_thread first: only then is
      // handling_inline_ ours to read.
      if (self->strand_.running_in_this_thread() && self->handling_inline_) {
        self->inline_answer_ = std::move(response);
        return;
      }
      strands::run_in_order(self->strand_, [self, response = std::move(response)]() mutable {
        self->respond(std::move(response), false);
      });
    };
    HttpRequest request = reader_.take_request();
    request.remote = remote_;
    handling_inline_ = true;
    try {
      config_->on_http(std::move(request), std::move(reply));
    } catch (...) {
      // A bug in a handler (it answered 500 first): the answer still goes out.
      handling_inline_ = false;
      if (inline_answer_)
        asio::post(strand_, [self = shared_from_this(), answer = *std::exchange(inline_answer_, std::nullopt)]() mutable {
          self->respond(std::move(answer), false);
        });
      throw;
    }
    handling_inline_ = false;
    if (inline_answer_) respond(*std::exchange(inline_answer_, std::nullopt), false);
  }

  /// An error the front answers itself; the connection closes after it.
  void refuse(int status, const std::string& reason) {
    respond(HttpResponse::error(status, "HTTP request refused: " + reason), true);
  }

  void respond(HttpResponse answer, bool close_after) {
    if (phase_ == Phase::Closing || phase_ == Phase::Gone) return;
    const bool keep = reader_.keep_alive() && !close_after && served_ < limits_.max_requests;
    response_.emplace();
    auto& res = *response_;
    res.version(reader_.version());
    res.result(static_cast<unsigned>(answer.status >= 100 && answer.status <= 999 ? answer.status : 500));
    res.set(http::field::server, "hookbroker");
    res.set(http::field::date, http_date_now());
    for (const auto& [name, value] : answer.headers)
      if (!framing_header(name)) res.insert(name, value);
    if (!bodyless_status(answer.status)) {
      if (!answer.content_type.empty()) res.set(http::field::content_type, answer.content_type);
      res.content_length(answer.body.size());  // HEAD: the GET's length, without its body
      if (!reader_.head_method()) res.body() = std::move(answer.body);
    }
    res.keep_alive(keep);
    // The client's own "Connection: close" (or HTTP/1.0 without keep-alive)
    // promises nothing follows; the front's own decisions do not.
    const bool client_closes = !keep && !close_after && !reader_.keep_alive();
    phase_ = Phase::Writing;
    arm(limits_.request_timeout, Timeout::Write);
    http::async_write(socket_, res,
                      asio::bind_executor(strand_, [self = shared_from_this(), keep, client_closes](
                                                       const error_code& ec, std::size_t) {
                        self->written(ec, keep, client_closes);
                      }));
  }

  void written(const error_code& ec, bool keep, bool client_closes) {
    if (phase_ != Phase::Writing) return;
    response_.reset();
    if (ec) return close_now();
    if (keep) return next_request();
    if (client_closes && nothing_unread()) return close_now();
    linger();
  }

  /// True when closing now cannot reset the connection: no byte the client
  /// sent is left unread, here or in the kernel. A client that said it
  /// closes (stock Engine.IO clients in Node poll that way, one connection
  /// per request) then needs no linger: its slot and descriptor are freed at
  /// once, with no wait for its FIN.
  bool nothing_unread() {
    if (reader_.has_buffered()) return false;
    error_code ec;
    return socket_.available(ec) == 0 && !ec;
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
    if (sink_.empty()) sink_.resize(1024);
    socket_.async_read_some(asio::buffer(sink_),
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
    stop_timer();
    // The place is given back first: a client that sees the connection end
    // finds it free. close() alone sends the FIN (or the reset, when bytes
    // are left unread), as a shutdown before it would.
    ticket_.reset();
    error_code ec;
    socket_.close(ec);
  }

  /// The connection leaves the front for the WebSocket layer, unless the
  /// handshake is refused: that answer closes the connection.
  void hand_over() {
    ++served_;
    HttpRequest handshake = reader_.take_request();
    handshake.remote = remote_;
    if (auto refusal = config_->check_upgrade(handshake)) return respond(std::move(*refusal), true);
    phase_ = Phase::Gone;
    stop_timer();
    config_->on_upgrade(std::move(socket_), std::move(handshake), reader_.take_buffered(), std::move(ticket_));
  }

  // ---- timeouts ---------------------------------------------------------
  //
  // One timer serves every timeout of the connection, lazily: arming sets a
  // deadline, and the timer is moved only when the new deadline comes before
  // the one it already waits for (rarely: each of the idle, request and
  // write timeouts usually ends later than the one before). A wait that ends
  // before the deadline waits on. Moving or cancelling a waiting timer queues
  // a completion, which can wake another thread; every request did that
  // three times.

  void arm(std::chrono::milliseconds after, Timeout kind) {
    timeout_ = kind;
    armed_ = true;
    deadline_ = std::chrono::steady_clock::now() + after;
    if (timer_waiting_ && timer_.expiry() <= deadline_) return;  // that wait waits on when it ends
    wait_for_deadline();
  }

  /// No timeout applies (a handler holds its answer); a waiting timer stays,
  /// to find nothing to do or a later deadline when it fires.
  void disarm() { armed_ = false; }

  /// The connection is done with its timer: its wait is cancelled, so the
  /// connection is not kept alive by it.
  void stop_timer() {
    armed_ = false;
    timer_waiting_ = false;
    ++timer_generation_;
    timer_.cancel();
  }

  void wait_for_deadline() {
    const std::uint64_t generation = ++timer_generation_;  // a wait this replaces ends stale
    timer_waiting_ = true;
    timer_.expires_at(deadline_);
    timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
      if (generation != self->timer_generation_) return;
      self->timer_waiting_ = false;
      if (ec || !self->armed_) return;
      if (std::chrono::steady_clock::now() < self->deadline_) return self->wait_for_deadline();
      self->armed_ = false;
      self->timed_out();
    });
  }

  void timed_out() {
    if (phase_ == Phase::Reading && timeout_ == Timeout::Request) {
      error_code ec;
      socket_.cancel(ec);  // the pending read
      reading_ = false;
      return refuse(408, std::string(reader_.reading_body() ? "the request body" : "the request") +
                             " did not arrive whole within " + ms_text(limits_.request_timeout) +
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

  Phase phase_ = Phase::Reading;
  Timeout timeout_ = Timeout::Idle;
  std::uint64_t timer_generation_ = 0;
  std::chrono::steady_clock::time_point deadline_{};  ///< of the armed timeout
  bool armed_ = false;          ///< a timeout applies (not while a handler holds its answer)
  bool timer_waiting_ = false;  ///< timer_ has a wait outstanding
  bool reading_ = false;
  std::string sink_;  ///< what is read and dropped while lingering
  HttpRequestReader reader_;
  std::size_t served_ = 0;   ///< requests handed to on_http
  std::size_t drained_ = 0;  ///< bytes dropped while lingering
  std::optional<http::response<http::string_body>> response_;
  bool handling_inline_ = false;  ///< inside on_http, on this strand
  std::optional<HttpResponse> inline_answer_;
};

}  // namespace

void serve_http_front(tcp::socket socket, AcceptLoop::Ticket ticket, std::shared_ptr<const HttpFrontConfig> config) {
  std::make_shared<FrontConnection>(std::move(socket), std::move(ticket), std::move(config))->start();
}

}  // namespace hookbroker::sio
