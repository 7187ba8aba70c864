// The transport's HTTP/1.1 front: every accepted connection starts here and
// is served with keep-alive until it closes, or until it asks for a
// WebSocket, when it is handed over (socket and the bytes already read from
// it) to the WebSocket layer. websocketpp served one request per connection,
// so every hook POST, OTLP export and API call paid for a new TCP
// connection.
//
// Per connection, one request at a time in the order they arrived
// (pipelined requests wait in the buffer until the answer before them is
// written):
//   - HttpRequestReader reads it (head limits and checks, Beast's parser,
//     the body, the 413 before a body that is too large is read);
//     `Expect: 100-continue` gets its interim answer only when the body
//     will be read;
//   - every answer carries Date and Content-Length (HEAD: the GET's length,
//     no body);
//     `Connection: close` from the client, an HTTP/1.0 request without
//     keep-alive, the `max_requests`-th request and every error the front
//     answers itself close the connection after the answer, gracefully (the
//     rest of what the client sends is read and dropped for a moment, so a
//     reset does not destroy the answer; a client that asked to close and
//     left nothing unread is closed at once, with no wait for its FIN);
//   - a connection waiting for its next request closes after `idle_timeout`;
//     a request must arrive whole within `request_timeout` of its first byte
//     (408 otherwise), and an answer must be taken within it.
//
// No websocketpp here: an accepted upgrade is handed to transport_server.cpp,
// whose WsConnection speaks WebSocket from then on.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "accept_loop.hpp"
#include "hookbroker/http.hpp"

namespace hookbroker::sio {

struct HttpFrontConfig {
  struct Limits {
    std::chrono::milliseconds idle_timeout{5000};      ///< keepalive_timeout_ms
    std::chrono::milliseconds request_timeout{10000};  ///< request_timeout_ms
    std::size_t max_requests = 10000;                  ///< max_requests_per_connection
    std::size_t max_head_bytes = 8000;                 ///< max_header_bytes
    std::size_t max_body_bytes = 0;                    ///< larger bodies: 413
    /// A route's own body limit for a request's method and path, 0 for none
    /// (TransportHost::max_body_bytes): asked once a head is read, it
    /// replaces max_body_bytes for that request (HttpRequestReader).
    std::function<std::size_t(const std::string& method, const std::string& path)> route_body_limit;
  };
  Limits limits;
  /// A request to answer; `reply` may be called later, from any thread.
  std::function<void(HttpRequest request, HttpReply reply)> on_http;
  /// A WebSocket handshake (Beast's websocket::is_upgrade): nullopt accepts
  /// it, a response refuses it (the front answers it and closes). Must
  /// answer at once; any thread.
  std::function<std::optional<HttpResponse>(const HttpRequest& handshake)> check_upgrade;
  /// An accepted handshake: the connection leaves the front. `already_read`
  /// holds whatever the client sent after the handshake's head.
  std::function<void(boost::asio::ip::tcp::socket socket, HttpRequest handshake, std::string already_read,
                     AcceptLoop::Ticket ticket)>
      on_upgrade;
};

/// Serves `socket` until it closes or is handed over; the ticket is held as
/// long as the front has the connection. Any thread.
void serve_http_front(boost::asio::ip::tcp::socket socket, AcceptLoop::Ticket ticket,
                      std::shared_ptr<const HttpFrontConfig> config);

}  // namespace hookbroker::sio
