#include "broker_client/broker_call.hpp"

#include "http_client/blocking_exchange.hpp"

namespace hookbroker::broker_client {

http_client::Answer call_broker(const BrokerEndpoint& endpoint, const BrokerCall& call) {
  http_client::Request request;
  request.method = call.method;
  request.host = endpoint.host;
  request.port = endpoint.port;
  request.target = endpoint.base_path + call.path;
  request.body = call.body;
  request.timeout = std::chrono::milliseconds(call.timeout_ms);
  request.headers.reserve(call.headers.size() + 1);
  if (!endpoint.token.empty()) request.headers.emplace_back("Authorization", "Bearer " + endpoint.token);
  request.headers.insert(request.headers.end(), call.headers.begin(), call.headers.end());
  return http_client::exchange(request);
}

}  // namespace hookbroker::broker_client
