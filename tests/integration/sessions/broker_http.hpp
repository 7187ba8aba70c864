// Talking HTTP to the broker under test: the hook forwarder's own
// HTTP/1.1 client (libs/broker_client), pointed at the test broker's port.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "broker_client/broker_call.hpp"

namespace sessions_it {

class BrokerHttp {
 public:
  explicit BrokerHttp(int port, int timeout_ms = 10000);

  hookbroker::http_client::Answer post(const std::string& path, const std::string& body,
                                     const std::string& content_type = "application/json") const;
  hookbroker::http_client::Answer get(const std::string& path) const;
  /// GET /api/sessions's "sessions" list; throws when the answer is not 200 JSON.
  nlohmann::json sessions() const;
  /// GET /api/sessions/{id}'s "session" object; null when the answer is not 200 JSON.
  nlohmann::json session(const std::string& id) const;

 private:
  hookbroker::broker_client::BrokerEndpoint endpoint_;
  int timeout_ms_;
};

/// The error text of a {"error": "..."} answer body, or "" when it is not one.
std::string error_of(const hookbroker::http_client::Answer& answer);

/// A Socket.IO client over Engine.IO v4 long-polling, enough to be counted as
/// connected: handshake, CONNECT to "/", and the server's CONNECT ack.
class PollingSocketClient {
 public:
  explicit PollingSocketClient(int port);
  ~PollingSocketClient();
  PollingSocketClient(const PollingSocketClient&) = delete;
  PollingSocketClient& operator=(const PollingSocketClient&) = delete;

  /// True once the broker acknowledged the namespace connection.
  bool connect();
  /// Sends the Engine.IO close packet.
  void close();

 private:
  std::string query() const;

  BrokerHttp http_;
  std::string sid_;
};

}  // namespace sessions_it
