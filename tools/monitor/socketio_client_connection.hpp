// A Socket.IO v5 client over Engine.IO v4 on WebSocket, as much as watching
// a broker needs: open, CONNECT to "/" (with auth), answer pings, receive
// events, notice when the broker goes away. One connection attempt at a time;
// reconnecting is the caller's policy.
//
// websocketpp stays inside the .cpp (it is slow to compile and its types
// would leak everywhere); the packets are the transport's own codec.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

namespace hookbroker::monitor {

struct ConnectionEvents {
  /// The broker accepted the CONNECT: events will flow.
  std::function<void()> on_joined;
  /// An EVENT: its name and arguments (the array after the name).
  std::function<void(const std::string& name, const nlohmann::json& args)> on_event;
  /// The broker answered CONNECT_ERROR (e.g. a missing token); the
  /// connection is being closed. `message` is the broker's reason.
  std::function<void(const std::string& message)> on_refused;
  /// The attempt failed or the connection ended without close() being
  /// called: refused TCP, broker stopped, no ping in time, protocol error.
  std::function<void(const std::string& reason)> on_lost;
  /// The connection is completely gone after close() (or on_refused).
  std::function<void()> on_closed;
};

class SocketIoClientConnection {
 public:
  /// Runs on `io` (one thread); every callback is called from it.
  SocketIoClientConnection(boost::asio::io_context& io, ConnectionEvents events);
  ~SocketIoClientConnection();
  SocketIoClientConnection(const SocketIoClientConnection&) = delete;
  SocketIoClientConnection& operator=(const SocketIoClientConnection&) = delete;

  /// Starts an attempt at `ws_uri` (ws://host:port/socket.io/?EIO=4&transport=websocket);
  /// `auth_json` is the CONNECT auth object's JSON text, "" for none.
  /// Any previous attempt must have ended (on_lost / on_closed).
  void open(const std::string& ws_uri, const std::string& auth_json);

  /// Ends the current attempt quietly (no on_lost): a WebSocket close when
  /// open, else the socket is dropped. on_closed follows once it is gone;
  /// at once when there is no connection.
  void close();

  /// True between open() and the end of that attempt.
  bool active() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookbroker::monitor
