#include "accept_loop.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "hookbroker/http.hpp"
#include "http_date.hpp"
#include "options.hpp"
#include "spell_log/spell_log.hpp"

namespace hookbroker::sio {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using namespace std::chrono_literals;
using spell_log::seconds_text;
using spell_log::SpellLog;

constexpr std::chrono::milliseconds kFirstBackoff = 5ms;
constexpr std::chrono::milliseconds kMaxBackoff = 250ms;
constexpr int kRetryAfterS = 1;

/// accept() failed for one connection only (accept(2): treat like EAGAIN).
bool is_one_connection(const error_code& ec) {
  return ec == asio::error::connection_aborted || ec == asio::error::interrupted ||
         ec == asio::error::would_block || ec == asio::error::try_again ||
         ec == boost::system::errc::protocol_error || ec == asio::error::network_down ||
         ec == asio::error::host_unreachable || ec == asio::error::network_unreachable ||
         ec == boost::system::errc::operation_not_permitted;
}

int open_reserve() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

/// Answers a connection that will not be served. What it already sent is read
/// first: closing a socket with unread bytes resets the connection, and the
/// reset can destroy the answer before the client reads it.
void refuse(tcp::socket& socket, const std::string& answer) {
  error_code ec;
  socket.non_blocking(true, ec);
  char sink[4096];
  for (int i = 0; i < 16 && !ec; ++i) socket.read_some(asio::buffer(sink), ec);
  ec.clear();
  socket.write_some(asio::buffer(answer), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

using Log = std::function<void(const std::string&)>;

SpellLog::Report shortage_report(Log warn, Log info, std::shared_ptr<std::atomic<std::size_t>> answered,
                                 std::chrono::milliseconds interval) {
  return {[warn, answered, interval](std::size_t failed) {
            warn("still out of file descriptors: " + std::to_string(failed) + " failed accepts in the last " +
                 seconds_text(interval) + ", " + std::to_string(answered->exchange(0)) +
                 " connections answered 503");
          },
          [info, answered, interval](std::size_t, std::chrono::milliseconds lasted) {
            info("accepting connections again: no accept failed in the last " + seconds_text(interval) +
                 "; the shortage of file descriptors lasted " + std::to_string(lasted.count()) + " ms, " +
                 std::to_string(answered->exchange(0)) + " more connections were answered 503");
          }};
}

SpellLog::Report limit_report(Log warn, Log info, std::chrono::milliseconds interval) {
  return {[warn, interval](std::size_t refused) {
            warn(std::to_string(refused) + " connections answered 503 at the connection limit in the last " +
                 seconds_text(interval));
          },
          [info, interval](std::size_t refused, std::chrono::milliseconds lasted) {
            info("below the connection limit again: none refused in the last " + seconds_text(interval) + "; " +
                 std::to_string(refused) + " connections were answered 503 over " + std::to_string(lasted.count()) +
                 " ms");
          }};
}

}  // namespace

std::string refusal_503(const std::string& error, int retry_after_s) {
  const std::string body = HttpResponse::error(503, error).body;
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nRetry-After: " + std::to_string(retry_after_s) +
         "\r\nDate: " + http_date_now() + "\r\nConnection: close\r\n\r\n" + body;
}

struct AcceptLoop::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, std::size_t max, std::chrono::milliseconds log_interval, Callbacks cb)
      : io(context),
        strand(asio::make_strand(context)),
        acceptor(context),
        pending(context),
        backoff_timer(strand),
        max_connections(max),
        callbacks(std::move(cb)),
        shortage_log(context, log_interval,
                     shortage_report(callbacks.warn, callbacks.info, answered_short, log_interval)),
        limit_log(context, log_interval, limit_report(callbacks.warn, callbacks.info, log_interval)),
        limit_answer(refusal_503("the broker has reached its connection limit (" + std::to_string(max) +
                                     " connections, max_connections); try again shortly",
                                 kRetryAfterS)) {}

  asio::io_context& io;
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  tcp::socket pending;  ///< the next connection is accepted into it
  asio::steady_timer backoff_timer;
  std::size_t max_connections;
  Callbacks callbacks;
  /// Shared with the tickets, which may outlive the loop.
  std::shared_ptr<std::atomic<std::size_t>> open = std::make_shared<std::atomic<std::size_t>>(0);
  /// Connections answered from the reserve since the last log line.
  std::shared_ptr<std::atomic<std::size_t>> answered_short = std::make_shared<std::atomic<std::size_t>>(0);
  std::atomic<std::uint16_t> port{0};
  int reserve_fd = -1;
  bool closed = false;

  // Strand only.
  bool short_of_resources = false;
  bool backing_off = false;  ///< the backoff timer will restart the accept
  std::chrono::milliseconds backoff = kFirstBackoff;
  /// short_of_resources for the tickets: a connection that closes then wakes
  /// the loop at once, its descriptor being what the loop waits for.
  std::atomic<bool> shortage_flag{false};

  SpellLog shortage_log;  ///< failed accepts for want of descriptors
  SpellLog limit_log;     ///< connections refused at max_connections

  const std::string shortage_answer = refusal_503(
      "the broker has run out of file descriptors and cannot serve this connection now; try again shortly",
      kRetryAfterS);
  const std::string limit_answer;

  void accept_next() {
    if (closed) return;
    acceptor.async_accept(pending, asio::bind_executor(strand, [self = shared_from_this()](const error_code& ec) {
                            self->accepted(ec);
                          }));
  }

  void accepted(const error_code& ec) {
    if (closed || ec == asio::error::operation_aborted) return;
    if (!ec) {
      short_of_resources = false;
      shortage_flag = false;
      backoff = kFirstBackoff;
      if (reserve_fd < 0) reserve_fd = open_reserve();
      admit(std::move(pending));
      accept_next();
      return;
    }
    if (is_one_connection(ec)) {
      accept_next();
      return;
    }
    // EMFILE, ENFILE, ENOBUFS, ENOMEM, and whatever else fails the listening
    // socket itself: retrying at once would only spin.
    short_of(ec);
  }

  void admit(tcp::socket socket) {
    if (open->load(std::memory_order_relaxed) >= max_connections) {
      if (limit_log.occurred())
        callbacks.warn("connection limit reached: " + std::to_string(max_connections) +
                       " connections are open (max_connections); new connections are answered 503 until some "
                       "close");
      refuse(socket, limit_answer);
      return;
    }
    open->fetch_add(1, std::memory_order_relaxed);
    Ticket ticket(nullptr, [open = open, weak = weak_from_this()](void*) {
      open->fetch_sub(1, std::memory_order_relaxed);
      if (auto self = weak.lock(); self && self->shortage_flag.load(std::memory_order_relaxed))
        asio::post(self->strand, [self] { self->retry_now(); });
    });
    callbacks.on_accepted(std::move(socket), std::move(ticket));
  }

  void short_of(const error_code& ec) {
    if (!short_of_resources) {
      short_of_resources = true;
      shortage_flag = true;
      backoff = kFirstBackoff;
    } else {
      backoff = std::min(backoff * 2, kMaxBackoff);
    }
    if (shortage_log.occurred())
      callbacks.warn("cannot accept connections: " + ec.message() + " (" +
                     std::to_string(open->load(std::memory_order_relaxed)) + " connections open, open-file limit " +
                     std::to_string(open_file_limit()) +
                     "); retrying with a growing delay and answering waiting connections 503 until descriptors "
                     "free up (lower max_connections or raise the limit)");
    answer_one_with_reserve();
    backing_off = true;
    backoff_timer.expires_after(backoff);
    backoff_timer.async_wait([self = shared_from_this()](const error_code& wait_ec) {
      if (wait_ec || !self->backing_off) return;
      self->backing_off = false;
      self->accept_next();
    });
  }

  /// A connection closed while descriptors were short: try now, not when
  /// the timer says.
  void retry_now() {
    if (!backing_off || closed) return;
    backing_off = false;
    backoff_timer.cancel();
    accept_next();
  }

  /// Gives up the reserve descriptor for as long as it takes to tell one
  /// waiting client to come back later.
  void answer_one_with_reserve() {
    if (reserve_fd >= 0) ::close(reserve_fd);
    reserve_fd = -1;
    error_code ec;
    acceptor.non_blocking(true, ec);
    tcp::socket socket(io);
    acceptor.accept(socket, ec);
    if (!ec) {
      refuse(socket, shortage_answer);
      answered_short->fetch_add(1, std::memory_order_relaxed);
    }
    reserve_fd = open_reserve();
  }
};

AcceptLoop::AcceptLoop(asio::io_context& io, std::size_t max_connections, std::chrono::milliseconds log_interval,
                       Callbacks callbacks)
    : impl_(std::make_shared<Impl>(io, max_connections, log_interval, std::move(callbacks))) {}

AcceptLoop::~AcceptLoop() { close(); }

error_code AcceptLoop::listen(const tcp::endpoint& where) {
  error_code ec;
  auto& acceptor = impl_->acceptor;
  acceptor.open(where.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(where, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  tcp::endpoint local;
  if (!ec) local = acceptor.local_endpoint(ec);
  if (ec) {
    error_code ignored;
    acceptor.close(ignored);
    return ec;
  }
  impl_->port = local.port();
  impl_->reserve_fd = open_reserve();
  return {};
}

std::uint16_t AcceptLoop::port() const { return impl_->port.load(); }

void AcceptLoop::start() {
  asio::dispatch(impl_->strand, [impl = impl_] { impl->accept_next(); });
}

void AcceptLoop::close() {
  if (!impl_ || impl_->closed) return;
  impl_->closed = true;
  error_code ec;
  impl_->acceptor.close(ec);
  impl_->pending.close(ec);
  impl_->backoff_timer.cancel();
  if (impl_->reserve_fd >= 0) ::close(impl_->reserve_fd);
  impl_->reserve_fd = -1;
}

std::size_t AcceptLoop::open_connections() const { return impl_->open->load(std::memory_order_relaxed); }

}  // namespace hookbroker::sio
