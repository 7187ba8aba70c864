// Reads HTTP/1.1 requests, one after another, out of the bytes a connection
// receives: the HTTP front's parsing, apart from its sockets and timers, so
// that it is unit-tested and fuzzed (tests/fuzz/http_front_fuzz.cpp) on any
// bytes in any split.
//
// For each request: the head is collected up to `max_head_bytes` (431
// beyond), checked by libs/http_framing (the one home of those checks:
// 400/501/505 with its reason), then parsed by Boost.Beast; a WebSocket
// handshake (Beast's websocket::is_upgrade) stops the reading there; a body
// is read as the head frames it (Content-Length, or chunked through
// ChunkedBodyDecoder), and a Content-Length over `max_body_bytes` is refused
// 413 before any of the body is read. Bytes after a request stay buffered
// for the next one (pipelining).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "chunked_body.hpp"
#include "hookbroker/http.hpp"
#include "http_framing/request_head.hpp"

namespace hookbroker::sio {

class HttpRequestReader {
 public:
  enum class Step {
    NeedMore,  ///< read more bytes, then call next() again
    Continue,  ///< the client waits for "100 Continue" before its body: send it, then call next() again
    Request,   ///< a whole request: take_request()
    Upgrade,   ///< a WebSocket handshake: take_request(); take_buffered() holds all after it
    Refuse,    ///< answer refusal() and close: the rest cannot be read as HTTP
  };

  struct Refusal {
    int status = 0;
    std::string reason;
  };

  /// A route's own body limit for a method and path, 0 for none.
  using RouteBodyLimit = std::function<std::size_t(const std::string& method, const std::string& path)>;

  /// `route_body_limit` (may be null or empty; must outlive the reader): a
  /// request for a route with its own limit may have a body up to twice it
  /// instead of `max_body_bytes`, so that the route's owner answers 413 with
  /// its JSON reason; beyond twice it, 413 before the body is read.
  HttpRequestReader(std::size_t max_head_bytes, std::size_t max_body_bytes,
                    const RouteBodyLimit* route_body_limit = nullptr)
      : max_head_(max_head_bytes), max_body_(max_body_bytes), route_body_limit_(route_body_limit) {}

  void add(std::string_view bytes) { in_.append(bytes); }
  /// Room for the next read, after what is buffered: 1 KiB, doubled (up to
  /// 64 KiB) each time a read fills it. Small, because every connection,
  /// every WebSocket's included, starts here, and a handshake is a few hundred
  /// bytes; growing, so that a large body is not read 1 KiB at a time.
  char* prepare_read(std::size_t& size);
  /// `n` bytes were read into the room prepare_read() gave.
  void commit_read(std::size_t n);
  /// Progress on what was added. After Request, the next call starts on the
  /// next request; after Upgrade and Refuse the reader is done.
  Step next();

  /// After Request and Upgrade. Headers are lower-case, repeated ones joined by ", ".
  HttpRequest take_request() { return std::move(request_); }
  unsigned version() const { return version_; }  ///< 10 or 11
  bool keep_alive() const { return keep_alive_; }  ///< what the request asks for
  bool head_method() const { return head_method_; }
  /// After Refuse.
  const Refusal& refusal() const { return refusal_; }
  /// After Upgrade: every byte received after the handshake's head.
  std::string take_buffered() { return std::move(in_); }

  /// Bytes received and not yet used (the next request's, when pipelined).
  bool has_buffered() const { return !in_.empty(); }
  /// Between the head and the end of a request's body.
  bool reading_body() const { return phase_ == Phase::Body; }

 private:
  enum class Phase { Head, Body, Done };

  Step read_head(std::size_t end);
  /// True once the body is in request_.body (and out of in_).
  bool body_complete();
  Step refuse(int status, std::string reason);

  /// The body limit of the request being read: max_body_, or its route's.
  std::size_t body_limit_for(const HttpRequest& request, std::size_t& route_limit) const;

  std::size_t max_head_;
  std::size_t max_body_;
  const RouteBodyLimit* route_body_limit_;
  std::string in_;            ///< received and not yet used
  std::size_t read_size_ = 1024;
  std::size_t searched_ = 0;  ///< in_ searched for the head's end up to here
  Phase phase_ = Phase::Head;

  HttpRequest request_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_method_ = false;
  bool expects_continue_ = false;
  http_framing::BodyFraming framing_ = http_framing::BodyFraming::None;
  std::size_t content_length_ = 0;
  std::optional<ChunkedBodyDecoder> chunked_;
  Refusal refusal_;
};

}  // namespace hookbroker::sio
