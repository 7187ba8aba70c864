// The HTTP answers of the Engine.IO endpoint, byte-compatible with the
// reference server (engine.io 6.x): error codes and messages, content types.
#pragma once

#include <string>

#include "hookbroker/http.hpp"

namespace hookbroker::sio {

enum class EngineError : int {
  UnknownTransport = 0,
  UnknownSid = 1,
  BadHandshakeMethod = 2,
  BadRequest = 3,
  Forbidden = 4,
  UnsupportedProtocolVersion = 5,
};

const char* engine_error_message(EngineError code);

/// 400 {"code":N,"message":"..."} (403 for Forbidden), as for polling requests.
HttpResponse engine_error_response(EngineError code);

/// A long-poll answer: the payload as text/plain; charset=UTF-8.
HttpResponse poll_response(std::string payload);

/// The answer to a polling POST the server took: 200 "ok" as text/html.
HttpResponse post_ok_response();

/// A bare status with no body and no content type (overlapping poll: 400,
/// oversized POST: 413), as the reference sends them.
HttpResponse bare_response(int status);

}  // namespace hookbroker::sio
