// The Engine.IO layer's view of one WebSocket connection. WsConnection
// (ws_connection.hpp) implements it; nothing here includes websocketpp, so
// the session logic builds and is tested without it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace hookbroker::sio {

class EngineSession;

/// The WebSocket layer's ready-to-write frames for an OutboundRun (defined
/// by that layer; opaque here).
struct PreparedFrame;

/// Broadcasts sent to many clients together: each Engine.IO packet encoded
/// once as text, the run framed for WebSocket at most once (its frames back
/// to back, one write per client), shared by every recipient.
struct OutboundRun {
  /// The Engine.IO packets, oldest first, e.g. 42["claude_event",{...}].
  std::vector<std::shared_ptr<const std::string>> texts;
  std::size_t bytes = 0;  ///< sum of the texts' sizes

  void add(std::shared_ptr<const std::string> text) {
    bytes += text->size();
    texts.push_back(std::move(text));
  }
  /// Filled by the WebSocket layer on first use. Only touched on the plugin's
  /// strand, like everything that handles an OutboundRun.
  mutable std::shared_ptr<const PreparedFrame> frames;
};

class WsLink {
 public:
  virtual ~WsLink() = default;

  virtual void send_text(const std::string& text) = 0;
  virtual void send_binary(const std::string& bytes) = 0;
  virtual void send_shared(const OutboundRun& run) = 0;
  /// Bytes queued for this connection and not yet written to the socket.
  virtual std::size_t buffered_bytes() const = 0;
  /// Orderly close, as the reference server closes (a close frame, no status).
  virtual void close() = 0;
  /// Drop a connection that cannot keep up: close code 1008 with `reason`,
  /// and cut the TCP connection soon even if the close frame never leaves the
  /// backlog.
  virtual void abort(const std::string& reason) = 0;
  virtual const std::string& remote() const = 0;

  /// The session this connection carries (plugin strand only).
  std::weak_ptr<EngineSession> session;
};

}  // namespace hookbroker::sio
