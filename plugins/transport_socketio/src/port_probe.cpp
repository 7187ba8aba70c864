#include "port_probe.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <nlohmann/json.hpp>

namespace hookbroker::sio {

std::string port_owner_message(std::uint16_t port, const std::string& http_response) {
  const std::string prefix = "port " + std::to_string(port) + " is in use by ";
  const std::size_t body_at = http_response.find("\r\n\r\n");
  if (body_at != std::string::npos) {
    const auto health = nlohmann::json::parse(http_response.substr(body_at + 4), nullptr, false);
    if (health.is_object() && health.value("service", "") == "hookbroker") {
      std::string who = prefix + "hookbroker " + health.value("version", std::string("(unknown version)"));
      if (health.contains("pid") && health["pid"].is_number_integer())
        who += " (pid " + std::to_string(health["pid"].get<long>()) + ")";
      return who + ": it is already running; stop it or choose another port with --port";
    }
  }
  const std::string first_line = http_response.substr(0, http_response.find("\r\n"));
  return prefix + "another program: " +
         (first_line.empty() ? "it did not answer GET /health"
                             : "it answered GET /health with \"" + first_line.substr(0, 80) + "\"") +
         "; stop it or choose another port with --port";
}

namespace {

struct Probe : std::enable_shared_from_this<Probe> {
  Probe(boost::asio::io_context& io, std::uint16_t port, std::function<void(std::string)> done)
      : strand(boost::asio::make_strand(io)),
        socket(strand),
        timer(strand),
        port(port),
        done(std::move(done)) {}

  void finish() {
    if (!done) return;
    timer.cancel();
    boost::system::error_code ignored;
    socket.close(ignored);
    auto callback = std::move(done);
    done = nullptr;
    callback(port_owner_message(port, response));
  }

  // The timer and the socket race to finish(): both complete on this strand.
  boost::asio::strand<boost::asio::io_context::executor_type> strand;
  boost::asio::ip::tcp::socket socket;
  boost::asio::steady_timer timer;
  std::uint16_t port;
  std::function<void(std::string)> done;
  std::string request;
  std::string response;
};

}  // namespace

void describe_port_owner(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                         std::chrono::milliseconds timeout, std::function<void(std::string)> done) {
  auto probe = std::make_shared<Probe>(io, port, std::move(done));
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  if (ec) return boost::asio::post(probe->strand, [probe] { probe->finish(); });
  probe->timer.expires_after(timeout);
  probe->timer.async_wait([probe](boost::system::error_code e) {
    if (!e) probe->finish();
  });
  probe->request =
      "GET /health HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) + "\r\nConnection: close\r\n\r\n";
  probe->socket.async_connect({address, port}, [probe](boost::system::error_code e) {
    if (e) return probe->finish();
    boost::asio::async_write(probe->socket, boost::asio::buffer(probe->request),
                             [probe](boost::system::error_code e2, std::size_t) {
                               if (e2) return probe->finish();
                               // Read until the peer closes (or the timer fires).
                               boost::asio::async_read(
                                   probe->socket, boost::asio::dynamic_buffer(probe->response, 65536),
                                   [probe](boost::system::error_code, std::size_t) { probe->finish(); });
                             });
  });
}

}  // namespace hookbroker::sio
