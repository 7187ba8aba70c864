// Decodes an HTTP/1.1 "Transfer-Encoding: chunked" request body as it arrives
// (RFC 9112 section 7.1). websocketpp only reads Content-Length bodies; Node's
// http.request and other clients that stream a body send it chunked, and
// dropping such bodies silently would lose events. Pure (no sockets), so it is
// unit-tested and fuzzed.
#pragma once

#include <cstddef>
#include <string>

namespace hookbroker::sio {

class ChunkedBodyDecoder {
 public:
  /// `max_body` bounds the decoded body; more is an error (answered 413).
  explicit ChunkedBodyDecoder(std::size_t max_body) : max_body_(max_body) {}

  /// Decodes from `data`, appending body bytes to `body`. Returns how many
  /// bytes it used: all of them until the body ends, then only up to its end.
  std::size_t feed(const char* data, std::size_t size, std::string& body);

  bool done() const { return state_ == State::Done; }
  bool failed() const { return state_ == State::Error; }
  bool too_large() const { return too_large_; }
  const std::string& error() const { return error_; }

 private:
  enum class State { Size, Extension, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done, Error };
  void fail(std::string why);

  std::size_t max_body_;
  State state_ = State::Size;
  std::size_t chunk_left_ = 0;
  std::size_t size_digits_ = 0;
  std::size_t trailer_line_ = 0;   ///< characters in the current trailer line
  std::size_t trailer_bytes_ = 0;  ///< all trailer bytes, bounded
  bool too_large_ = false;
  std::string error_;
};

}  // namespace hookbroker::sio
