#include "closed_loop_poster.hpp"

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace plugins_bench {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

PostResult post_closed_loop(int port, std::uint64_t count, unsigned connections,
                            const std::function<std::string(std::uint64_t)>& body,
                            const std::function<std::string(std::uint64_t)>& id) {
  std::atomic<std::uint64_t> next{0}, accepted{0}, refused{0}, errors{0}, connects{0};
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port));
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      boost::asio::io_context io;
      std::optional<beast::tcp_stream> stream;
      beast::flat_buffer buffer;
      for (std::uint64_t i = next++; i < count; i = next++) {
        http::request<http::string_body> request{http::verb::post, "/api/events", 11};
        request.set(http::field::host, "127.0.0.1");
        request.set(http::field::content_type, "application/json");
        if (id) request.set("X-Hookbroker-Event-Id", id(i));
        request.keep_alive(true);
        request.body() = body(i);
        request.prepare_payload();
        for (int attempt = 0; attempt < 2; ++attempt) {  // one reconnect when the server closed
          beast::error_code ec;
          if (!stream) {
            stream.emplace(io);
            stream->connect(endpoint, ec);
            ++connects;
            if (ec) {
              stream.reset();
              ++errors;
              break;
            }
          }
          stream->expires_after(std::chrono::seconds(30));
          http::write(*stream, request, ec);
          http::response<http::string_body> response;
          if (!ec) http::read(*stream, buffer, response, ec);
          if (ec) {
            stream.reset();
            buffer.clear();
            if (attempt == 1) ++errors;
            continue;
          }
          (response.result_int() == 204 ? accepted : refused)++;
          if (!response.keep_alive()) {
            stream.reset();
            buffer.clear();
          }
          break;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  PostResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  r.accepted = accepted;
  r.refused = refused;
  r.errors = errors;
  r.connects = connects;
  return r;
}

}  // namespace plugins_bench
