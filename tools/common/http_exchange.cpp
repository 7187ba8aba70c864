#include "common/http_exchange.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace hookbroker::tools {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

/// Waits for `events` on fd until the deadline. False on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, remaining_ms(deadline));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

/// Resolves numeric addresses only: the broker listens on loopback, and a
/// name lookup would load NSS modules and cost more than the whole hook.
bool make_address(const BrokerEndpoint& e, sockaddr_storage& storage, socklen_t& length, std::string& error) {
  std::memset(&storage, 0, sizeof storage);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  if (::inet_pton(AF_INET, e.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(e.port);
    length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET6, e.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(e.port);
    length = sizeof(sockaddr_in6);
    return true;
  }
  error = "broker host '" + e.host + "' is not a numeric address (use 127.0.0.1 or ::1; the broker binds loopback)";
  return false;
}

std::string build_head(const BrokerEndpoint& e, const HttpCall& call) {
  std::string head;
  head.reserve(256);
  head += call.method;
  head += ' ';
  head += e.base_path;
  head += call.path;
  head += " HTTP/1.1\r\nHost: ";
  head += e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host;
  head += ':';
  head += std::to_string(e.port);
  head += "\r\nConnection: close\r\n";
  if (!call.body.empty() || call.method == "POST") {
    head += "Content-Length: ";
    head += std::to_string(call.body.size());
    head += "\r\n";
  }
  if (!e.token.empty()) {
    head += "Authorization: Bearer ";
    head += e.token;
    head += "\r\n";
  }
  for (const auto& [name, value] : call.headers) {
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  head += "\r\n";
  return head;
}

bool send_all(int fd, std::string_view head, std::string_view body, Clock::time_point deadline,
              std::string& error) {
  iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(body.data()), body.size()}};
  int first = 0;
  while (first < 2) {
    if (parts[first].iov_len == 0) {
      ++first;
      continue;
    }
    msghdr msg{};
    msg.msg_iov = parts + first;
    msg.msg_iovlen = static_cast<std::size_t>(2 - first);
    const ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait_for(fd, POLLOUT, deadline)) {
          error = "timed out sending the request";
          return false;
        }
        continue;
      }
      error = errno_text("send");
      return false;
    }
    auto left = static_cast<std::size_t>(n);
    while (first < 2 && left >= parts[first].iov_len) {
      left -= parts[first].iov_len;
      parts[first].iov_len = 0;
      ++first;
    }
    if (first < 2) {
      parts[first].iov_base = static_cast<char*>(parts[first].iov_base) + left;
      parts[first].iov_len -= left;
    }
  }
  return true;
}

/// Case-insensitive search for a header's value inside the response head.
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

}  // namespace

HttpAnswer http_exchange(const BrokerEndpoint& endpoint, const HttpCall& call) {
  HttpAnswer answer;
  const auto deadline = Clock::now() + std::chrono::milliseconds(call.timeout_ms);

  sockaddr_storage address;
  socklen_t address_length = 0;
  if (!make_address(endpoint, address, address_length, answer.error)) return answer;

  Socket sock(::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (sock.fd() < 0) {
    answer.error = errno_text("socket");
    return answer;
  }
  const int one = 1;
  ::setsockopt(sock.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  if (::connect(sock.fd(), reinterpret_cast<sockaddr*>(&address), address_length) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) {
      answer.error = "connect to " + endpoint.base_url() + ": " + std::strerror(errno);
      return answer;
    }
    if (!wait_for(sock.fd(), POLLOUT, deadline)) {
      answer.error = "connect to " + endpoint.base_url() + " timed out";
      return answer;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    ::getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error != 0) {
      answer.error = "connect to " + endpoint.base_url() + ": " + std::strerror(so_error);
      return answer;
    }
  }

  // From here on the broker may have received (part of) the request.
  answer.outcome = HttpAnswer::Outcome::NoAnswer;
  const std::string head = build_head(endpoint, call);
  if (!send_all(sock.fd(), head, call.body, deadline, answer.error)) return answer;
  answer.request_fully_sent = true;

  std::string received;
  std::size_t head_end = std::string::npos, content_length = 0;
  bool has_length = false;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(sock.fd(), buf, sizeof buf, 0);
    if (n > 0) {
      received.append(buf, static_cast<std::size_t>(n));
      if (head_end == std::string::npos) {
        head_end = received.find("\r\n\r\n");
        if (head_end != std::string::npos) has_length = find_content_length(std::string_view(received).substr(0, head_end + 2), content_length);
      }
      if (head_end != std::string::npos) {
        const std::size_t body_bytes = received.size() - head_end - 4;
        // 204/304 carry no body; otherwise stop once Content-Length is in.
        const bool bodyless = received.compare(9, 3, "204") == 0 || received.compare(9, 3, "304") == 0;
        if (bodyless || (has_length && body_bytes >= content_length)) break;
      }
      if (received.size() > kMaxAnswerBytes) break;
      continue;
    }
    if (n == 0) break;  // the server closed: whatever arrived is the answer
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_for(sock.fd(), POLLIN, deadline)) {
        answer.error = "no answer from " + endpoint.base_url() + " within " + std::to_string(call.timeout_ms) + " ms";
        return answer;
      }
      continue;
    }
    answer.error = errno_text("receive");
    return answer;
  }

  // "HTTP/1.1 204 No Content"
  if (received.size() < 12 || received.compare(0, 5, "HTTP/") != 0) {
    answer.error = received.empty() ? "the broker closed the connection without answering"
                                     : "the answer is not HTTP";
    return answer;
  }
  int status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (received[i] < '0' || received[i] > '9') {
      answer.error = "the answer has no status code";
      return answer;
    }
    status = status * 10 + (received[i] - '0');
  }
  answer.outcome = HttpAnswer::Outcome::Answered;
  answer.status = status;
  if (head_end != std::string::npos) answer.body = received.substr(head_end + 4);
  return answer;
}

}  // namespace hookbroker::tools
