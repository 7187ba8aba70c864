#include "socketio_emitter.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace plugins_bench {

namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;
using boost::asio::ip::tcp;

namespace {

struct Shared {
  std::atomic<std::uint64_t> acked{0}, refused{0}, errors{0};
  std::mutex mutex;
  std::string first_problem;
  void problem(const std::string& what) {
    ++errors;
    std::lock_guard lock(mutex);
    if (first_problem.empty()) first_problem = what;
  }
};

/// One client: connects, joins "/", then keeps `window` events in flight
/// until its share [first, first + n) is acknowledged.
void run_client(int port, std::uint64_t first, std::uint64_t n, unsigned window,
                const std::function<std::string(std::uint64_t)>& event, Shared& shared) {
  boost::asio::io_context io;
  websocket::stream<beast::tcp_stream> ws(io);
  beast::flat_buffer buffer;
  auto read_text = [&](beast::error_code& ec) {
    buffer.clear();
    ws.read(buffer, ec);
    return ec ? std::string() : beast::buffers_to_string(buffer.data());
  };
  beast::error_code ec;
  beast::get_lowest_layer(ws).connect(
      tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)), ec);
  // Without it Nagle holds each emit back until the broker's TCP ACK, which
  // arrives only with its next frame: a commit's wait later.
  if (!ec) beast::get_lowest_layer(ws).socket().set_option(tcp::no_delay(true), ec);
  if (!ec) ws.handshake("127.0.0.1:" + std::to_string(port), "/socket.io/?EIO=4&transport=websocket", ec);
  if (ec) return shared.problem("connect: " + ec.message());
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  ws.text(true);
  const std::string open = read_text(ec);  // Engine.IO open packet: 0{"sid":...}
  if (ec || open.empty() || open[0] != '0') return shared.problem("no Engine.IO open packet: " + ec.message());
  ws.write(boost::asio::buffer(std::string("40")), ec);
  for (std::string frame; !ec && frame.rfind("40", 0) != 0;) frame = read_text(ec);  // CONNECT answered
  if (ec) return shared.problem("Socket.IO CONNECT: " + ec.message());

  std::uint64_t sent = 0, answered = 0;
  while (answered < n) {
    while (sent < n && sent - answered < window) {
      const std::uint64_t i = first + sent;
      ws.write(boost::asio::buffer("42" + std::to_string(i) + "[\"claude_event\"," + event(i) + "]"), ec);
      if (ec) return shared.problem("emit: " + ec.message());
      ++sent;
    }
    const std::string frame = read_text(ec);
    if (ec) return shared.problem("read: " + ec.message());
    if (frame == "2") {  // Engine.IO ping
      ws.write(boost::asio::buffer(std::string("3")), ec);
    } else if (frame.rfind("43", 0) == 0) {  // an ack: 43<id>[{"status":"ok"}]
      ++answered;
      (frame.find("\"status\":\"ok\"") != std::string::npos ? shared.acked : shared.refused)++;
    }
  }
  ws.close(websocket::close_code::normal, ec);
}

}  // namespace

EmitResult emit_acked(int port, std::uint64_t count, unsigned clients, unsigned window,
                      const std::function<std::string(std::uint64_t)>& event) {
  Shared shared;
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  const std::uint64_t share = count / clients;
  for (unsigned c = 0; c < clients; ++c) {
    const std::uint64_t first = c * share;
    const std::uint64_t n = c + 1 == clients ? count - first : share;
    threads.emplace_back([&, first, n] { run_client(port, first, n, window, event, shared); });
  }
  for (auto& t : threads) t.join();
  EmitResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.acked = shared.acked;
  r.refused = shared.refused;
  r.errors = shared.errors;
  r.first_problem = shared.first_problem;
  return r;
}

}  // namespace plugins_bench
