// Clients for raw-protocol tests: HTTP requests through the project's one
// client (libs/http_client), raw bytes and WebSocket (Boost.Beast). Blocking
// calls with timeouts, so a hung server fails a test instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sio_it {

struct HttpResult {
  int status = 0;  ///< 0 when no answer came
  std::map<std::string, std::string> headers;  ///< names lower-case
  std::string body;
  std::string error;  ///< transport error, when status is 0
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

/// The "error" of a JSON error answer, "" when it has none.
std::string error_of(const HttpResult& result);

/// One request on a fresh connection (libs/http_client's blocking exchange).
/// A body is sent as application/json unless `headers` say otherwise.
HttpResult http(int port, const std::string& method, const std::string& target, const std::string& body = "",
                const std::vector<std::pair<std::string, std::string>>& headers = {},
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Bytes written as they are, the sending side shut down (so a keep-alive
/// server closes once it has answered), and the raw answer read until the
/// server closes (for chunked bodies and other framing Beast would do for us).
std::string raw_exchange(int port, const std::string& bytes,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// A WebSocket upgrade request for `target`, sent raw; the server's whole
/// answer (Beast's client does not expose a refused handshake's response).
std::string raw_upgrade(int port, const std::string& target);

/// One TCP connection kept open across requests, for keep-alive tests.
/// Answers must be framed by Content-Length (or have no body: 1xx, 204, 304,
/// HEAD): one that is not fails to read, which is what those tests check.
class KeepAliveClient {
 public:
  explicit KeepAliveClient(int port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~KeepAliveClient();
  KeepAliveClient(const KeepAliveClient&) = delete;
  KeepAliveClient& operator=(const KeepAliveClient&) = delete;

  bool connected() const;
  /// Writes bytes as they are (one request, several, or a part of one).
  bool send(const std::string& bytes);
  /// The next answer; status 0 and `error` when none could be read whole.
  /// `head_request`: the answer to a HEAD (a Content-Length, no body).
  HttpResult read_answer(bool head_request = false);
  /// Bytes as they arrive, after any answer already read: for a WebSocket
  /// after its 101. "" on timeout or close.
  std::string read_some();
  /// True when the server closes the connection within `timeout` (reading
  /// nothing else before).
  bool closed_by_server(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "METHOD target HTTP/1.1" with Host, the extra header lines (each ending in
/// CRLF) and, when there is a body, Content-Type: application/json and its
/// Content-Length.
std::string request_bytes(const std::string& method, const std::string& target, const std::string& body = "",
                          const std::string& extra_headers = "");

class WsClient {
 public:
  struct Message {
    std::string data;
    bool binary = false;
  };
  /// Opens ws://127.0.0.1:port<target>. `receive_buffer` > 0 shrinks the
  /// socket's receive buffer (a client that stops reading fills up sooner).
  WsClient(int port, const std::string& target, int receive_buffer = 0);
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  bool open() const;

  bool send(const std::string& text);
  bool send_binary(const std::string& bytes);
  /// The next message, or nullopt on timeout, close or error.
  std::optional<Message> read(std::chrono::milliseconds timeout);
  /// Reads until a text message starts with `prefix`, answering pings;
  /// returns it, or nullopt.
  std::optional<std::string> read_until_prefix(const std::string& prefix, std::chrono::milliseconds timeout);
  /// True once the server closed the connection (close frame, EOF or reset).
  bool closed_by_server(std::chrono::milliseconds timeout);
  /// The close code the server sent, if any.
  int close_code() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sio_it
