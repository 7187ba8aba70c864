// One HTTP call to the broker: libs/http_client's blocking exchange aimed at a
// BrokerEndpoint (its address, path prefix and token). Used by the hook
// forwarder, doctor and the tests.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "broker_client/broker_endpoint.hpp"
#include "http_client/http_message.hpp"

namespace hookbroker::broker_client {

struct BrokerCall {
  std::string method = "POST";
  std::string path;  ///< e.g. "/api/events" (the endpoint's base_path is prepended)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  int timeout_ms = 1000;  ///< for the whole exchange: connect, send, answer
};

/// Performs `call` against `endpoint`, with "Authorization: Bearer" when the
/// endpoint has a token. Never throws, never raises SIGPIPE.
http_client::Answer call_broker(const BrokerEndpoint& endpoint, const BrokerCall& call);

}  // namespace hookbroker::broker_client
