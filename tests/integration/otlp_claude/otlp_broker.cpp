#include "otlp_broker.hpp"

#include "broker_http.hpp"
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

nlohmann::json session(int port, const std::string& id) { return sessions_it::BrokerHttp(port).session(id); }

}  // namespace otlp_it
