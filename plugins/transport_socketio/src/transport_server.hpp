// The transport's HTTP/WebSocket server on the core's io_context: its own
// accept loop (accept_loop.hpp), a keep-alive HTTP/1.1 front that serves
// every request and reads every WebSocket handshake (http_front.hpp, on
// Boost.Beast), and the WebSocket connections after the handshake
// (ws_connection.hpp), whose I/O runs on the plugin's strand so that a
// broadcast writes to each client directly. It only converts: requests to
// hookbroker::HttpRequest, replies back to HTTP, WebSocket connections to
// WsLink. What to answer is decided by the callbacks.
//
// No websocketpp here: its RFC 6455 framing is used behind ws_codec.hpp.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hookbroker/host_api.hpp"
#include "hookbroker/http.hpp"
#include "http_front.hpp"
#include "ws_link.hpp"

namespace hookbroker::sio {

class TransportServer {
 public:
  struct Callbacks {
    /// A plain HTTP request; `reply` may be called later from any thread.
    std::function<void(HttpRequest request, HttpReply reply)> on_http;
    /// A WebSocket handshake that is well-formed RFC 6455: nullopt accepts
    /// it, a response refuses it (the core's policy: 403 JSON; Engine.IO's:
    /// 400 and the reference's abortUpgrade text). Called on the front's
    /// thread and must answer at once.
    std::function<std::optional<HttpResponse>(const HttpRequest& request)> check_upgrade;
    /// The WebSocket is open (its 101 written or queued). On the strand.
    std::function<void(std::shared_ptr<WsLink> link, HttpRequest request)> on_open;
    /// A handshake check_upgrade() accepted ended without opening (the
    /// client left before its 101 could be written, or the transport was
    /// gone when the front handed it over). Any thread.
    std::function<void(const HttpRequest& request)> on_upgrade_failed;
    /// A text or binary message. On the strand.
    std::function<void(std::shared_ptr<WsLink> link, std::string payload, bool binary)> on_message;
    /// The WebSocket is gone. On the strand.
    std::function<void(std::shared_ptr<WsLink> link)> on_close;
    /// Conditions of the accept loop (descriptors exhausted, connection
    /// limit reached, and their end), once per episode. Any thread.
    std::function<void(const std::string& message)> warn;
    std::function<void(const std::string& message)> info;
  };

  /// Set from the plugin's options (max_payload_bytes, max_body_bytes,
  /// max_connections).
  struct Limits {
    std::size_t max_message_bytes = 0;    ///< larger WebSocket messages: close 1009
    std::size_t max_connections = 0;      ///< one more is answered 503 and closed (accept_loop.hpp)
    std::chrono::milliseconds log_interval{10000};  ///< of the accept loop's spells (limit_log_interval_s)
    HttpFrontConfig::Limits front;  ///< keep-alive, timeouts, head and body limits of plain HTTP
  };

  /// WebSocket connections live on `strand` (the plugin's): every WsLink
  /// member is called there, and the WebSocket callbacks run there.
  TransportServer(boost::asio::io_context& io, Strand& strand, Callbacks callbacks, Limits limits);
  ~TransportServer();
  TransportServer(const TransportServer&) = delete;
  TransportServer& operator=(const TransportServer&) = delete;

  /// Binds and starts accepting. Errors (address in use, ...) are returned.
  boost::system::error_code listen(const std::string& host, std::uint16_t port);
  /// The bound port (the real one when 0 was asked for).
  std::uint16_t port() const;
  /// TCP connections open now (HTTP and WebSocket). Any thread.
  std::size_t open_connections() const;
  /// Closes the open WebSockets ("going away", 1001). On the strand. The
  /// listening socket closes in the destructor, once no thread runs the
  /// io_context.
  void stop();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// Why a WebSocket handshake that Beast's is_upgrade() accepted is still not
/// one this server can take (RFC 6455 4.2.1): no Sec-WebSocket-Key, or a
/// version other than 13 (426 with the version it speaks). nullopt when it
/// is fine.
std::optional<HttpResponse> websocket_handshake_refusal(const HttpRequest& request);

/// The 101 answer to an accepted handshake.
std::string websocket_handshake_answer(const HttpRequest& request);

}  // namespace hookbroker::sio
