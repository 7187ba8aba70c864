// One HTTP/1.1 exchange as this project's client speaks it, apart from any
// I/O: the request (always "Connection: close"), the answer, how a request is
// written and how an answer is read. Both drivers use it: blocking_exchange
// (POSIX, for the tools and tests) and async_exchange (Boost.Asio, for
// plugins).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookbroker::http_client {

struct Request {
  std::string method = "GET";
  std::string host;           ///< address or name (the blocking driver takes addresses only)
  std::uint16_t port = 80;
  std::string target = "/";   ///< path and query
  /// Beyond Connection and Content-Length; a Host here replaces the default.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view body;      ///< the blocking driver sends it in place; the async one copies it
  std::chrono::milliseconds timeout{1000};  ///< for the whole exchange: connect, send, answer
  std::size_t max_answer_bytes = 64 * 1024;  ///< what is read of the answer at most; the rest is cut off
};

struct Answer {
  /// What happened, so a caller can tell "never reached the server" (safe to
  /// resend) from "sent, but no answer" (the server may have acted on it).
  enum class Outcome {
    Answered,      ///< a status line arrived: see `status`
    NotConnected,  ///< unresolvable, refused, unreachable: the request was not sent
    NoAnswer,      ///< connected and (maybe partly) sent, then no complete answer
  };
  Outcome outcome = Outcome::NotConnected;
  int status = 0;
  std::string status_line;  ///< the first line received ("HTTP/1.1 404 Not Found"), "" when none
  std::vector<std::pair<std::string, std::string>> headers;  ///< as received, names in lower case
  std::string body;         ///< after the head, chunked framing removed (capped with the answer)
  std::string error;        ///< for NotConnected / NoAnswer: what went wrong
  bool request_fully_sent = false;

  bool ok() const { return outcome == Outcome::Answered && status >= 200 && status < 300; }
  /// The value of header `lower_case_name`, "" when absent.
  std::string header(std::string_view lower_case_name) const;
};

/// The request line and headers, ending in the blank line; the body follows
/// them on the wire unchanged.
std::string format_request_head(const Request& request);

/// "timed out after N ms <doing>", the drivers' one wording for a deadline.
std::string timeout_error(const Request& request, const std::string& doing);

/// Collects an answer's bytes and says when it is complete: the head and
/// Content-Length bytes of body, the head and a chunked body's last chunk,
/// the head alone for HEAD requests and 1xx/204/304, otherwise when the
/// server closes (the request asked it to). Stops at `max_bytes`.
class ResponseReader {
 public:
  static constexpr std::size_t kDefaultMaxBytes = 64 * 1024;
  explicit ResponseReader(std::size_t max_bytes = kDefaultMaxBytes, bool head_request = false)
      : max_bytes_(max_bytes), head_request_(head_request) {}
  explicit ResponseReader(const Request& request)
      : ResponseReader(request.max_answer_bytes, request.method == "HEAD") {}

  /// Adds received bytes; true once nothing more needs to be read.
  bool add(std::string_view bytes);
  /// Fills `answer` from what arrived (call when add() said complete or the
  /// server closed): Answered with status and body, or NoAnswer with a reason.
  void finish(Answer& answer) const;

 private:
  std::size_t max_bytes_;
  bool head_request_;
  std::string received_;
  std::size_t head_end_ = std::string::npos;
  bool has_length_ = false;
  bool chunked_ = false;
  std::size_t content_length_ = 0;
};

}  // namespace hookbroker::http_client
