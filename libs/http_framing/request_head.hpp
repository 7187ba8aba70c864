// The framing checks of an HTTP/1.1 request head (RFC 9112), run on the raw
// bytes before any parser trusts them. A request whose framing two parsers
// could read differently (two Content-Lengths, Transfer-Encoding beside
// Content-Length, a header name with a space before its colon, control
// characters in a value) is the material of request smuggling and header
// injection; such a request is refused, never guessed at.
//
// What is refused, and the status it is refused with:
//   400  a request line that is not `METHOD SP target SP HTTP/d.d`; a method
//        or header name that is not a token; whitespace between a header name
//        and its colon; a line starting with whitespace (obsolete folding);
//        a bare CR or LF; a control character (NUL included) in a header value
//        or the target; a Content-Length that is not digits, or two different
//        ones; Transfer-Encoding together with Content-Length, in an HTTP/1.0
//        request, or not ending in `chunked`, or naming `chunked` twice;
//        no Host header, or more than one;
//   501  a transfer coding other than chunked (gzip, ...): not implemented;
//   505  an HTTP major version other than 1.
// Identical Content-Length values (`5, 5` or two `Content-Length: 5` lines)
// are accepted as one, as RFC 9110 section 8.6 allows: they cannot be read two
// ways. Transfer-Encoding and its codings are compared without regard to
// case, so `Chunked` is chunked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookbroker::http_framing {

/// How a request's body follows its head.
enum class BodyFraming {
  None,           ///< no body
  ContentLength,  ///< exactly `content_length` bytes
  Chunked,        ///< the chunked transfer coding
};

struct HeadCheck {
  int status = 0;     ///< 0 when the head is acceptable; else the status to refuse it with
  std::string error;  ///< what was wrong and what to send instead (for a JSON error body)
  BodyFraming framing = BodyFraming::None;
  std::uint64_t content_length = 0;  ///< with BodyFraming::ContentLength

  bool ok() const { return status == 0; }
};

/// Where the head in `data` ends: the offset just past its empty line
/// ("\r\n\r\n"), or std::string_view::npos when it has not ended yet.
/// `from` lets a caller resume a search as bytes arrive (it may point up to
/// three bytes before the end of what was searched already).
std::size_t find_head_end(std::string_view data, std::size_t from = 0);

/// Checks a complete request head: the request line and the header lines,
/// each ending in CRLF, and the empty line that ends the head (as
/// find_head_end() delimits it). The body is not part of it.
HeadCheck check_request_head(std::string_view head);

}  // namespace hookbroker::http_framing
