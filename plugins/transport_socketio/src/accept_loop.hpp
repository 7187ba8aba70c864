// The transport's listening socket and the loop that accepts from it, in
// place of websocketpp's. websocketpp restarts a failed accept at once, so at
// the open-file limit (EMFILE) it spun at full CPU while every new connection,
// hooks' POSTs and /health included, waited unanswered. This loop:
//   - on EMFILE, ENFILE, ENOBUFS or ENOMEM backs off (a timer growing from
//     5 ms to 250 ms, cut short when one of its connections closes) instead
//     of retrying at once;
//   - keeps one reserve descriptor (/dev/null) that it gives up at such a
//     moment to accept one waiting connection and answer it 503 with
//     Retry-After and Connection: close, then takes back;
//   - counts open connections and answers one past `max_connections` 503 the
//     same way, so descriptors run out for nobody else in the process.
// Both conditions are logged as spells (libs/spell_log): when they start,
// summarised per interval while they go on, and when they are over.
// Accepted sockets go to `on_accepted` with a ticket: the connection counts
// as open until the last copy of its ticket is gone.
//
// Any thread; its own handlers run on a strand of the io_context. No
// websocketpp here.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace hookbroker::sio {

class AcceptLoop {
 public:
  /// Held for as long as an accepted connection is open.
  using Ticket = std::shared_ptr<void>;

  struct Callbacks {
    std::function<void(boost::asio::ip::tcp::socket socket, Ticket ticket)> on_accepted;
    std::function<void(const std::string& message)> warn;
    std::function<void(const std::string& message)> info;
  };

  AcceptLoop(boost::asio::io_context& io, std::size_t max_connections, std::chrono::milliseconds log_interval,
             Callbacks callbacks);
  ~AcceptLoop();
  AcceptLoop(const AcceptLoop&) = delete;
  AcceptLoop& operator=(const AcceptLoop&) = delete;

  /// Opens, binds and listens; the system's reason on failure.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& where);
  /// The bound port (the real one when 0 was asked for).
  std::uint16_t port() const;
  /// Starts accepting.
  void start();
  /// Closes the listening socket and the reserve descriptor. Only once no
  /// thread runs the io_context (see WsppServer's destructor).
  void close();

  /// Connections accepted and still open. Any thread.
  std::size_t open_connections() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

/// The whole answer sent to a connection refused before it was read: 503,
/// a JSON error, Retry-After, Connection: close.
std::string refusal_503(const std::string& error, int retry_after_s);

}  // namespace hookbroker::sio
