// websocketpp's plain socket policy, with bytes to read before the socket's:
// the HTTP front (http_front.hpp) reads a request's head before it knows the
// request is a WebSocket handshake, and hands the connection over with what
// it read. websocketpp reads a connection only through the policy's
// get_socket() stream (its TLS policy returns an SSL stream there), so that
// stream here is the socket with those bytes in front of it. Everything else
// — writes, socket options, shutdown, cancellation — goes to the socket
// itself.
//
// Includes websocketpp: only wspp_server.cpp includes this header.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <string>
#include <utility>
#include <websocketpp/transport/asio/security/none.hpp>

namespace hookbroker::sio {

/// An AsyncReadStream and AsyncWriteStream over a TCP socket that reads
/// `prefix` first.
class PrefixedStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  void attach(boost::asio::ip::tcp::socket& socket) { socket_ = &socket; }
  void set_prefix(std::string bytes) {
    prefix_ = std::move(bytes);
    used_ = 0;
  }

  executor_type get_executor() { return socket_->get_executor(); }

  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    if (used_ < prefix_.size()) {
      const std::size_t n = boost::asio::buffer_copy(buffers, boost::asio::buffer(prefix_) + used_);
      used_ += n;
      if (used_ == prefix_.size()) {
        std::string().swap(prefix_);
        used_ = 0;
      }
      // Completes later, as an asynchronous operation must.
      boost::asio::post(socket_->get_executor(),
                        boost::beast::bind_handler(std::forward<Handler>(handler), boost::system::error_code{}, n));
      return;
    }
    socket_->async_read_some(buffers, std::forward<Handler>(handler));
  }

  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    socket_->async_write_some(buffers, std::forward<Handler>(handler));
  }

 private:
  boost::asio::ip::tcp::socket* socket_ = nullptr;
  std::string prefix_;
  std::size_t used_ = 0;
};

namespace prefixed_socket {

class connection : public websocketpp::transport::asio::basic_socket::connection {
 public:
  using base = websocketpp::transport::asio::basic_socket::connection;

  /// What websocketpp reads and writes the WebSocket through.
  PrefixedStream& get_socket() {
    stream_.attach(base::get_raw_socket());
    return stream_;
  }

  /// Bytes already read from the socket, to be read first. Before start().
  void set_prefix(std::string bytes) { stream_.set_prefix(std::move(bytes)); }

 private:
  PrefixedStream stream_;
};

class endpoint : public websocketpp::transport::asio::basic_socket::endpoint {
 public:
  typedef connection socket_con_type;
  typedef connection::ptr socket_con_ptr;
};

}  // namespace prefixed_socket
}  // namespace hookbroker::sio
