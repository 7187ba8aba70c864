#include "otlp_broker.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <zlib.h>

namespace otlp_it {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(OTLP_FIXTURES_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string gzip(const std::string& body) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(body.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
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
