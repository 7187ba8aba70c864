#include "transport_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <vector>

#include "accept_loop.hpp"
#include "http_date.hpp"
#include "ws_codec.hpp"
#include "ws_connection.hpp"

namespace hookbroker::sio {

namespace asio = boost::asio;

std::optional<HttpResponse> websocket_handshake_refusal(const HttpRequest& request) {
  if (request.header("sec-websocket-version") != "13") {
    HttpResponse r = HttpResponse::error(
        426, "this server speaks WebSocket version 13 (RFC 6455): send Sec-WebSocket-Version: 13");
    r.headers.emplace_back("Sec-WebSocket-Version", "13");
    return r;
  }
  if (request.header("sec-websocket-key").empty())
    return HttpResponse::error(400, "a WebSocket handshake needs a Sec-WebSocket-Key header (RFC 6455 4.1)");
  return std::nullopt;
}

std::string websocket_handshake_answer(const HttpRequest& request) {
  return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
         ws_codec::accept_key(request.header("sec-websocket-key")) + "\r\nServer: hookbroker\r\nDate: " +
         http_date_now() + "\r\n\r\n";
}

struct TransportServer::Impl : std::enable_shared_from_this<Impl> {
  Impl(Strand& s, Callbacks c, Limits l) : strand(s), callbacks(std::move(c)), limits(l) {}

  Strand& strand;
  Callbacks callbacks;
  Limits limits;
  std::unique_ptr<AcceptLoop> accept_loop;
  std::shared_ptr<WsContext> websockets;  ///< strand only

  /// An accepted handshake, on the front's thread: the connection moves to
  /// the strand, where its 101 is written.
  void adopt(asio::ip::tcp::socket socket, HttpRequest handshake, std::string already_read,
             AcceptLoop::Ticket ticket) {
    asio::post(strand, [self = shared_from_this(), socket = std::move(socket), handshake = std::move(handshake),
                        already_read = std::move(already_read), ticket = std::move(ticket)]() mutable {
      auto connection = std::make_shared<WsConnection>(std::move(socket), self->websockets, std::move(ticket),
                                                       handshake.remote);
      const std::string answer = websocket_handshake_answer(handshake);
      const bool opened = connection->start(answer, std::move(already_read), [&](const std::shared_ptr<WsLink>& link) {
        self->callbacks.on_open(link, std::move(handshake));
      });
      if (!opened && self->callbacks.on_upgrade_failed) self->callbacks.on_upgrade_failed(handshake);
    });
  }
};

TransportServer::TransportServer(asio::io_context& io, Strand& strand, Callbacks callbacks, Limits limits)
    : impl_(std::make_shared<Impl>(strand, std::move(callbacks), limits)) {
  auto websockets = std::make_shared<WsContext>(strand);
  websockets->max_message_bytes = limits.max_message_bytes;
  websockets->on_message = impl_->callbacks.on_message;
  websockets->on_close = impl_->callbacks.on_close;
  impl_->websockets = std::move(websockets);

  std::weak_ptr<Impl> weak = impl_;
  auto front = std::make_shared<HttpFrontConfig>();
  front->limits = limits.front;
  front->on_http = impl_->callbacks.on_http;
  front->check_upgrade = [check = impl_->callbacks.check_upgrade](const HttpRequest& handshake) {
    if (auto refusal = websocket_handshake_refusal(handshake)) return refusal;
    return check(handshake);
  };
  // A handshake the front accepted holds a place check_upgrade reserved;
  // with the transport gone (shutdown) nothing adopts it, so the place is
  // given back here (on_upgrade_failed is thread-safe: the reservation is
  // atomic counts).
  front->on_upgrade = [weak, failed = impl_->callbacks.on_upgrade_failed](
                          asio::ip::tcp::socket socket, HttpRequest handshake, std::string already_read,
                          AcceptLoop::Ticket ticket) {
    if (auto impl = weak.lock())
      impl->adopt(std::move(socket), std::move(handshake), std::move(already_read), std::move(ticket));
    else if (failed)
      failed(handshake);
  };
  AcceptLoop::Callbacks accept;
  accept.on_accepted = [front = std::shared_ptr<const HttpFrontConfig>(std::move(front))](
                           asio::ip::tcp::socket socket, AcceptLoop::Ticket ticket) {
    serve_http_front(std::move(socket), std::move(ticket), front);
  };
  auto or_nothing = [](std::function<void(const std::string&)> log) {
    return log ? log : [](const std::string&) {};
  };
  accept.warn = or_nothing(impl_->callbacks.warn);
  accept.info = or_nothing(impl_->callbacks.info);
  impl_->accept_loop =
      std::make_unique<AcceptLoop>(io, limits.max_connections, limits.log_interval, std::move(accept));
}

TransportServer::~TransportServer() {
  if (!impl_) return;
  // Only here, where no worker thread runs handlers any more (the broker
  // destroys plugins after joining its threads): closing the acceptor while
  // a worker restarts the accept it cancels is not safe.
  impl_->accept_loop->close();
}

boost::system::error_code TransportServer::listen(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return ec;
  ec = impl_->accept_loop->listen(asio::ip::tcp::endpoint(address, port));
  if (ec) return ec;
  impl_->accept_loop->start();
  return {};
}

std::uint16_t TransportServer::port() const { return impl_->accept_loop->port(); }

std::size_t TransportServer::open_connections() const { return impl_->accept_loop->open_connections(); }

void TransportServer::stop() {
  if (!impl_) return;
  std::vector<std::shared_ptr<WsConnection>> open;
  for (const auto& [raw, weak] : impl_->websockets->open)
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  for (const auto& connection : open) connection->going_away();
}

}  // namespace hookbroker::sio
