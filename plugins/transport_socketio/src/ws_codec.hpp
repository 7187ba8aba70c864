// RFC 6455 framing for the transport's own WebSocket connections
// (ws_connection.hpp), done by websocketpp's hybi13 processor: the library
// parses what clients send (masking, fragmentation, control frames, UTF-8,
// the size limit) and frames what the server sends. Only ws_codec.cpp
// includes websocketpp; this header is free of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "ws_link.hpp"

namespace hookbroker::sio {

/// Frames ready to write, back to back: written as they are to every
/// recipient (a server's frames are not masked), shared, never copied.
struct PreparedFrame {
  std::string bytes;
};

namespace ws_codec {

/// Close codes this transport sends (RFC 6455 7.4.1); 0 is "no status".
enum CloseCode : std::uint16_t {
  kNoStatus = 0,
  kNormal = 1000,
  kGoingAway = 1001,
  kProtocolError = 1002,
  kPolicyViolation = 1008,
};

/// One unfragmented frame; nullptr when `text` is not valid UTF-8.
std::shared_ptr<const PreparedFrame> text_frame(const std::string& text);
std::shared_ptr<const PreparedFrame> binary_frame(const std::string& bytes);
/// A close frame; `code` kNoStatus sends none (and no reason).
std::shared_ptr<const PreparedFrame> close_frame(std::uint16_t code, const std::string& reason);
std::shared_ptr<const PreparedFrame> pong_frame(const std::string& payload);
/// One text frame per packet of the run, back to back (packets that are not
/// valid UTF-8 are left out); nullptr when none is left.
std::shared_ptr<const PreparedFrame> run_frames(const OutboundRun& run);

/// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string accept_key(const std::string& client_key);

/// Parses a client's frames incrementally, in whatever pieces they arrive.
class FrameReader {
 public:
  enum class Kind { Text, Binary, Ping, Pong, Close };
  struct Message {
    Kind kind = Kind::Text;
    std::string payload;            ///< data, or a ping's payload; a close's reason
    std::uint16_t close_code = 0;   ///< Close: the client's code, kNoStatus if none
  };
  enum class Step { NeedMore, Message, Error };

  /// Messages longer than `max_message_bytes` are an error (close 1009).
  explicit FrameReader(std::size_t max_message_bytes);
  ~FrameReader();
  FrameReader(const FrameReader&) = delete;
  FrameReader& operator=(const FrameReader&) = delete;

  /// Consumes from [data, data + size) up to the end of the next message
  /// (unmasking the bytes in place);
  /// `used` says how much. Message: `out` holds it. Error: the connection
  /// must close with error_code() (1002, 1007, 1009, ...) and error_text().
  Step next(char* data, std::size_t size, std::size_t& used, Message& out);
  std::uint16_t error_code() const { return error_code_; }
  const std::string& error_text() const { return error_text_; }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::uint16_t error_code_ = 0;
  std::string error_text_;
};

}  // namespace ws_codec
}  // namespace hookbroker::sio
