// One HTTP/1.1 request over a fresh TCP connection, with a deadline, written
// against raw POSIX sockets: the hook forwarder runs this on every hook and
// must not pay for an I/O framework's start-up.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/broker_endpoint.hpp"

namespace hookbroker::tools {

struct HttpCall {
  std::string method = "POST";
  std::string path;  ///< e.g. "/api/events" (the endpoint's base_path is prepended)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;
  int timeout_ms = 1000;  ///< for the whole exchange: connect, send, answer
};

struct HttpAnswer {
  /// What happened, so a caller can tell "never reached the broker" (safe to
  /// resend) from "sent, but no answer" (the broker may have taken it).
  enum class Outcome {
    Answered,       ///< a status line arrived: see `status`
    NotConnected,   ///< refused, unreachable, bad address: the request was not sent
    NoAnswer,       ///< connected and (maybe partly) sent, then no complete answer
  };
  Outcome outcome = Outcome::NotConnected;
  int status = 0;
  std::string body;   ///< response body (capped at 64 KiB)
  std::string error;  ///< for NotConnected / NoAnswer: what went wrong
  bool request_fully_sent = false;

  bool ok() const { return outcome == Outcome::Answered && status >= 200 && status < 300; }
};

/// Performs `call` against `endpoint`. Never throws, never raises SIGPIPE.
HttpAnswer http_exchange(const BrokerEndpoint& endpoint, const HttpCall& call);

}  // namespace hookbroker::tools
