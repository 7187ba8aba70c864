// One WebSocket connection after its handshake, with the socket's I/O done
// here, on the plugin's strand, instead of in a websocketpp connection.
//
// Why (issue 16): broadcasts run on the strand, and websocketpp's send path
// cost per delivery a queue push under a per-connection mutex, a bound
// std::function, a dispatch to the connection's strand (often a wake-up of
// the other I/O thread) and an Asio write operation. Here a delivery to a
// client with nothing queued is one non-blocking send() of the shared,
// already-framed buffer, straight from the broadcasting strand: no
// allocation, no lock, no hand-off. Only what the socket does not take at
// once is queued (the shared buffer and an offset, never a copy) and written
// by one Asio write when the socket has room again.
//
// Framing and parsing are websocketpp's RFC 6455 code (ws_codec.hpp): pings
// get pongs, a client's close is answered and the TCP connection closed,
// protocol errors close with their code (1002, 1007, 1009).
//
// Strand only: every member function, every callback.
#pragma once

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "accept_loop.hpp"
#include "hookbroker/host_api.hpp"
#include "ws_codec.hpp"
#include "ws_link.hpp"

namespace hookbroker::sio {

class WsConnection;

/// What every WebSocket connection of a server shares.
struct WsContext {
  explicit WsContext(Strand& s) : strand(s) {}
  Strand& strand;
  std::size_t max_message_bytes = 0;  ///< larger messages: close 1009
  std::function<void(std::shared_ptr<WsLink> link, std::string payload, bool binary)> on_message;
  /// Once per connection, after it is gone (posted: never from inside a
  /// send or close the engine made).
  std::function<void(std::shared_ptr<WsLink> link)> on_close;
  /// Open connections, for closing them at shutdown.
  std::unordered_map<const WsConnection*, std::weak_ptr<WsConnection>> open;
};

class WsConnection final : public WsLink, public std::enable_shared_from_this<WsConnection> {
 public:
  /// How long a close handshake the server began may take before the TCP
  /// connection is cut: close() (the client is fine) and abort() (it is not
  /// reading).
  static constexpr std::chrono::milliseconds kCloseTimeout{5000};
  static constexpr std::chrono::milliseconds kAbortTimeout{1000};

  WsConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<WsContext> context, AcceptLoop::Ticket ticket,
               std::string remote);
  ~WsConnection() override;

  /// Writes `handshake_answer` (the 101), lets `opened` see the link (it may
  /// send at once), then reads: `already_read` first, then the socket. False
  /// when the answer could not be written (the client left): `opened` is
  /// not called, nor on_close later.
  bool start(const std::string& handshake_answer, std::string already_read,
             const std::function<void(const std::shared_ptr<WsLink>&)>& opened);

  // WsLink
  void send_text(const std::string& text) override;
  void send_binary(const std::string& bytes) override;
  void send_shared(const OutboundRun& run) override;
  std::size_t buffered_bytes() const override { return buffered_; }
  void close() override;
  void abort(const std::string& reason) override;
  const std::string& remote() const override { return remote_; }

  /// Close code 1001, for a server that shuts down.
  void going_away();

 private:
  using Frame = std::shared_ptr<const PreparedFrame>;

  void push(Frame frame);
  void write_backlog();
  void on_written(const boost::system::error_code& ec, std::size_t n);
  void read();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void consume(char* data, std::size_t size);
  void on_frame(ws_codec::FrameReader::Message& message);
  /// Sends a close frame (once) and gives the handshake `timeout`.
  void begin_close(std::uint16_t code, const std::string& reason, std::chrono::milliseconds timeout);
  /// Called when the queue empties: ends a finished close handshake.
  void flushed();
  void terminate();

  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<WsContext> context_;
  AcceptLoop::Ticket ticket_;
  const std::string remote_;
  ws_codec::FrameReader reader_;

  /// Frames the socket has not taken yet, oldest first from head_; offset_
  /// bytes of the first are written.
  std::vector<Frame> queue_;
  std::size_t head_ = 0;
  std::size_t offset_ = 0;
  std::size_t buffered_ = 0;   ///< bytes in queue_ not yet written
  std::size_t in_flight_ = 0;  ///< frames the pending async write covers
  bool writing_ = false;
  bool reading_ = false;

  bool close_sent_ = false;
  bool close_received_ = false;
  bool draining_ = false;  ///< after a protocol error: read and drop until EOF
  bool closed_ = false;
  bool announced_ = false;  ///< opened() saw the link: on_close will too
  std::unique_ptr<boost::asio::steady_timer> close_timer_;

  /// What clients send is small (pongs, acks, events); larger frames are
  /// read in several passes.
  std::array<char, 1024> buffer_;
};

}  // namespace hookbroker::sio
