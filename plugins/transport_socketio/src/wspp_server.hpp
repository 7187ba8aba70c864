// The HTTP/WebSocket server on the core's io_context: its own accept loop
// (accept_loop.hpp), a keep-alive HTTP/1.1 front that serves every request
// that is not a WebSocket handshake (http_front.hpp, on Boost.Beast), and
// websocketpp's asio transport for WebSockets, which takes a connection over
// from the front with the handshake it read. Request framing is checked by
// libs/http_framing in both. It only converts: requests to hookbroker::HttpRequest,
// replies back to HTTP, WebSocket connections to WsLink. What to answer is
// decided by the callbacks (the plugin posts them to its strand).
//
// websocketpp stays inside wspp_server.cpp: nothing that includes this header
// sees it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "hookbroker/http.hpp"
#include "http_front.hpp"
#include "ws_link.hpp"

namespace hookbroker::sio {

class WsppServer {
 public:
  struct Callbacks {
    /// A plain HTTP request; `reply` may be called later from any thread.
    std::function<void(HttpRequest request, HttpReply reply)> on_http;
    /// A WebSocket handshake: nullopt accepts it, a response refuses it (the
    /// core's policy: 403 JSON; Engine.IO's: 400 and the reference's
    /// abortUpgrade text). Called on the connection's thread and must answer
    /// at once.
    std::function<std::optional<HttpResponse>(const HttpRequest& request)> check_upgrade;
    std::function<void(std::shared_ptr<WsLink> link, HttpRequest request)> on_open;
    /// A handshake check_upgrade() accepted ended without opening (the
    /// client left, the 101 could not be written). Any thread.
    std::function<void(const HttpRequest& request)> on_upgrade_failed;
    std::function<void(std::shared_ptr<WsLink> link, std::string payload, bool binary)> on_message;
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
    std::size_t max_http_body_bytes = 0;  ///< larger bodies are refused by the parser (413)
    std::size_t max_connections = 0;      ///< one more is answered 503 and closed (accept_loop.hpp)
    std::chrono::milliseconds log_interval{10000};  ///< of the accept loop's spells (limit_log_interval_s)
    HttpFrontConfig::Limits front;  ///< keep-alive, timeouts, head and body limits of plain HTTP
  };

  WsppServer(boost::asio::io_context& io, Callbacks callbacks, Limits limits);
  ~WsppServer();
  WsppServer(const WsppServer&) = delete;
  WsppServer& operator=(const WsppServer&) = delete;

  /// Binds and starts accepting. Errors (address in use, ...) are returned.
  boost::system::error_code listen(const std::string& host, std::uint16_t port);
  /// The bound port (the real one when 0 was asked for).
  std::uint16_t port() const;
  /// TCP connections open now (HTTP and WebSocket). Any thread.
  std::size_t open_connections() const;
  /// Closes the open WebSockets ("going away"). The listening socket closes
  /// in the destructor, once no thread runs the io_context: websocketpp's
  /// stop_listening() is not safe against its own accept handlers running on
  /// other threads. In-flight connections finish on the io_context.
  void stop();

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hookbroker::sio
