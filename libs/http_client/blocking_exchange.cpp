#include "http_client/blocking_exchange.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "http_client/http_url.hpp"

namespace hookbroker::http_client {
namespace {

using Clock = std::chrono::steady_clock;

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

bool make_address(const Request& request, sockaddr_storage& storage, socklen_t& length, std::string& error) {
  std::memset(&storage, 0, sizeof storage);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  if (::inet_pton(AF_INET, request.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(request.port);
    length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET6, request.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(request.port);
    length = sizeof(sockaddr_in6);
    return true;
  }
  error = "host '" + request.host + "' is not a numeric address (use 127.0.0.1 or ::1; the broker binds loopback)";
  return false;
}

bool send_all(int fd, const Request& request, std::string_view head, Clock::time_point deadline,
              std::string& error) {
  iovec parts[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(request.body.data()), request.body.size()}};
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
          error = timeout_error(request, "sending to");
          return false;
        }
        continue;
      }
      error = "cannot send to " + authority(request.host, request.port) + ": " + std::strerror(errno);
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

}  // namespace

Answer exchange(const Request& request) {
  Answer answer;
  const auto deadline = Clock::now() + request.timeout;
  const std::string where = authority(request.host, request.port);

  sockaddr_storage address;
  socklen_t address_length = 0;
  if (!make_address(request, address, address_length, answer.error)) return answer;

  Socket sock(::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (sock.fd() < 0) {
    answer.error = std::string("socket: ") + std::strerror(errno);
    return answer;
  }
  const int one = 1;
  ::setsockopt(sock.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  if (::connect(sock.fd(), reinterpret_cast<sockaddr*>(&address), address_length) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) {
      answer.error = "cannot connect to " + where + ": " + std::strerror(errno);
      return answer;
    }
    if (!wait_for(sock.fd(), POLLOUT, deadline)) {
      answer.error = timeout_error(request, "connecting to");
      return answer;
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    ::getsockopt(sock.fd(), SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error != 0) {
      answer.error = "cannot connect to " + where + ": " + std::strerror(so_error);
      return answer;
    }
  }

  // From here on the server may have received (part of) the request.
  answer.outcome = Answer::Outcome::NoAnswer;
  const std::string head = format_request_head(request);
  if (!send_all(sock.fd(), request, head, deadline, answer.error)) return answer;
  answer.request_fully_sent = true;

  ResponseReader reader(request);
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(sock.fd(), buf, sizeof buf, 0);
    if (n > 0) {
      if (reader.add(std::string_view(buf, static_cast<std::size_t>(n)))) break;
      continue;
    }
    if (n == 0) break;  // the server closed: whatever arrived is the answer
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_for(sock.fd(), POLLIN, deadline)) {
        answer.error = timeout_error(request, "waiting for an answer from");
        return answer;
      }
      continue;
    }
    answer.error = "no answer from " + where + ": " + std::strerror(errno);
    return answer;
  }
  reader.finish(answer);
  return answer;
}

}  // namespace hookbroker::http_client
