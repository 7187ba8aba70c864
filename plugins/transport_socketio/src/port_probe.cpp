#include "port_probe.hpp"

#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

#include "broker_client/broker_identity.hpp"
#include "http_client/async_exchange.hpp"

namespace hookbroker::sio {

std::string port_owner_message(std::uint16_t port, const http_client::Answer& health) {
  const std::string prefix = "port " + std::to_string(port) + " is in use by ";
  if (health.outcome == http_client::Answer::Outcome::Answered) {
    const auto body = nlohmann::json::parse(health.body, nullptr, false);
    if (broker_client::is_hookbroker_health(body)) {
      std::string who = prefix + "hookbroker " + body.value("version", std::string("(unknown version)"));
      if (body.contains("pid") && body["pid"].is_number_integer())
        who += " (pid " + std::to_string(body["pid"].get<long>()) + ")";
      return who + ": it is already running; stop it or choose another port with --port";
    }
  }
  return prefix + "another program: " +
         (health.status_line.empty() ? "it did not answer GET /health"
                                     : "it answered GET /health with \"" + health.status_line.substr(0, 80) + "\"") +
         "; stop it or choose another port with --port";
}

void describe_port_owner(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                         std::chrono::milliseconds timeout, std::function<void(std::string)> done) {
  http_client::Request request;
  request.method = "GET";
  request.host = host;
  request.port = port;
  request.target = "/health";
  request.timeout = timeout;
  http_client::start_exchange(boost::asio::make_strand(io), request,
                              [port, done = std::move(done)](http_client::Answer answer) {
                                done(port_owner_message(port, answer));
                              });
}

}  // namespace hookbroker::sio
