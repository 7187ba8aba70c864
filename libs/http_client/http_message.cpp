#include "http_client/http_message.hpp"

#include <algorithm>

#include "http_client/http_url.hpp"

namespace hookbroker::http_client {
namespace {

/// Case-insensitive search for Content-Length inside a response head.
bool find_content_length(std::string_view head, std::size_t& length) {
  constexpr std::string_view name = "\r\ncontent-length:";
  for (std::size_t i = 0; i + name.size() <= head.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < name.size() && match; ++k) {
      char c = head[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      match = c == name[k];
    }
    if (!match) continue;
    std::size_t p = i + name.size(), value = 0;
    while (p < head.size() && head[p] == ' ') ++p;
    bool digits = false;
    while (p < head.size() && head[p] >= '0' && head[p] <= '9') {
      value = value * 10 + static_cast<std::size_t>(head[p++] - '0');
      digits = true;
    }
    if (digits) length = value;
    return digits;
  }
  return false;
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
  head += " HTTP/1.1\r\nHost: ";
  head += authority(request.host, request.port);
  head += "\r\nConnection: close\r\n";
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

bool ResponseReader::add(std::string_view bytes) {
  received_.append(bytes);
  if (head_end_ == std::string::npos) {
    head_end_ = received_.find("\r\n\r\n");
    if (head_end_ != std::string::npos)
      has_length_ = find_content_length(std::string_view(received_).substr(0, head_end_ + 2), content_length_);
  }
  if (head_end_ != std::string::npos) {
    const int status = status_of(received_);
    const bool bodyless = (status >= 100 && status < 200) || status == 204 || status == 304;
    if (bodyless || (has_length_ && received_.size() - head_end_ - 4 >= content_length_)) return true;
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
  if (head_end_ != std::string::npos) answer.body = received_.substr(head_end_ + 4);
}

}  // namespace hookbroker::http_client
