#include "engine_responses.hpp"

#include <nlohmann/json.hpp>

namespace hookbroker::sio {

const char* engine_error_message(EngineError code) {
  switch (code) {
    case EngineError::UnknownTransport:
      return "Transport unknown";
    case EngineError::UnknownSid:
      return "Session ID unknown";
    case EngineError::BadHandshakeMethod:
      return "Bad handshake method";
    case EngineError::BadRequest:
      return "Bad request";
    case EngineError::Forbidden:
      return "Forbidden";
    case EngineError::UnsupportedProtocolVersion:
      return "Unsupported protocol version";
  }
  return "Bad request";
}

HttpResponse engine_error_response(EngineError code) {
  // Key order as the reference writes it: {"code":..,"message":..}.
  nlohmann::json message = engine_error_message(code);
  HttpResponse r;
  r.status = code == EngineError::Forbidden ? 403 : 400;
  r.content_type = "application/json";
  r.body = "{\"code\":" + std::to_string(static_cast<int>(code)) + ",\"message\":" + message.dump() + "}";
  return r;
}

HttpResponse poll_response(std::string payload) {
  HttpResponse r;
  r.status = 200;
  r.content_type = "text/plain; charset=UTF-8";
  r.body = std::move(payload);
  r.headers.emplace_back("cache-control", "no-store");
  return r;
}

HttpResponse post_ok_response() {
  HttpResponse r;
  r.status = 200;
  r.content_type = "text/html";
  r.body = "ok";
  r.headers.emplace_back("cache-control", "no-store");
  return r;
}

HttpResponse bare_response(int status) {
  HttpResponse r;
  r.status = status;
  r.content_type.clear();
  return r;
}

}  // namespace hookbroker::sio
