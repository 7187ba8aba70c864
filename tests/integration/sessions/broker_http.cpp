#include "broker_http.hpp"

#include <stdexcept>

namespace sessions_it {

using hookbroker::http_client::Answer;
using hookbroker::broker_client::BrokerCall;

BrokerHttp::BrokerHttp(int port, int timeout_ms) : timeout_ms_(timeout_ms) {
  endpoint_.host = "127.0.0.1";
  endpoint_.port = static_cast<uint16_t>(port);
}

Answer BrokerHttp::post(const std::string& path, const std::string& body,
                            const std::string& content_type) const {
  BrokerCall call;
  call.method = "POST";
  call.path = path;
  call.body = body;
  call.headers = {{"Content-Type", content_type}};
  call.timeout_ms = timeout_ms_;
  return hookbroker::broker_client::call_broker(endpoint_, call);
}

Answer BrokerHttp::get(const std::string& path) const {
  BrokerCall call;
  call.method = "GET";
  call.path = path;
  call.timeout_ms = timeout_ms_;
  return hookbroker::broker_client::call_broker(endpoint_, call);
}

nlohmann::json BrokerHttp::sessions() const {
  const Answer a = get("/api/sessions");
  if (a.status != 200) throw std::runtime_error("GET /api/sessions: " + std::to_string(a.status) + " " + a.body + a.error);
  const auto body = nlohmann::json::parse(a.body);
  if (body.value("count", 0u) != body.at("sessions").size())
    throw std::runtime_error("GET /api/sessions: count disagrees with the list: " + a.body);
  return body.at("sessions");
}

nlohmann::json BrokerHttp::session(const std::string& id) const {
  const Answer a = get("/api/sessions/" + id);
  if (a.status != 200) return nullptr;
  const auto body = nlohmann::json::parse(a.body, nullptr, false);
  return body.is_object() && body.contains("session") ? body["session"] : nlohmann::json(nullptr);
}

std::string error_of(const Answer& answer) {
  const auto body = nlohmann::json::parse(answer.body, nullptr, false);
  if (!body.is_object() || body.size() != 1 || !body.contains("error") || !body["error"].is_string()) return {};
  return body["error"];
}

PollingSocketClient::PollingSocketClient(int port) : http_(port) {}

PollingSocketClient::~PollingSocketClient() { close(); }

std::string PollingSocketClient::query() const {
  return "/socket.io/?EIO=4&transport=polling" + (sid_.empty() ? std::string() : "&sid=" + sid_);
}

bool PollingSocketClient::connect() {
  const Answer open = http_.get(query());
  // Engine.IO open packet: "0" + {"sid": ..., "pingInterval": ..., ...}
  if (open.status != 200 || open.body.empty() || open.body[0] != '0') return false;
  const auto handshake = nlohmann::json::parse(open.body.substr(1), nullptr, false);
  if (!handshake.is_object() || !handshake.contains("sid")) return false;
  sid_ = handshake["sid"];
  // Socket.IO CONNECT to the main namespace, then read the server's ack "40{...}".
  if (http_.post(query(), "40", "text/plain;charset=UTF-8").status != 200) return false;
  const Answer ack = http_.get(query());
  return ack.status == 200 && ack.body.find("40{") != std::string::npos;
}

void PollingSocketClient::close() {
  if (sid_.empty()) return;
  http_.post(query(), "1", "text/plain;charset=UTF-8");
  sid_.clear();
}

}  // namespace sessions_it
