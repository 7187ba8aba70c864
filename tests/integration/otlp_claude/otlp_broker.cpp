#include "otlp_broker.hpp"

#include "gzip_body.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace otlp_it {

std::string gzip(const std::string& body) { return hookbroker::otlp::gzip(body); }

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(OTLP_FIXTURES_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}


hookbroker::http_client::Answer post(int port, const Post& request) {
  hookbroker::broker_client::BrokerEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = static_cast<uint16_t>(port);
  hookbroker::broker_client::BrokerCall call;
  call.method = "POST";
  call.path = request.path;
  call.body = request.body;
  call.headers = {{"Content-Type", request.content_type}};
  if (!request.content_encoding.empty()) call.headers.emplace_back("Content-Encoding", request.content_encoding);
  call.timeout_ms = 20000;
  return hookbroker::broker_client::call_broker(endpoint, call);
}

nlohmann::json session(int port, const std::string& id) {
  hookbroker::broker_client::BrokerEndpoint endpoint;
  endpoint.host = "127.0.0.1";
  endpoint.port = static_cast<uint16_t>(port);
  hookbroker::broker_client::BrokerCall call;
  call.method = "GET";
  call.path = "/api/sessions/" + id;
  call.timeout_ms = 10000;
  const auto answer = hookbroker::broker_client::call_broker(endpoint, call);
  if (answer.status != 200) return nullptr;
  const auto body = nlohmann::json::parse(answer.body, nullptr, false);
  return body.is_object() && body.contains("session") ? body["session"] : nlohmann::json(nullptr);
}

}  // namespace otlp_it
