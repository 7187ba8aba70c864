#include "wspp_server.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <mutex>
#include <set>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include "accept_loop.hpp"
#include "chunked_body.hpp"
#include "http_framing/request_head.hpp"
#include "http_front.hpp"
#include "prefixed_socket.hpp"

namespace hookbroker::sio {

class LinkImpl;

/// websocketpp lets a config add a base class to every connection: the slot
/// where a WebSocket connection keeps its WsLink, and where every connection
/// keeps its place in the accept loop's count until it is destroyed.
struct ConnectionSlot {
  std::shared_ptr<LinkImpl> hookbroker_link;
  AcceptLoop::Ticket hookbroker_ticket;
  /// Between an accepted upgrade check and the open (or the failure).
  bool hookbroker_upgrade_accepted = false;
};

/// websocketpp's request parser, behind the strict framing checks of
/// libs/http_framing: the head is collected and checked before websocketpp
/// sees any of it, so two Content-Lengths, a space before a colon, a NUL in
/// a value or Transfer-Encoding beside Content-Length are refused (400 JSON,
/// connection closed) instead of read one way here and another way by a
/// proxy in front. websocketpp itself merges repeated headers, strips the
/// space before a colon, keeps control characters, reads the first number
/// of "5, 10", and compares Transfer-Encoding case-sensitively.
///
/// It also decodes chunked bodies, which websocketpp would hand over as
/// empty. The connection calls consume()/ready() on the config's request type
/// directly, so hiding the base's (non-virtual) functions is enough.
class StrictRequest : public websocketpp::http::parser::request {
 public:
  std::size_t consume(char const* buf, std::size_t len) {
    if (decoder_) return consume_chunked(buf, len);
    if (head_checked_) return request::consume(buf, len);
    return consume_head(buf, len);
  }

  bool ready() const { return request::ready() && (!decoder_ || decoder_->done()); }

  /// An open WebSocket keeps its handshake request for life, and nothing
  /// reads it after on_open (websocketpp logs from it only before): its
  /// header map is ~1 KiB of every idle client.
  void forget_headers() {
    websocketpp::http::parser::header_list().swap(m_headers);
    std::string().swap(head_);
  }

 private:
  using status_code = websocketpp::http::status_code::value;

  [[noreturn]] static void refuse(status_code status, const std::string& reason) {
    // The third argument reaches JsonErrorResponse::set_status as the reason.
    throw websocketpp::http::exception(reason, status, reason);
  }

  std::size_t consume_head(char const* buf, std::size_t len) {
    const std::size_t before = head_.size();
    head_.append(buf, len);
    const std::size_t end = http_framing::find_head_end(head_, before < 3 ? 0 : before - 3);
    if ((end == std::string::npos ? head_.size() : end) > websocketpp::http::max_header_size)
      refuse(websocketpp::http::status_code::request_header_fields_too_large,
             "the request head is larger than " + std::to_string(websocketpp::http::max_header_size) +
                 " bytes: send fewer or shorter headers");
    if (end == std::string::npos) return len;
    head_.resize(end);
    const http_framing::HeadCheck check = http_framing::check_request_head(head_);
    if (!check.ok()) refuse(static_cast<status_code>(check.status), check.error);
    head_checked_ = true;
    std::string head;
    head.swap(head_);
    request::consume(head.data(), head.size());  // websocketpp's own parse of the checked head
    const std::size_t used = end - before;
    if (check.framing == http_framing::BodyFraming::Chunked && !websocketpp::processor::is_websocket_handshake(*this)) {
      decoder_.emplace(m_body_bytes_max);
      return used + consume_chunked(buf + used, len - used);
    }
    // Repeated identical lengths were merged into "5, 5": keep the one value.
    if (check.framing == http_framing::BodyFraming::ContentLength)
      replace_header("Content-Length", std::to_string(check.content_length));
    if (request::ready()) return used;
    return used + request::consume(buf + used, len - used);
  }

  std::size_t consume_chunked(char const* buf, std::size_t len) {
    const std::size_t used = decoder_->feed(buf, len, m_body);
    if (decoder_->failed())
      refuse(decoder_->too_large() ? websocketpp::http::status_code::request_entity_too_large
                                   : websocketpp::http::status_code::bad_request,
             "malformed chunked body: " + decoder_->error());
    return used;
  }

  std::string head_;  ///< the head as it arrives, until it is checked
  bool head_checked_ = false;
  std::optional<ChunkedBodyDecoder> decoder_;
};

/// The handshake response, kept for the connection's life and unused once
/// written. websocketpp also answers requests it refuses while parsing with
/// it: set_status(code, reason) is called only then, and gives the answer
/// the project's JSON error shape.
class JsonErrorResponse : public websocketpp::http::parser::response {
 public:
  using status_code = websocketpp::http::status_code::value;

  void set_status(status_code code) { response::set_status(code); }
  void set_status(status_code code, std::string const& reason) {
    response::set_status(code);
    const HttpResponse error = HttpResponse::error(static_cast<int>(code), "HTTP request refused: " +
                                                                               (reason.empty() ? fallback(code) : reason));
    replace_header("Content-Type", error.content_type);
    replace_header("Connection", "close");
    set_body(error.body);
  }

  void forget_headers() { websocketpp::http::parser::header_list().swap(m_headers); }

 private:
  /// websocketpp's own refusals carry no reason for the client.
  static std::string fallback(status_code code) {
    switch (code) {
      case websocketpp::http::status_code::request_entity_too_large:
        return "the body is larger than this server takes";
      case websocketpp::http::status_code::request_header_fields_too_large:
        return "the request head is too large";
      default:
        return "the request is not well-formed HTTP/1.1";
    }
  }
};

struct WsppConfig : websocketpp::config::asio {
  typedef WsppConfig type;
  typedef websocketpp::config::asio base;
  typedef ConnectionSlot connection_base;
  typedef StrictRequest request_type;
  typedef JsonErrorResponse response_type;
  /// Each connection holds this buffer inline for its whole life; the
  /// default 16 KiB is most of an idle client's memory. What clients send is
  /// small (handshakes, pongs, acks); larger requests and frames are read in
  /// several passes of the same loop, so nothing gets smaller but the buffer.
  static const std::size_t connection_read_buffer_size = 1024;

  /// Connections come from the HTTP front with the handshake's head already
  /// read: the socket policy reads those bytes first (prefixed_socket.hpp).
  struct transport_config : base::transport_config {
    typedef prefixed_socket::endpoint socket_type;
  };
  typedef websocketpp::transport::asio::endpoint<transport_config> transport_type;
};

using Endpoint = websocketpp::server<WsppConfig>;
using ConnectionPtr = Endpoint::connection_ptr;
using MessagePtr = Endpoint::message_ptr;
using websocketpp::connection_hdl;

struct PreparedFrame {
  MessagePtr message;
};

namespace {

std::string remote_of(const ConnectionPtr& con) {
  boost::system::error_code ec;
  const auto ep = con->get_raw_socket().remote_endpoint(ec);
  if (ec) return "unknown";
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

HttpRequest to_request(const ConnectionPtr& con) {
  const auto& r = con->get_request();
  HttpRequest request;
  request.method = r.get_method();
  const std::string& target = r.get_uri();
  const std::size_t q = target.find('?');
  request.path = target.substr(0, q);
  if (q != std::string::npos) request.query = target.substr(q + 1);
  for (const auto& [name, value] : r.get_headers()) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(lower), value);
  }
  request.body = r.get_body();
  request.remote = remote_of(con);
  return request;
}

}  // namespace

/// Frames broadcasts once: a server's frames are not masked, so one framed
/// message can be queued on every connection (websocketpp sends "prepared"
/// messages as they are). Used on the plugin's strand only.
class FramePreparer {
 public:
  FramePreparer()
      : manager_(std::make_shared<WsppConfig::con_msg_manager_type>()),
        processor_(false, true, manager_, rng_) {}

  /// One text frame per packet of the run. Several frames are laid end to
  /// end in one prepared message (empty header, the frames as its payload):
  /// each connection then queues one message and writes the run at once.
  std::shared_ptr<const PreparedFrame> prepare(const OutboundRun& run) {
    if (run.texts.size() == 1) {
      auto frame = prepare(*run.texts.front());
      return frame ? std::make_shared<const PreparedFrame>(PreparedFrame{frame}) : nullptr;
    }
    std::string frames;
    frames.reserve(run.bytes + run.texts.size() * 14);
    for (const auto& text : run.texts) {
      const auto frame = prepare(*text);
      if (!frame) continue;
      frames += frame->get_header();
      frames += frame->get_payload();
    }
    if (frames.empty()) return nullptr;
    auto out = manager_->get_message(websocketpp::frame::opcode::text, 0);
    out->get_raw_payload().swap(frames);
    out->set_prepared(true);
    return std::make_shared<const PreparedFrame>(PreparedFrame{out});
  }

 private:
  MessagePtr prepare(const std::string& text) {
    auto in = manager_->get_message(websocketpp::frame::opcode::text, text.size());
    in->set_payload(text);
    auto out = manager_->get_message(websocketpp::frame::opcode::text, text.size() + 14);
    if (processor_.prepare_data_frame(in, out)) return nullptr;  // not valid UTF-8
    return out;
  }

  WsppConfig::con_msg_manager_type::ptr manager_;
  WsppConfig::rng_type rng_;
  websocketpp::processor::hybi13<WsppConfig> processor_;
};

class LinkImpl : public WsLink {
 public:
  LinkImpl(const ConnectionPtr& con, std::shared_ptr<FramePreparer> preparer)
      : con_(con), preparer_(std::move(preparer)), remote_(remote_of(con)) {}

  void send_text(const std::string& text) override { send(text, websocketpp::frame::opcode::text); }
  void send_binary(const std::string& bytes) override { send(bytes, websocketpp::frame::opcode::binary); }
  void send_shared(const OutboundRun& run) override {
    if (!run.frames) run.frames = preparer_->prepare(run);
    if (!run.frames) return;
    if (auto con = con_.lock()) con->send(run.frames->message);
  }
  std::size_t buffered_bytes() const override {
    // websocketpp reads this counter without its write lock; it is only
    // compared against a bound, and a momentarily stale value is harmless.
    auto con = con_.lock();
    return con ? con->get_buffered_amount() : 0;
  }
  void close() override {
    if (auto con = con_.lock()) {
      websocketpp::lib::error_code ec;
      con->close(websocketpp::close::status::no_status, "", ec);
    }
  }
  void abort(const std::string& reason) override {
    if (auto con = con_.lock()) {
      // The close frame may sit behind a backlog that is never read: give the
      // handshake one second, then websocketpp cuts the TCP connection.
      con->set_close_handshake_timeout(1000);
      websocketpp::lib::error_code ec;
      con->close(websocketpp::close::status::policy_violation, reason, ec);
    }
  }
  const std::string& remote() const override { return remote_; }

 private:
  void send(const std::string& payload, websocketpp::frame::opcode::value op) {
    if (auto con = con_.lock()) con->send(payload, op);
  }

  std::weak_ptr<Endpoint::connection_type> con_;
  std::shared_ptr<FramePreparer> preparer_;
  std::string remote_;
};

struct WsppServer::Impl : std::enable_shared_from_this<Impl> {
  Endpoint endpoint;
  std::unique_ptr<AcceptLoop> accept_loop;
  Callbacks callbacks;
  Limits limits;
  std::shared_ptr<FramePreparer> preparer = std::make_shared<FramePreparer>();
  std::mutex mutex;
  std::set<connection_hdl, std::owner_less<connection_hdl>> websockets;

  void install_handlers() {
    // Connections copy these handlers, and with them a reference to this
    // Impl: it lives as long as the last connection does.
    auto self = shared_from_this();
    endpoint.set_http_handler([self](connection_hdl h) { self->on_http(h); });
    endpoint.set_validate_handler([self](connection_hdl h) { return self->on_validate(h); });
    endpoint.set_open_handler([self](connection_hdl h) { self->on_open(h); });
    endpoint.set_message_handler(
        [self](connection_hdl h, MessagePtr m) { self->on_message(h, std::move(m)); });
    endpoint.set_close_handler([self](connection_hdl h) { self->on_closed(h); });
    endpoint.set_fail_handler([self](connection_hdl h) { self->on_closed(h); });
  }

  void remove_handlers() {
    endpoint.set_http_handler(nullptr);
    endpoint.set_validate_handler(nullptr);
    endpoint.set_open_handler(nullptr);
    endpoint.set_message_handler(nullptr);
    endpoint.set_close_handler(nullptr);
    endpoint.set_fail_handler(nullptr);
  }

  /// The HTTP front's settings, shared by its connections.
  std::shared_ptr<const HttpFrontConfig> front;

  /// A connection the accept loop let in: the HTTP front serves it.
  void on_accepted(boost::asio::ip::tcp::socket socket, AcceptLoop::Ticket ticket) {
    serve_http_front(std::move(socket), std::move(ticket), front);
  }

  /// A WebSocket handshake the front read: websocketpp takes the connection
  /// from here, reading the handshake from `already_read` first.
  void adopt(boost::asio::ip::tcp::socket socket, std::string already_read, AcceptLoop::Ticket ticket) {
    ConnectionPtr con = endpoint.get_connection();
    if (!con) return;  // the socket closes as it goes
    con->get_raw_socket() = std::move(socket);
    con->set_prefix(std::move(already_read));
    con->hookbroker_ticket = std::move(ticket);
    con->start();
  }

  void on_http(connection_hdl h) {
    ConnectionPtr con = endpoint.get_con_from_hdl(h);
    HttpRequest request = to_request(con);
    con->defer_http_response();
    auto answered = std::make_shared<std::atomic<bool>>(false);
    const bool head = request.method == "HEAD";
    HttpReply reply = [con, answered, head](HttpResponse response) {
      if (answered->exchange(true)) return;
      try {
        con->set_status(static_cast<websocketpp::http::status_code::value>(response.status));
        if (!response.content_type.empty()) con->replace_header("Content-Type", response.content_type);
        for (const auto& [name, value] : response.headers) con->append_header(name, value);
        // websocketpp serves one request per connection; say so, so clients
        // do not try to reuse it.
        con->replace_header("Connection", "close");
        if (head) {
          // The headers of a GET, without its body.
          con->set_body("");
          con->replace_header("Content-Length", std::to_string(response.body.size()));
        } else {
          con->set_body(response.body);
        }
        websocketpp::lib::error_code ec;
        con->send_http_response(ec);
      } catch (const std::exception&) {
        // The connection ended before the answer: nobody to tell.
      }
    };
    callbacks.on_http(std::move(request), std::move(reply));
  }

  bool on_validate(connection_hdl h) {
    ConnectionPtr con = endpoint.get_con_from_hdl(h);
    const auto refusal = callbacks.check_upgrade(to_request(con));
    if (!refusal) {
      con->hookbroker_upgrade_accepted = true;
      return true;
    }
    con->set_status(static_cast<websocketpp::http::status_code::value>(refusal->status));
    if (!refusal->content_type.empty()) con->replace_header("Content-Type", refusal->content_type);
    for (const auto& [name, value] : refusal->headers) con->replace_header(name, value);
    con->replace_header("Connection", "close");
    con->set_body(refusal->body);
    return false;
  }

  void on_open(connection_hdl h) {
    ConnectionPtr con = endpoint.get_con_from_hdl(h);
    con->hookbroker_upgrade_accepted = false;
    auto link = std::make_shared<LinkImpl>(con, preparer);
    con->hookbroker_link = link;
    {
      std::lock_guard lock(mutex);
      websockets.insert(h);
    }
    HttpRequest request = to_request(con);
    // websocketpp hands its parsers out const only; they are plain members
    // of the connection, not const objects, so the cast is sound.
    const_cast<StrictRequest&>(con->get_request()).forget_headers();
    const_cast<JsonErrorResponse&>(con->get_response()).forget_headers();
    callbacks.on_open(link, std::move(request));
  }

  void on_message(connection_hdl h, MessagePtr message) {
    ConnectionPtr con = endpoint.get_con_from_hdl(h);
    if (!con->hookbroker_link) return;
    const bool binary = message->get_opcode() == websocketpp::frame::opcode::binary;
    callbacks.on_message(con->hookbroker_link, std::move(message->get_raw_payload()), binary);
  }

  void on_closed(connection_hdl h) {
    ConnectionPtr con = endpoint.get_con_from_hdl(h);
    if (con->hookbroker_upgrade_accepted) {
      con->hookbroker_upgrade_accepted = false;
      if (callbacks.on_upgrade_failed) callbacks.on_upgrade_failed(to_request(con));
    }
    std::shared_ptr<LinkImpl> link = std::move(con->hookbroker_link);
    con->hookbroker_link.reset();
    {
      std::lock_guard lock(mutex);
      websockets.erase(h);
    }
    if (link) callbacks.on_close(link);
  }
};

WsppServer::WsppServer(boost::asio::io_context& io, Callbacks callbacks, Limits limits)
    : impl_(std::make_shared<Impl>()) {
  impl_->callbacks = std::move(callbacks);
  impl_->limits = limits;
  auto& e = impl_->endpoint;
  // Errors reach the broker's log through the callbacks; websocketpp's own
  // logging (to stdout) stays off.
  e.clear_access_channels(websocketpp::log::alevel::all);
  e.clear_error_channels(websocketpp::log::elevel::all);
  e.init_asio(&io);
  e.set_user_agent("hookbroker");
  e.set_max_message_size(limits.max_message_bytes);
  e.set_max_http_body_size(limits.max_http_body_bytes);
  // Small frames (acks, events) must leave at once, not wait for Nagle and
  // the peer's delayed ACK (~40 ms per stall: Socket.IO ingest with a few
  // events in flight fell to ~1,600 events/s). Set once the socket is
  // accepted: websocketpp's socket-init handler runs before that on a server,
  // where setting the option failed silently (no setsockopt in strace).
  e.set_tcp_post_init_handler([impl = impl_.get()](connection_hdl h) {
    boost::system::error_code ec;
    impl->endpoint.get_con_from_hdl(h)->get_raw_socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  });
  impl_->install_handlers();
  std::weak_ptr<Impl> weak = impl_;
  AcceptLoop::Callbacks accept;
  accept.on_accepted = [weak](boost::asio::ip::tcp::socket socket, AcceptLoop::Ticket ticket) {
    if (auto impl = weak.lock()) impl->on_accepted(std::move(socket), std::move(ticket));
  };
  auto front = std::make_shared<HttpFrontConfig>();
  front->limits = limits.front;
  front->on_http = impl_->callbacks.on_http;
  front->on_upgrade = [weak](boost::asio::ip::tcp::socket socket, std::string already_read, AcceptLoop::Ticket ticket) {
    if (auto impl = weak.lock()) impl->adopt(std::move(socket), std::move(already_read), std::move(ticket));
  };
  impl_->front = std::move(front);
  auto or_nothing = [](std::function<void(const std::string&)> log) {
    return log ? log : [](const std::string&) {};
  };
  accept.warn = or_nothing(impl_->callbacks.warn);
  accept.info = or_nothing(impl_->callbacks.info);
  impl_->accept_loop =
      std::make_unique<AcceptLoop>(io, limits.max_connections, limits.log_interval, std::move(accept));
}

WsppServer::~WsppServer() {
  stop();
  if (!impl_) return;
  // Only here, where no worker thread runs handlers any more (the broker
  // destroys plugins after joining its threads): closing the acceptor while a
  // worker restarts the accept it cancels crashed websocketpp's loop in
  // epoll_reactor::start_op (~1 shutdown in 40 under load), and setting
  // handlers races with new connections copying them.
  impl_->accept_loop->close();
  // Break the Impl -> endpoint -> handler -> Impl cycle; open connections
  // keep their own copies until they end.
  impl_->remove_handlers();
}

boost::system::error_code WsppServer::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return ec;
  ec = impl_->accept_loop->listen(boost::asio::ip::tcp::endpoint(address, port));
  if (ec) return ec;
  impl_->accept_loop->start();
  return {};
}

std::uint16_t WsppServer::port() const { return impl_->accept_loop->port(); }

std::size_t WsppServer::open_connections() const { return impl_->accept_loop->open_connections(); }

void WsppServer::stop() {
  if (!impl_) return;
  // Leaves the endpoint listening with its handlers (see ~WsppServer): the
  // transport answers what still arrives while the broker shuts down.
  websocketpp::lib::error_code ec;
  std::set<connection_hdl, std::owner_less<connection_hdl>> open;
  {
    std::lock_guard lock(impl_->mutex);
    open.swap(impl_->websockets);
  }
  for (const auto& h : open)
    impl_->endpoint.close(h, websocketpp::close::status::going_away, "server shutdown", ec);
}

}  // namespace hookbroker::sio
