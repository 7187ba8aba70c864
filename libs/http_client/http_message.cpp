#include "http_client/http_message.hpp"

#include <algorithm>

#include "http_client/http_url.hpp"
#include "http_framing/field_text.hpp"

namespace hookbroker::http_client {
namespace {

using http_framing::ascii_lower;
using http_framing::trim_ows;

/// The header lines of a response head (after the status line).
std::vector<std::pair<std::string, std::string>> parse_headers(std::string_view head) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t line = head.find("\r\n");
  while (line != std::string_view::npos && line + 2 < head.size()) {
    const std::size_t start = line + 2;
    const std::size_t end = head.find("\r\n", start);
    const std::string_view text = head.substr(start, end == std::string_view::npos ? end : end - start);
    if (const std::size_t colon = text.find(':'); colon != std::string_view::npos)
      headers.emplace_back(ascii_lower(trim_ows(text.substr(0, colon))), std::string(trim_ows(text.substr(colon + 1))));
    line = end;
  }
  return headers;
}

/// Removes chunked framing from `body`. True once the last (empty) chunk
/// was read; `out` then holds the whole body.
bool decode_chunked(std::string_view body, std::string& out) {
  out.clear();
  for (;;) {
    const std::size_t size_end = body.find("\r\n");
    if (size_end == std::string_view::npos) return false;
    std::size_t size = 0;
    std::size_t i = 0;
    for (; i < size_end; ++i) {
      const char c = body[i];
      const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) break;  // a chunk extension (";...") or the end of the size
      if (size > (std::size_t{1} << 40)) return false;
      size = size * 16 + static_cast<std::size_t>(digit);
    }
    if (i == 0) return false;
    if (size == 0) return true;  // trailers, if any, are not kept
    if (body.size() < size_end + 2 + size + 2) return false;
    out.append(body.substr(size_end + 2, size));
    body.remove_prefix(size_end + 2 + size + 2);
  }
}

/// The three status digits of "HTTP/1.1 204 ...", or -1.
int status_of(std::string_view received) {
  if (received.size() < 12 || received.substr(0, 5) != "HTTP/") return -1;
  int status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (received[i] < '0' || received[i] > '9') return -1;
    status = status * 10 + (received[i] - '0');
  }
  return status;
}

}  // namespace

std::string format_request_head(const Request& request) {
  std::string head;
  head.reserve(256);
  head += request.method;
  head += ' ';
  head += request.target;
  head += " HTTP/1.1\r\n";
  // A Host among the headers replaces the default (a proxy's name, a test of
  // the broker's Host allow-list).
  const bool own_host = std::any_of(request.headers.begin(), request.headers.end(), [](const auto& h) {
    return ascii_lower(h.first) == "host";
  });
  if (!own_host) {
    head += "Host: ";
    head += authority(request.host, request.port);
    head += "\r\n";
  }
  head += "Connection: close\r\n";
  if (!request.body.empty() || request.method == "POST") {
    head += "Content-Length: ";
    head += std::to_string(request.body.size());
    head += "\r\n";
  }
  for (const auto& [name, value] : request.headers) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

std::string timeout_error(const Request& request, const std::string& doing) {
  return "timed out after " + std::to_string(request.timeout.count()) + " ms " + doing + " " +
         authority(request.host, request.port);
}

std::string Answer::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_case_name) return value;
  return {};
}

bool ResponseReader::add(std::string_view bytes) {
  received_.append(bytes);
  if (head_end_ == std::string::npos) {
    head_end_ = received_.find("\r\n\r\n");
    if (head_end_ != std::string::npos) {
      for (const auto& [name, value] : parse_headers(std::string_view(received_).substr(0, head_end_ + 2))) {
        if (name == "content-length") {
          std::size_t length = 0;
          bool digits = !value.empty();
          for (char c : value) {
            if (c < '0' || c > '9') digits = false;
            else length = length * 10 + static_cast<std::size_t>(c - '0');
          }
          has_length_ = digits;
          if (digits) content_length_ = length;
        } else if (name == "transfer-encoding") {
          chunked_ = ascii_lower(value).find("chunked") != std::string::npos;
        }
      }
    }
  }
  if (head_end_ != std::string::npos) {
    const int status = status_of(received_);
    const bool bodyless = head_request_ || (status >= 100 && status < 200) || status == 204 || status == 304;
    const std::string_view body = std::string_view(received_).substr(head_end_ + 4);
    std::string decoded;
    if (bodyless || (chunked_ && decode_chunked(body, decoded)) ||
        (!chunked_ && has_length_ && body.size() >= content_length_))
      return true;
  }
  return received_.size() > max_bytes_;
}

void ResponseReader::finish(Answer& answer) const {
  answer.status_line = received_.substr(0, std::min(received_.find("\r\n"), std::size_t{200}));
  const int status = status_of(received_);
  if (status < 0) {
    answer.outcome = Answer::Outcome::NoAnswer;
    answer.error = received_.empty() ? "the server closed the connection without answering"
                   : received_.size() >= 12 && received_.compare(0, 5, "HTTP/") == 0 ? "the answer has no status code"
                                                                                      : "the answer is not HTTP";
    return;
  }
  answer.outcome = Answer::Outcome::Answered;
  answer.status = status;
  answer.error.clear();
  if (head_end_ == std::string::npos) return;
  answer.headers = parse_headers(std::string_view(received_).substr(0, head_end_ + 2));
  answer.body = received_.substr(head_end_ + 4);
  if (std::string decoded; chunked_ && decode_chunked(answer.body, decoded)) answer.body = std::move(decoded);
}

}  // namespace hookbroker::http_client
