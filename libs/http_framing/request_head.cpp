#include "http_framing/request_head.hpp"

#include <vector>

#include "http_framing/field_text.hpp"

namespace hookbroker::http_framing {
namespace {

constexpr std::string_view kCrlf = "\r\n";

/// RFC 9110 section 5.6.2: the characters of a token (method, header name).
bool is_tchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

/// RFC 9110 section 5.5: field-vchar, SP and HTAB (obs-text included).
bool is_field_value_char(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

/// The request target: visible characters; bytes above 0x7f are left to the
/// text checks that follow parsing (they answer with a UTF-8 reason).
bool is_target_char(unsigned char c) { return c > 0x20 && c != 0x7f; }

/// The sender's text quoted back in an error: bounded, control bytes as \xNN.
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 60;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f || c >= 0x80) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

std::string hex_byte(unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string("0x") + kHex[c >> 4] + kHex[c & 15];
}

HeadCheck refuse(int status, std::string error) {
  HeadCheck check;
  check.status = status;
  check.error = std::move(error);
  return check;
}

HeadCheck bad_request(std::string error) { return refuse(400, std::move(error)); }

struct RequestLine {
  int minor_version = 1;
};

/// `line` is `METHOD SP request-target SP HTTP/1.d` (RFC 9112 section 3).
HeadCheck check_request_line(std::string_view line, RequestLine& out) {
  if (line.empty()) return bad_request("the request starts with an empty line: send the request line first");
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
    return bad_request("malformed request line " + shown(line) +
                       ": send 'METHOD /target HTTP/1.1' with single spaces");
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (method.empty()) return bad_request("the request line has no method");
  for (const char c : method)
    if (!is_tchar(static_cast<unsigned char>(c)))
      return bad_request("the method " + shown(method) + " is not a token");
  if (target.empty()) return bad_request("the request line has no target: send a path such as /health");
  for (const char c : target)
    if (!is_target_char(static_cast<unsigned char>(c)))
      return bad_request("the request target contains the control character " +
                         hex_byte(static_cast<unsigned char>(c)) + ": percent-encode it");
  const bool shaped = version.size() == 8 && version.compare(0, 5, "HTTP/") == 0 && version[5] >= '0' &&
                      version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9';
  if (!shaped) return bad_request("the HTTP version " + shown(version) + " is malformed: send HTTP/1.1");
  if (version[5] != '1') return refuse(505, "HTTP version " + std::string(version) + " is not supported: send HTTP/1.1");
  out.minor_version = version[7] - '0';
  return {};
}

/// Reads a Content-Length field value (a list, when repeated or combined):
/// every element must be digits and name the same number.
HeadCheck read_content_length(std::string_view value, bool& seen, std::uint64_t& length) {
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = value.find(',', start);
    const std::string_view element = trim_ows(value.substr(start, comma - start));
    if (element.empty())
      return bad_request("Content-Length " + shown(value) + " is not a number of bytes: send one decimal number");
    std::uint64_t n = 0;
    for (const char c : element) {
      if (c < '0' || c > '9')
        return bad_request("Content-Length " + shown(value) + " is not a number of bytes: send one decimal number");
      if (n > (UINT64_MAX - 9) / 10)
        return refuse(413, "Content-Length " + shown(element) + " is larger than any body this server takes");
      n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (seen && n != length)
      return bad_request("two different Content-Length values (" + std::to_string(length) + " and " +
                         std::to_string(n) + "): send one");
    seen = true;
    length = n;
    if (comma == std::string_view::npos) return {};
    start = comma + 1;
  }
}

/// Adds the codings a Transfer-Encoding field value lists, lower-cased.
void read_transfer_codings(std::string_view value, std::vector<std::string>& codings) {
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = value.find(',', start);
    const std::string_view element = trim_ows(value.substr(start, comma - start));
    if (!element.empty()) codings.push_back(ascii_lower(element));  // RFC 9110 5.6.1: empty elements are ignored
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

/// RFC 9112 sections 6.1 and 6.3: what a Transfer-Encoding means for a request.
HeadCheck check_transfer_codings(const std::vector<std::string>& codings, const RequestLine& line,
                                 bool has_content_length) {
  if (codings.empty()) return bad_request("Transfer-Encoding is empty: send 'Transfer-Encoding: chunked' or Content-Length");
  if (has_content_length)
    return bad_request("the request has both Transfer-Encoding and Content-Length, which two servers could read "
                       "differently (request smuggling): send one of them");
  if (line.minor_version == 0)
    return bad_request("Transfer-Encoding is not allowed in an HTTP/1.0 request: send Content-Length or use HTTP/1.1");
  if (codings.back() != "chunked")
    return bad_request("Transfer-Encoding " + shown(codings.back()) +
                       " does not end in chunked, so the body has no end: send 'Transfer-Encoding: chunked'");
  for (std::size_t i = 0; i + 1 < codings.size(); ++i)
    if (codings[i] == "chunked") return bad_request("Transfer-Encoding names chunked more than once: name it once");
  if (codings.size() > 1)
    return refuse(501, "the transfer coding " + shown(codings.front()) +
                           " is not implemented: send the body with 'Transfer-Encoding: chunked' alone or with "
                           "Content-Length");
  return {};
}

}  // namespace

std::size_t find_head_end(std::string_view data, std::size_t from) {
  const std::size_t at = data.find("\r\n\r\n", from);
  return at == std::string_view::npos ? at : at + 4;
}

HeadCheck check_request_head(std::string_view head) {
  std::size_t pos = 0;
  // The next line without its CRLF; only CRLF ends a line, a lone CR or LF
  // is refused (RFC 9112 section 2.2 lets a server refuse them).
  auto next_line = [&](std::string_view& line) -> HeadCheck {
    const std::size_t end = head.find_first_of(kCrlf, pos);
    if (end == std::string_view::npos)
      return bad_request("the request head does not end with an empty line (CRLF CRLF)");
    if (head[end] == '\n' || end + 1 >= head.size() || head[end + 1] != '\n')
      return bad_request(std::string("a line of the request head contains a bare ") +
                         (head[end] == '\n' ? "LF" : "CR") + ": end every line with CRLF");
    line = head.substr(pos, end - pos);
    pos = end + 2;
    return {};
  };

  std::string_view line;
  if (HeadCheck c = next_line(line); !c.ok()) return c;
  RequestLine request_line;
  if (HeadCheck c = check_request_line(line, request_line); !c.ok()) return c;

  bool has_length = false;
  std::uint64_t length = 0;
  bool has_transfer_encoding = false;
  std::vector<std::string> codings;
  int hosts = 0;
  bool empty_host = false;
  while (true) {
    if (HeadCheck c = next_line(line); !c.ok()) return c;
    if (line.empty()) break;
    if (is_ows(line.front()))
      return bad_request("a header line starts with whitespace (obsolete line folding): put each header on one line");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad_request("the header line " + shown(line) + " has no colon");
    const std::string_view name = line.substr(0, colon);
    if (name.empty()) return bad_request("a header line has no name before its colon");
    if (is_ows(name.back()))
      return bad_request("whitespace between the header name " + shown(trim_ows(name)) +
                         " and its colon: write 'Name: value'");
    for (const char c : name)
      if (!is_tchar(static_cast<unsigned char>(c)))
        return bad_request("the header name " + shown(name) + " is not a token (letters, digits and !#$%&'*+-.^_`|~)");
    const std::string_view raw_value = line.substr(colon + 1);
    for (const char c : raw_value)
      if (!is_field_value_char(static_cast<unsigned char>(c)))
        return bad_request("the header " + shown(name) + " contains the control character " +
                           hex_byte(static_cast<unsigned char>(c)) + ": header values must be visible text");
    const std::string_view value = trim_ows(raw_value);
    const std::string key = ascii_lower(name);
    if (key == "content-length") {
      if (HeadCheck c = read_content_length(value, has_length, length); !c.ok()) return c;
    } else if (key == "transfer-encoding") {
      has_transfer_encoding = true;
      read_transfer_codings(value, codings);
    } else if (key == "host") {
      ++hosts;
      empty_host = value.empty();
    }
  }

  if (hosts == 0) return bad_request("the request has no Host header: send 'Host: <the broker's host:port>'");
  if (hosts > 1) return bad_request("the request has more than one Host header: send one");
  if (empty_host) return bad_request("the Host header is empty: send 'Host: <the broker's host:port>'");

  HeadCheck check;
  if (has_transfer_encoding) {
    check = check_transfer_codings(codings, request_line, has_length);
    if (check.ok()) check.framing = BodyFraming::Chunked;
  } else if (has_length) {
    check.framing = BodyFraming::ContentLength;
    check.content_length = length;
  }
  return check;
}

}  // namespace hookbroker::http_framing
